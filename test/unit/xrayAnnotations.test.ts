// The editor's X-ray annotations as plain data: one per measured instruction with its label and the build
// it came from, findings on the line that caused them ending "— measured", and expiry: an annotation
// follows its lines through edits above it and disappears when its own text changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  afterEdit,
  annotationLabel,
  annotationsFromReport,
  formatEfficiency,
  instructionLines,
  measuredMessage,
  type LineAnnotation,
  type TextChange,
} from '../../client/src/xray/lineAnnotations';
import { SAMPLE_DOCKERFILE, SAMPLE_REPORT } from '../fixtures/xray-editor/sampleReport';

const source = { image: SAMPLE_REPORT.image, imageId: SAMPLE_REPORT.imageId, analysedAt: SAMPLE_REPORT.analysedAt, origin: 'built from this file' };
const lines = SAMPLE_DOCKERFILE.split('\n');
const annotations = () => annotationsFromReport(SAMPLE_REPORT, lines, source);

/** Applies the changes to `text` the way VS Code does (each in the coordinates left by the ones before). */
function apply(text: string, changes: TextChange[]): string[] {
  let current = text.split('\n');
  for (const c of changes) {
    const before = current.slice(0, c.startLine).concat(current[c.startLine].slice(0, c.startCharacter));
    const after = [current[c.endLine].slice(c.endCharacter), ...current.slice(c.endLine + 1)];
    const joined = `${before.join('\n')}${c.text}${after.join('\n')}`;
    current = joined.split('\n');
  }
  return current;
}

function edit(list: LineAnnotation[], changes: TextChange[]): { lines: number[]; doc: string[]; kept: LineAnnotation[] } {
  const doc = apply(SAMPLE_DOCKERFILE, changes);
  const kept = afterEdit(list, changes, (n) => doc[n]);
  return { lines: kept.map((a) => a.line), doc, kept };
}

const at = (line: number, character: number, text: string, endLine = line, endCharacter = character): TextChange =>
  ({ startLine: line, startCharacter: character, endLine, endCharacter, text });

test('xray annotations: the label reads "+312.4 MB · 41.0 MB wasted", without the wasted part when nothing is', () => {
  assert.equal(annotationLabel(312_400_000, 41_000_000), '+312.4 MB · 41.0 MB wasted');
  assert.equal(annotationLabel(74_800_000, 0), '+74.8 MB');
  assert.equal(annotationLabel(0, 0), '+0 B');
  assert.equal(formatEfficiency(0.9049), '90.4 %');
  assert.equal(formatEfficiency(1), '100.0 %');
});

test('xray annotations: one per measured instruction, on its first line (0-based), spanning its continuation lines', () => {
  const list = annotations();
  assert.deepEqual(list.map((a) => [a.line, a.label]), [
    [0, '+74.8 MB · base image'],
    [2, '+312.4 MB'],
    [4, '+41.0 MB · 41.0 MB wasted'],
    [5, '+0 B'],
  ]);
  assert.deepEqual(list[1].texts, [lines[2], lines[3]]);
  assert.deepEqual(instructionLines(['# escape=`', 'RUN a `', '  b', 'RUN c \\', 'CMD x'], 1), ['RUN a `', '  b']);
});

test('xray annotations: each tooltip names the image id and the time of the X-ray it came from', () => {
  for (const a of annotations()) {
    assert.match(a.tooltip, /X-ray of image multistage-test\/xedit\/sample:latest \(0123456789ab\), built from this file, 2026-12-03 13:40:12 UTC/);
  }
  assert.match(annotations()[2].tooltip, /^COPY added 41\.0 MB; 41\.0 MB of it is wasted/);
});

test('xray annotations: findings sit on the line that caused them, end "— measured" and keep the static rule id', () => {
  const list = annotations();
  assert.deepEqual(list[1].findings, [
    { kind: 'known-waste', message: '42.1 MB of apt lists stay in this layer — measured', bytes: 42_100_000, severity: 'warning', ruleId: 'apt-lists-not-removed' },
  ]);
  assert.equal(list[2].findings[0].ruleId, 'cleanup-in-later-layer');
  assert.equal(list[2].findings[0].byLine, 5, 'deleted by line 6 (0-based 5)');
  assert.equal(list[0].findings.length, 0);
  assert.equal(measuredMessage('x — measured'), 'x — measured');
  assert.equal(measuredMessage('12 MB of pip cache stays.'), '12 MB of pip cache stays — measured');
});

test('xray annotations: a line the report names that is blank, a comment or past the end gets nothing', () => {
  const report = { ...SAMPLE_REPORT, lines: [...SAMPLE_REPORT.lines, { line: 2, instruction: 'RUN', addedBytes: 5, wastedBytes: 0, layers: [9] }, { line: 99, instruction: 'RUN', addedBytes: 5, wastedBytes: 0, layers: [10] }] };
  assert.deepEqual(annotationsFromReport(report, lines, source).map((a) => a.line), [0, 2, 4, 5]);
});

test('xray annotations: typing in a line removes its annotation only', () => {
  const { lines: kept } = edit(annotations(), [at(5, 19, ' /tmp/x')]);
  assert.deepEqual(kept, [0, 2, 4]);
  // A continuation line belongs to its instruction.
  assert.deepEqual(edit(annotations(), [at(3, 10, 'q')]).lines, [0, 4, 5]);
  // Appending to the last line of an instruction changes it too.
  assert.deepEqual(edit(annotations(), [at(3, lines[3].length, ' wget')]).lines, [0, 4, 5]);
});

test('xray annotations: lines inserted or deleted above move the annotations below, unchanged', () => {
  // Enter at the end of the comment line: a new empty line 2.
  const inserted = edit(annotations(), [at(1, lines[1].length, '\n')]);
  assert.deepEqual(inserted.lines, [0, 3, 5, 6]);
  for (const a of inserted.kept) assert.equal(inserted.doc[a.line], a.texts[0]);
  // A line pasted at the start of the RUN line (ends at column 0 of it): the RUN moves down.
  assert.deepEqual(edit(annotations(), [at(2, 0, 'ENV A=1\n')]).lines, [0, 3, 5, 6]);
  // The comment line deleted with its newline.
  assert.deepEqual(edit(annotations(), [at(1, 0, '', 2, 0)]).lines, [0, 1, 3, 4]);
  // Enter at the end of an instruction's last line keeps it (its text is the same).
  assert.deepEqual(edit(annotations(), [at(4, lines[4].length, '\n')]).lines, [0, 2, 4, 6]);
});

test('xray annotations: an edit joining a line above into an instruction removes it; several changes apply in order', () => {
  // Delete from the end of the comment to the middle of the RUN line.
  assert.deepEqual(edit(annotations(), [at(1, 5, '', 2, 4)]).lines, [0, 3, 4]);
  // Two cursors: one types on line 6, the other inserts a line above line 1 (bottom first, as VS Code sends them).
  const multi = edit(annotations(), [at(5, 3, 'X'), at(1, 0, '# more\n')]);
  assert.deepEqual(multi.lines, [0, 3, 5]);
  // Undoing a change back to the measured text does not bring an annotation back: it is gone for good.
  const gone = edit(annotations(), [at(5, 3, 'X')]).kept;
  assert.deepEqual(afterEdit(gone, [at(5, 3, '', 5, 4)], (n) => lines[n]).map((a) => a.line), [0, 2, 4]);
});
