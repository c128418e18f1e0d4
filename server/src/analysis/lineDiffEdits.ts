// A whole-text rewrite as several small edits, one per changed run of lines, so that an editor's
// refactor preview shows a readable diff instead of one struck-through line holding the file.
// Line-based LCS between the common prefix and suffix; past MAX_CELLS the middle becomes one edit
// (still exact, only less granular).
import type { TextEdit } from 'vscode-languageserver-types';
import { lineStartsOf, positionIn } from './textEdits';

const MAX_CELLS = 4_000_000;

/** The lines of `text`, each with its terminator (\n, \r\n or \r), so joining them gives the text back. */
function linesOf(text: string): string[] {
  const starts = lineStartsOf(text);
  const lines = starts.map((start, i) => text.slice(start, starts[i + 1] ?? text.length));
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Pairs of (old index, new index) of equal lines, in order: the longest common subsequence. */
function commonLines(a: string[], b: string[]): [number, number][] {
  const m = a.length;
  const n = b.length;
  if (m === 0 || n === 0 || m * n > MAX_CELLS) return [];
  const lcs = Array.from({ length: m + 1 }, () => new Uint32Array(n + 1));
  for (let i = m - 1; i >= 0; i--) for (let j = n - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const pairs: [number, number][] = [];
  for (let i = 0, j = 0; i < m && j < n;) {
    if (a[i] === b[j]) pairs.push([i++, j++]);
    else if (lcs[i + 1][j] >= lcs[i][j + 1]) i++;
    else j++;
  }
  return pairs;
}

/** Edits (LSP semantics: all ranges in `before`) that turn `before` into `after`; none when equal. */
export function lineDiffEdits(before: string, after: string): TextEdit[] {
  if (before === after) return [];
  const a = linesOf(before);
  const b = linesOf(after);
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const midA = a.slice(prefix, a.length - suffix);
  const midB = b.slice(prefix, b.length - suffix);
  // Anchors: the equal lines, then a sentinel at the end of both middles so the last hunk is closed.
  const anchors = commonLines(midA, midB).map(([i, j]) => [i + prefix, j + prefix] as [number, number]);
  anchors.push([a.length - suffix, b.length - suffix]);

  const starts = lineStartsOf(before);
  const offsetOfLine = (line: number) => (line < a.length ? starts[line] : before.length);
  const edits: TextEdit[] = [];
  let i = prefix;
  let j = prefix;
  for (const [ai, bj] of anchors) {
    if (ai > i || bj > j) {
      edits.push({
        range: { start: positionIn(starts, offsetOfLine(i)), end: positionIn(starts, offsetOfLine(ai)) },
        newText: b.slice(j, bj).join(''),
      });
    }
    i = ai + 1;
    j = bj + 1;
  }
  return edits;
}
