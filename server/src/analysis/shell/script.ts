// What a RUN instruction hands to the shell, as a MappedText: Docker's own line continuations (the
// escape character before a newline) and the comment lines inside a continued instruction are removed,
// as the builder does, while every remaining character keeps its document offset. Here-document bodies
// (RUN <<EOF) are kept verbatim after the first physical line, because BuildKit does not treat the
// escape character inside them.
import { CR, LF, SPACE, TAB } from '../charCodes';
import type { MappedText } from './tokenizer';

export type RunForm = 'shell' | 'exec';

export interface RunScript {
  form: RunForm;
  /** Shell form: the script. Exec form: empty. */
  script: MappedText;
  /** Exec form: the JSON strings with their offsets. */
  execArgs?: MappedText[];
}

/**
 * `text` is the whole document, [start, end) the RUN's arguments (after its flags).
 */
export function extractRunScript(text: string, start: number, end: number, escapeChar: string): RunScript {
  const exec = parseExecForm(text, start, end);
  if (exec) return { form: 'exec', script: { text: '', offsets: [end] }, execArgs: exec };

  // The script is the text minus continuations: kept as runs [from, to) of the document, so that the
  // text is a few slices and the offsets one typed array (building both a character at a time was the
  // largest source of garbage in the whole analysis).
  const runs: number[] = [];
  let runStart = start;
  let i = start;
  // Jumps from one escape character or newline to the next (indexOf), each found once, instead of a
  // loop over every character.
  let nextEscape = escapeChar.length === 1 ? -1 : end;
  let nextNewline = -1;
  while (i < end) {
    if (nextEscape < i) nextEscape = indexBefore(text, escapeChar, i, end);
    if (nextNewline < i) nextNewline = indexBefore(text, '\n', i, end);
    // A newline starts at its CR when the line ends in CRLF (also a CR just before `end` whose LF lies past it).
    const lineBreak = nextNewline > i && text.charCodeAt(nextNewline - 1) === CR && text.charCodeAt(nextNewline) === LF ? nextNewline - 1 : nextNewline;
    if (nextEscape < lineBreak) {
      // escape + optional trailing whitespace + newline is a continuation: drop it and the comment/blank
      // lines that follow, as Docker does.
      const at = nextEscape;
      let k = at + 1;
      while (k < end && (text.charCodeAt(k) === SPACE || text.charCodeAt(k) === TAB)) k++;
      if (k < end && (text.charCodeAt(k) === LF || text.charCodeAt(k) === CR)) {
        if (text.charCodeAt(k) === CR && text.charCodeAt(k + 1) === LF) k++;
        if (at > runStart) runs.push(runStart, at);
        i = skipCommentAndBlankLines(text, k + 1, end);
        runStart = i;
        continue;
      }
      i = at + 1;
      continue;
    }
    if (lineBreak >= end) break;
    // The first unescaped newline ends the instruction unless here-documents follow: keep the rest as
    // is, without the CR of CRLF line ends.
    for (let k = text.indexOf('\r\n', lineBreak); k >= 0 && k < end; k = text.indexOf('\r\n', k + 1)) {
      if (k > runStart) runs.push(runStart, k);
      runStart = k + 1;
    }
    break;
  }
  if (end > runStart) runs.push(runStart, end);
  return { form: 'shell', script: mappedRuns(text, runs, end) };
}

/** Index of `search` in text[from, end), or `end` when it is not there. */
function indexBefore(text: string, search: string, from: number, end: number): number {
  const at = text.indexOf(search, from);
  return at < 0 || at >= end ? end : at;
}

