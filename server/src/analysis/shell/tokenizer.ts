// A POSIX-shell tokenizer for the scripts found in RUN instructions. It tracks, for every character of
// every word, the document offset it came from, so findings and fixes land on the author's text even
// across line continuations, quotes and `sh -c '…'` bodies.
//
// It covers what Dockerfiles use: quoting ('…', "…", $'…'), backslash escapes, $(…), `…`, ${…},
// comments, control operators (&& || ; ;; | & ( ) newline), redirections with fd prefixes (2>&1,
// &>/dev/null) and here-documents (<<EOF, <<-EOF, <<'EOF'), whose bodies are captured for the caller.
import {
  AMPERSAND, BACKSLASH, BACKTICK, CLOSE_PAREN, CR, DIGIT_0, DIGIT_9, DOLLAR, DOUBLE_QUOTE, GREATER, HASH, LESS, LF, OPEN_BRACE,
  OPEN_PAREN, PIPE, SEMICOLON, SINGLE_QUOTE, SPACE, TAB,
} from '../charCodes';

/** A text plus, for each character, the document offset it came from (length text.length + 1). */
export interface MappedText {
  text: string;
  offsets: ArrayLike<number>;
}

export interface WordToken {
  kind: 'word';
  /** The word after quote removal (expansions such as $(…) are kept verbatim). */
  text: string;
  /** Document offset of each character of `text`, plus the end (computed on first use). */
  readonly offsets: ArrayLike<number>;
  /** Document offsets of the raw word, quotes included. */
  start: number;
  end: number;
  /** True when any part of the word was quoted or escaped (so it is never a keyword). */
  quoted: boolean;
}

/**
 * A word whose per-character offsets are derived on demand from the runs of input it kept: only
 * `sh -c` bodies need them, and building them for every word was most of the tokenizer's garbage.
 */
class Word implements WordToken {
  readonly kind = 'word';
  private cached?: number[];

  constructor(
    readonly text: string,
    readonly start: number,
    readonly end: number,
    readonly quoted: boolean,
    private readonly input: ArrayLike<number>,
    /**
     * Flattened (inputIndex, length) pairs, in output order; or, for a plain word (one run of the
     * input, the common case), the input index where it starts.
     */
    private readonly runs: readonly number[] | number,
  ) {}

  get offsets(): number[] {
    if (!this.cached) {
      const offsets: number[] = [];
      const runs = typeof this.runs === 'number' ? [this.runs, this.text.length] : this.runs;
      for (let r = 0; r < runs.length; r += 2) {
        for (let k = 0; k < runs[r + 1]; k++) offsets.push(this.input[runs[r] + k]);
      }
      offsets.push(this.end);
      this.cached = offsets;
    }
    return this.cached;
  }
}

export interface HereDoc {
  delimiter: string;
  body: MappedText;
  /** Document offset where the body starts and where the closing delimiter line starts. */
  bodyStart: number;
  terminatorStart?: number;
}

export interface OperatorToken {
  kind: 'op';
  op: string;
  start: number;
  end: number;
}

export interface RedirectToken {
  kind: 'redirect';
  op: string;
  start: number;
  end: number;
  heredoc?: HereDoc;
}

export type Token = WordToken | OperatorToken | RedirectToken;

const CONTROL_OPERATORS = ['&&', '||', ';;', ';', '|', '&', '(', ')'];
/** Characters that end a run of plain word characters: whitespace and ;&|()<>\\'"$` (by char code). */
const WORD_SPECIAL = new Uint8Array(128);
for (const c of ' \t\n\r\v\f;&|()<>\\\'"$`') WORD_SPECIAL[c.charCodeAt(0)] = 1;
/** Whether the character at `i` ends a run of plain word characters (non-ASCII whitespace included). */
function isWordSpecial(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  return code < 128 ? WORD_SPECIAL[code] === 1 : /\s/.test(text[i]);
}
/** Characters that may start an operator or an fd-prefixed redirection (2>&1): ;&|()<> and digits. */
const OPERATOR_START = new Uint8Array(128);
for (const c of ';&|()<>0123456789') OPERATOR_START[c.charCodeAt(0)] = 1;
const REDIRECT_OPERATORS = ['<<<', '<<-', '<<', '&>>', '&>', '>>', '>&', '<&', '<>', '>|', '>', '<'];
/** Characters a redirection operator starts with. */
const REDIRECT_START = new Uint8Array(128);
for (const op of REDIRECT_OPERATORS) REDIRECT_START[op.charCodeAt(0)] = 1;

