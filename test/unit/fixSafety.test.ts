import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keepsParsing } from '../../server/src/analysis/fixSafety';
import { fixAllText } from '../../server/src/analysis/fixAll';
import type { Rule } from '../../server/src/analysis/types';

const at = (line: number, character: number) => ({ line, character });

test('fix safety: an edit that introduces a builder error is refused, one that does not is kept', () => {
  const text = 'FROM alpine\nENV A=1 \\\n  B=2 \\\n';
  assert.equal(keepsParsing(text, [{ range: { start: at(3, 0), end: at(3, 0) }, newText: 'RUN useradd app\n' }]), false);
  assert.equal(keepsParsing('FROM alpine\n', [{ range: { start: at(1, 0), end: at(1, 0) }, newText: 'USER nobody\n' }]), true);
});

test('fix safety: errors the file already had do not block a fix', () => {
  const text = 'FROM alpine\nFROOM x\nCOPY --from=0 /a /a\n';
  assert.equal(keepsParsing(text, [{ range: { start: at(2, 12), end: at(2, 13) }, newText: 'base' }]), true);
});

test('fix-all: skips a safe-marked fix whose result would not parse, applies one that parses', () => {
  const ruleWithFix = (newText: string): Rule => ({
    id: 'test-rule', defaultSeverity: 'warning', summary: 'test',
    check: (model) => model.text.startsWith('FROM alpine\n') && model.text.length < 20
      ? [{ range: { start: at(1, 0), end: at(1, 0) }, message: 'x', fixes: [{ title: 'add', safe: true, edits: [{ range: { start: at(1, 0), end: at(1, 0) }, newText }] }] }]
      : [],
  });
  assert.equal(fixAllText('FROM alpine\n', {}, [ruleWithFix('FROOM x\n')]).text, 'FROM alpine\n');
  assert.equal(fixAllText('FROM alpine\n', {}, [ruleWithFix('USER app\n')]).text, 'FROM alpine\nUSER app\n');
});