/** The text of the runs [from, to) (pairs in `runs`) with each character's document offset. */
function mappedRuns(text: string, runs: readonly number[], end: number): MappedText {
  const parts: string[] = [];
  let length = 0;
  for (let r = 0; r < runs.length; r += 2) length += runs[r + 1] - runs[r];
  const offsets = new Int32Array(length + 1);
  let p = 0;
  for (let r = 0; r < runs.length; r += 2) {
    parts.push(text.slice(runs[r], runs[r + 1]));
    for (let k = runs[r]; k < runs[r + 1]; k++) offsets[p++] = k;
  }
  offsets[p] = end;
  // join() gives one flat string; `+=` built a rope that every charCodeAt of the tokenizer had to
  // look through (measured: a third of the tokenizer's time).
  return { text: parts.length === 1 ? parts[0] : parts.join(''), offsets };
}

function skipCommentAndBlankLines(text: string, from: number, end: number): number {
  let i = from;
  for (;;) {
    let k = i;
    while (k < end && (text[k] === ' ' || text[k] === '\t')) k++;
    if (k < end && text[k] === '#') {
      while (k < end && text[k] !== '\n') k++;
      i = k + 1;
      continue;
    }
    if (k < end && (text[k] === '\n' || text[k] === '\r')) {
      i = text[k] === '\r' && text[k + 1] === '\n' ? k + 2 : k + 1;
      continue;
    }
    return i;
  }
}

/** `["sh", "-c", "…"]`: the strings with per-character offsets, or undefined when not a JSON array of strings. */
function parseExecForm(text: string, start: number, end: number): MappedText[] | undefined {
  let i = start;
  const skipSpace = () => {
    while (i < end && /\s/.test(text[i])) i++;
  };
  skipSpace();
  if (text[i] !== '[') return undefined;
  i++;
  const args: MappedText[] = [];
  skipSpace();
  if (text[i] === ']') return trailingOnlySpace() ? args : undefined;
  for (;;) {
    skipSpace();
    if (text[i] !== '"') return undefined;
    i++;
    let value = '';
    const offsets: number[] = [];
    while (i < end && text[i] !== '"') {
      if (text[i] === '\\') {
        const next = text[i + 1];
        const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' };
        if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          offsets.push(i);
          i += 6;
          continue;
        }
        if (next === undefined || !(next in simple)) return undefined;
        value += simple[next];
        offsets.push(i + 1);
        i += 2;
        continue;
      }
      if (text[i] === '\n') return undefined;
      value += text[i];
      offsets.push(i);
      i++;
    }
    if (text[i] !== '"') return undefined;
    offsets.push(i);
    i++;
    args.push({ text: value, offsets });
    skipSpace();
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] === ']') {
      i++;
      return trailingOnlySpace() ? args : undefined;
    }
    return undefined;
  }

  function trailingOnlySpace(): boolean {
    skipSpace();
    return i >= end;
  }
}

/**
 * Where a RUN's command starts: after the keyword, Docker's line continuations, comment lines inside
 * them, and the `--flag=value` words (`--mount`, `--network`, `--security`). Done here because
 * dockerfile-ast's getArgumentsRange() re-tokenizes the instruction on every call and was a quarter
 * of the time spent on shell analysis.
 */
export function commandStart(text: string, afterKeyword: number, end: number, escapeChar: string): number {
  let i = afterKeyword;
  for (;;) {
    // Blanks, continuations and the comment/blank lines a continuation may carry.
    for (;;) {
      while (i < end && (text[i] === ' ' || text[i] === '\t')) i++;
      if (text[i] !== escapeChar) break;
      let k = i + 1;
      while (k < end && (text[k] === ' ' || text[k] === '\t')) k++;
      if (k < end && (text[k] === '\n' || text[k] === '\r')) {
        if (text[k] === '\r' && text[k + 1] === '\n') k++;
        i = skipCommentAndBlankLines(text, k + 1, end);
        continue;
      }
      break;
    }
    if (!(text[i] === '-' && text[i + 1] === '-')) return Math.min(i, end);
    // A flag word: up to the next blank, quotes kept together.
    let quote: string | undefined;
    while (i < end) {
      const c = text[i];
      if (quote) {
        if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'") {
        quote = c;
      } else if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || (c === escapeChar && /^[ \t]*\r?\n/.test(text.slice(i + 1, i + 40)))) {
        break;
      }
      i++;
    }
  }
}