/** Whitespace and ;&|()<>: the characters that end a word (outside quotes). */
function endsWord(c: number): boolean {
  return c === SPACE || c === TAB || c === LF || c === CR || c === SEMICOLON || c === AMPERSAND || c === PIPE || c === OPEN_PAREN || c === CLOSE_PAREN || c === LESS || c === GREATER;
}

export function tokenize(input: MappedText): Token[] {
  const { text, offsets } = input;
  const tokens: Token[] = [];
  const pendingHeredocs: { token: RedirectToken; stripTabs: boolean }[] = [];
  let awaitingDelimiter: { token: RedirectToken; stripTabs: boolean } | undefined;
  let i = 0;
  const n = text.length;
  // The word being read (readWord): its text after quote removal and the runs of input it kept.
  let out = '';
  let runs: number[] = [];

  const readHeredocBodies = () => {
    for (const pending of pendingHeredocs) {
      const doc = pending.token.heredoc!;
      let body = '';
      const bodyOffsets: number[] = [];
      doc.bodyStart = offsets[i];
      while (i < n) {
        let lineEnd = text.indexOf('\n', i);
        if (lineEnd < 0) lineEnd = n;
        let line = text.slice(i, lineEnd);
        let lineStart = i;
        if (pending.stripTabs) {
          const stripped = line.replace(/^\t+/, '');
          lineStart += line.length - stripped.length;
          line = stripped;
        }
        if (line.replace(/\r$/, '') === doc.delimiter) {
          doc.terminatorStart = offsets[i];
          i = lineEnd;
          break;
        }
        for (let k = lineStart; k < Math.min(lineEnd + 1, n); k++) {
          body += text[k];
          bodyOffsets.push(offsets[k]);
        }
        i = Math.min(lineEnd + 1, n);
      }
      bodyOffsets.push(offsets[Math.min(i, n)]);
      doc.body = { text: body, offsets: bodyOffsets };
    }
    pendingHeredocs.length = 0;
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === SPACE || c === TAB || c === CR) {
      i++;
      continue;
    }
    if (c === BACKSLASH && text.charCodeAt(i + 1) === LF) {
      i += 2;
      continue;
    }
    if (c === LF) {
      tokens.push({ kind: 'op', op: '\n', start: offsets[i], end: offsets[i + 1] });
      i++;
      if (pendingHeredocs.length > 0) readHeredocBodies();
      continue;
    }
    if (c === HASH) {
      const lineEnd = text.indexOf('\n', i);
      i = lineEnd < 0 ? n : lineEnd;
      continue;
    }
    if (c >= 128 || OPERATOR_START[c] === 0) {
      pushWord();
      continue;
    }
    // A redirection, possibly with a file-descriptor prefix such as 2> or 1>&2 (at most 4 digits looked at).
    let digits = 0;
    while (digits < 4 && i + digits < n && text.charCodeAt(i + digits) >= DIGIT_0 && text.charCodeAt(i + digits) <= DIGIT_9) digits++;
    const at = i + digits;
    const redirect = at < n && REDIRECT_START[text.charCodeAt(at)] === 1 ? REDIRECT_OPERATORS.find((op) => text.startsWith(op, at)) : undefined;
    if (redirect && (digits > 0 || !text.startsWith('&&', i))) {
      const start = i;
      i += digits + redirect.length;
      const token: RedirectToken = { kind: 'redirect', op: redirect, start: offsets[start], end: offsets[i] };
      tokens.push(token);
      if (redirect === '<<' || redirect === '<<-') awaitingDelimiter = { token, stripTabs: redirect === '<<-' };
      continue;
    }
    const control = digits > 0 ? undefined : CONTROL_OPERATORS.find((op) => text.startsWith(op, i));
    if (control) {
      tokens.push({ kind: 'op', op: control, start: offsets[i], end: offsets[i + control.length] });
      i += control.length;
      continue;
    }
    pushWord();
  }
  return tokens;

  function pushWord(): void {
    const word = readWord();
    tokens.push(word);
    if (awaitingDelimiter) {
      awaitingDelimiter.token.heredoc = { delimiter: word.text, body: { text: '', offsets: [word.end] }, bodyStart: word.end };
      pendingHeredocs.push(awaitingDelimiter);
      awaitingDelimiter = undefined;
    }
  }

  function keep(from: number, to: number): void {
    if (to <= from) return;
    out += text.slice(from, to);
    const last = runs.length - 2;
    // Extend the previous run when this one continues it in the input.
    if (last >= 0 && runs[last] + runs[last + 1] === from) runs[last + 1] += to - from;
    else runs.push(from, to - from);
  }

  function readWord(): WordToken {
    const start = i;
    // Fast path: a plain word (no quote, escape or expansion) is one slice of the input.
    let plain = i;
    while (plain < n && !isWordSpecial(text, plain)) plain++;
    if (plain > start && (plain === n || endsWord(text.charCodeAt(plain)))) {
      i = plain;
      return new Word(text.slice(start, plain), offsets[start], offsets[plain - 1] + 1, false, offsets, start);
    }
    out = '';
    runs = [];
    let quoted = false;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (endsWord(c)) break;
      if (c === BACKSLASH) {
        if (text.charCodeAt(i + 1) === LF) {
          i += 2;
          continue;
        }
        quoted = true;
        if (i + 1 < n) keep(i + 1, i + 2);
        i += 2;
        continue;
      }
      if (c === SINGLE_QUOTE) {
        quoted = true;
        const close = text.indexOf("'", i + 1);
        const to = close < 0 ? n : close;
        keep(i + 1, to);
        i = to + 1;
        continue;
      }
      if (c === DOLLAR && text.charCodeAt(i + 1) === SINGLE_QUOTE) {
        quoted = true;
        const close = findAnsiQuoteEnd(i + 2);
        keep(i + 2, close);
        i = close + 1;
        continue;
      }
      if (c === DOUBLE_QUOTE) {
        quoted = true;
        i++;
        while (i < n && text.charCodeAt(i) !== DOUBLE_QUOTE) {
          const d = text.charCodeAt(i);
          if (d === BACKSLASH && i + 1 < n) {
            const next = text.charCodeAt(i + 1);
            if (next === DOLLAR || next === BACKTICK || next === DOUBLE_QUOTE || next === BACKSLASH) keep(i + 1, i + 2);
            else if (next !== LF) keep(i, i + 2);
            i += 2;
          } else if (d === DOLLAR && (text.charCodeAt(i + 1) === OPEN_PAREN || text.charCodeAt(i + 1) === OPEN_BRACE)) {
            const end = skipExpansion(i);
            keep(i, end);
            i = end;
          } else if (d === BACKTICK) {
            const end = skipBackticks(i);
            keep(i, end);
            i = end;
          } else {
            // A run of characters taken as they are, kept with one slice.
            let j = i + 1;
            while (j < n) {
              const e = text.charCodeAt(j);
              if (e === DOUBLE_QUOTE || e === BACKSLASH || e === DOLLAR || e === BACKTICK) break;
              j++;
            }
            keep(i, j);
            i = j;
          }
        }
        i++;
        continue;
      }
      if (c === DOLLAR && (text.charCodeAt(i + 1) === OPEN_PAREN || text.charCodeAt(i + 1) === OPEN_BRACE)) {
        const end = skipExpansion(i);
        keep(i, end);
        i = end;
        continue;
      }
      if (c === BACKTICK) {
        const end = skipBackticks(i);
        keep(i, end);
        i = end;
        continue;
      }
      let j = i + 1;
      while (j < n && !isWordSpecial(text, j)) j++;
      keep(i, j);
      i = j;
    }
    if (i > n) i = n;
    // One past the last character consumed, in document terms (offsets[i] may lie far away when this
    // text is a `sh -c` body and i is its end).
    const end = i > start ? offsets[i - 1] + 1 : offsets[i];
    return new Word(out, offsets[start], end, quoted, offsets, runs);
  }

  function findAnsiQuoteEnd(from: number): number {
    let k = from;
    while (k < n && text[k] !== "'") k += text[k] === '\\' ? 2 : 1;
    return Math.min(k, n);
  }

  /** End (exclusive) of $(…), $((…)) or ${…} starting at `from`, honouring nesting and quotes. */
  function skipExpansion(from: number): number {
    const open = text[from + 1];
    const close = open === '(' ? ')' : '}';
    let depth = 0;
    let k = from + 1;
    while (k < n) {
      const ch = text[k];
      if (ch === '\\') {
        k += 2;
        continue;
      }
      if (ch === "'" && open === '(') {
        const end = text.indexOf("'", k + 1);
        k = end < 0 ? n : end + 1;
        continue;
      }
      if (ch === open) depth++;
      else if (ch === close) {
        depth--;
        if (depth === 0) return k + 1;
      }
      k++;
    }
    return n;
  }

  function skipBackticks(from: number): number {
    let k = from + 1;
    while (k < n && text[k] !== '`') k += text[k] === '\\' ? 2 : 1;
    return Math.min(k + 1, n);
  }
}
