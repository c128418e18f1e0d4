// Applying LSP text edits to a string, and turning a whole-text change into one minimal edit.
import type { Position, Range, TextEdit } from 'vscode-languageserver-types';

/** Offsets where each line starts (\n, \r\n and lone \r all end a line). */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10) starts.push(i + 1);
  }
  return starts;
}

function offsetIn(text: string, starts: number[], p: Position): number {
  if (p.line >= starts.length) return text.length;
  return Math.min(starts[p.line] + p.character, text.length);
}

/** The position of an offset, given the line starts (binary search). */
export function positionIn(starts: readonly number[], offset: number): Position {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - starts[lo] };
}

/** Whether two ranges overlap (touching at one point does not count unless both are insertions there). */
export function rangesOverlap(a: Range, b: Range): boolean {
  const before = (x: Position, y: Position) => x.line < y.line || (x.line === y.line && x.character < y.character);
  const same = (x: Position, y: Position) => x.line === y.line && x.character === y.character;
  if (same(a.start, b.start)) return true;
  return before(a.start, b.end) && before(b.start, a.end);
}

/** Applies edits whose ranges all refer to the original text (LSP semantics). Overlapping edits throw. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = lineStartsOf(text);
  const resolved = edits
    .map((e) => ({ start: offsetIn(text, starts, e.range.start), end: offsetIn(text, starts, e.range.end), newText: e.newText }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < resolved.length; i++) {
    if (resolved[i].start < resolved[i - 1].end) throw new Error('overlapping edits');
  }
  let out = '';
  let at = 0;
  for (const e of resolved) {
    out += text.slice(at, e.start) + e.newText;
    at = Math.max(at, e.end);
  }
  return out + text.slice(at);
}

/** One edit that turns `before` into `after`, touching only the part that differs. */
export function minimalEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  let prefix = 0;
  const max = Math.min(before.length, after.length);
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < max - prefix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) suffix++;
  const starts = lineStartsOf(before);
  return {
    range: { start: positionIn(starts, prefix), end: positionIn(starts, before.length - suffix) },
    newText: after.slice(prefix, after.length - suffix),
  };
}
