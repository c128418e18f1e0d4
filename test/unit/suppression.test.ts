import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findings } from '../support/analysis';
import { analyze } from '../../server/src/analysis/analyze';

const BAD = 'FROM alpine AS a\nFROM alpine\nCOPY --from=0 /x /x\n';

test('suppression: # multistage-ignore above an instruction silences that rule there only', () => {
  const text = 'FROM alpine AS a\nFROM alpine\n# multistage-ignore numeric-stage-reference\nCOPY --from=0 /x /x\nCOPY --from=0 /y /y\n';
  const problems = findings(text, 'numeric-stage-reference');
  assert.deepEqual(problems.map((p) => p.range.start.line), [4]);
});

test('suppression: a list of ids, and other rules on the same line still fire', () => {
  const text = 'FROM alpine AS a\nFROM alpine\n# multistage-ignore unknown-stage-reference, numeric-stage-reference\nCOPY --from=0 /x /x\n';
  assert.deepEqual(findings(text, 'numeric-stage-reference'), []);
  const other = 'FROM alpine AS a\nFROM alpine\n# multistage-ignore unknown-stage-reference\nCOPY --from=0 /x /x\n';
  assert.equal(findings(other, 'numeric-stage-reference').length, 1);
});

test('suppression: # multistage-ignore-file silences a rule in the whole file', () => {
  assert.deepEqual(findings('# multistage-ignore-file numeric-stage-reference\n' + BAD, 'numeric-stage-reference'), []);
});

test('suppression: # hadolint ignore= silences the mapped rule, and global ignore the file', () => {
  const text = 'FROM alpine AS a\nFROM alpine AS A\n';
  assert.equal(findings(text, 'duplicate-stage-name').length, 1);
  assert.deepEqual(findings('FROM alpine AS a\n# hadolint ignore=DL3024\nFROM alpine AS A\n', 'duplicate-stage-name'), []);
  assert.deepEqual(findings('# hadolint global ignore=DL3008,DL3024\n' + text, 'duplicate-stage-name'), []);
  assert.equal(findings('FROM alpine AS a\n# hadolint ignore=DL3008\nFROM alpine AS A\n', 'duplicate-stage-name').length, 1);
});

test('suppression: ignore comments apply across continuation lines of one instruction', () => {
  const text = 'FROM alpine AS a\nFROM alpine\n# multistage-ignore numeric-stage-reference\nCOPY \\\n  --from=0 /x /x\n';
  assert.deepEqual(findings(text, 'numeric-stage-reference'), []);
});

test('severity overrides: off removes a rule, a severity replaces the default', () => {
  assert.deepEqual(analyze(BAD, { settings: { rules: { 'numeric-stage-reference': 'off' }, syntaxDiagnostics: true } }).problems.filter((p) => p.rule === 'numeric-stage-reference'), []);
  const [p] = analyze(BAD, { settings: { rules: { 'numeric-stage-reference': 'error' }, syntaxDiagnostics: true } }).problems.filter((x) => x.rule === 'numeric-stage-reference');
  assert.equal(p.severity, 'error');
});

test('analyze: a file above the size limit gets one informational problem, quickly', () => {
  const huge = 'RUN echo x\n'.repeat(250_000);
  const started = Date.now();
  const { problems } = analyze(huge);
  assert.equal(problems.length, 1);
  assert.equal(problems[0].rule, 'file-too-large');
  assert.equal(problems[0].severity, 'info');
  assert.ok(Date.now() - started < 1000);
});
