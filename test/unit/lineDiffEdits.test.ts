// Rewrites reach the editor as line-level edits (a readable Refactor Preview). Applying them must give
// exactly the rewritten text: examples, random edits to corpus files, and every rewrite the corpus offers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { lineDiffEdits } from '../../server/src/analysis/lineDiffEdits';
import { buildModel } from '../../server/src/analysis/model';
import { applyTextEdits, refactorActions } from '../../server/src/analysis/rewrite';
import { DEFAULT_SETTINGS } from '../../server/src/analysis/types';
import { memoryContext } from '../support/analysis';
import { corpusFiles } from '../support/corpus';

/** Applied by the LSP library's own TextDocument, not by our applier: two implementations must agree. */
function apply(before: string, after: string): string {
  const edits = lineDiffEdits(before, after);
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'dockerfile', 1, before), edits);
}

test('lineDiffEdits: one edit per changed run of lines, untouched lines left out', () => {
  assert.deepEqual(lineDiffEdits('a\nb\nc\n', 'a\nb\nc\n'), []);
  assert.deepEqual(lineDiffEdits('a\nb\nc\nd\n', 'a\nB\nc\nD\n'), [
    { range: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } }, newText: 'B\n' },
    { range: { start: { line: 3, character: 0 }, end: { line: 4, character: 0 } }, newText: 'D\n' },
  ]);
  // A pure insertion is an empty range.
  assert.deepEqual(lineDiffEdits('FROM a\nCMD x\n', 'FROM a\nUSER app\nCMD x\n'), [
    { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: 'USER app\n' },
  ]);
});

test('lineDiffEdits: exact at the edges: no final newline, CRLF, lone CR, empty texts', () => {
  const cases: [string, string][] = [
    ['a\nb', 'a\nb\nc'], ['a\nb\n', 'a\nb'], ['', 'x\n'], ['x\n', ''], ['a\r\nb\r\n', 'a\r\nc\r\n'], ['a\rb\r', 'a\rc\r'],
    ['a\nb\nc', 'c\nb\na'], ['a\r\nb', 'a\nb'], ['\n\n\n', '\n'], ['x', 'y'],
  ];
  for (const [before, after] of cases) assert.equal(apply(before, after), after, JSON.stringify([before, after]));
});

const LINES = ['FROM node:20', 'RUN npm ci', 'COPY . .', '', '# comment', 'WORKDIR /app', 'USER node', 'RUN a && \\', '    b', 'CMD ["x"]'];
const EOL = fc.constantFrom('\n', '\r\n');

test('lineDiffEdits: random edits of random files come back exactly', () => {
  const text = fc.tuple(fc.array(fc.constantFrom(...LINES), { maxLength: 30 }), EOL, fc.boolean()).map(([lines, eol, last]) => lines.join(eol) + (last ? eol : ''));
  fc.assert(fc.property(text, text, (before, after) => apply(before, after) === after), { numRuns: 2000 });
});

test('lineDiffEdits: random line edits of every corpus file come back exactly', (t) => {
  const files = corpusFiles(t);
  if (!files) return;
  assert.ok(files.length > 50, `corpus has ${files.length} files`);
  // Each run picks a corpus file and deletes, inserts or replaces a few of its lines.
  const change = fc.array(fc.tuple(fc.constantFrom('delete', 'insert', 'replace'), fc.nat(), fc.constantFrom(...LINES)), { minLength: 1, maxLength: 6 });
  fc.assert(
    fc.property(fc.nat(files.length - 1), change, (index, changes) => {
      const before = files[index].text;
      const lines = before.split('\n');
      for (const [kind, at, line] of changes) {
        const i = lines.length === 0 ? 0 : at % lines.length;
        if (kind === 'delete') lines.splice(i, 1);
        else if (kind === 'insert') lines.splice(i, 0, line);
        else lines[i] = line;
      }
      const after = lines.join('\n');
      return apply(before, after) === after;
    }),
    { numRuns: 1000 },
  );
});

test('lineDiffEdits: every split and reorder the corpus offers gives the rewritten file exactly, in fewer characters', (t) => {
  const files = corpusFiles(t);
  if (!files) return;
  const ctx = { settings: DEFAULT_SETTINGS, context: memoryContext({ 'package.json': '{}', 'package-lock.json': '{}', 'requirements.txt': 'flask\n', 'go.mod': 'module x\n', 'go.sum': '' }) };
  let rewrites = 0;
  let smaller = 0;
  for (const { name, text } of files) {
    const model = buildModel(text);
    for (const action of refactorActions(model, ctx)) {
      const after = applyTextEdits(model, action.edits);
      assert.equal(apply(text, after), after, `${name}: ${action.title}`);
      const sent = lineDiffEdits(text, after).reduce((n, e) => n + e.newText.length, 0);
      if (sent < after.length) smaller++;
      rewrites++;
    }
  }
  assert.ok(rewrites >= 20, `the corpus offers ${rewrites} rewrites`);
  assert.ok(smaller >= rewrites * 0.9, `${smaller} of ${rewrites} rewrites send less than the whole file`);
});
