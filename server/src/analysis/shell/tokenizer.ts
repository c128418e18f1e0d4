// A POSIX-shell tokenizer for the scripts found in RUN instructions. It tracks, for every character of
// every word, the document offset it came from, so findings and fixes land on the author's text even
// across line continuations, quotes and `sh -c '…'` bodies.
//
// It covers what Dockerfiles use: quoting ('…', "…", $'…'), backslash escapes, $(…), `…`, ${…},
// comments, control operators (&& || ; ;; | & ( ) newline), redirections with fd prefixes (2>&1,
// &>/dev/null) and here-documents (<<EOF, <<-EOF, <<'EOF'), whose bodies are captured for the caller.

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
    /** Flattened (inputIndex, length) pairs, in output order. */
    private readonly runs: readonly number[],
  ) {}

  get offsets(): number[] {
    if (!this.cached) {
      const offsets: number[] = [];
      for (let r = 0; r < this.runs.length; r += 2) {
        for (let k = 0; k < this.runs[r + 1]; k++) offsets.push(this.input[this.runs[r] + k]);
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
/** Characters that may start an operator or an fd-prefixed redirection (2>&1). */
const OPERATOR_START = /[;&|()<>0-9]/;
const REDIRECT_OPERATORS = ['<<<', '<<-', '<<', '&>>', '&>', '>>', '>&', '<&', '<>', '>|', '>', '<'];

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
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\\' && text[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '\n') {
      tokens.push({ kind: 'op', op: '\n', start: offsets[i], end: offsets[i + 1] });
      i++;
      if (pendingHeredocs.length > 0) readHeredocBodies();
      continue;
    }
    if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (!OPERATOR_START.test(c)) {
      pushWord();
      continue;
    }
    // A redirection, possibly with a file-descriptor prefix such as 2> or 1>&2.
    const fdMatch = /^\d*/.exec(text.slice(i, i + 4))![0];
    const redirect = REDIRECT_OPERATORS.find((op) => text.startsWith(op, i + fdMatch.length));
    if (redirect && (fdMatch.length > 0 || !text.startsWith('&&', i))) {
      const start = i;
      i += fdMatch.length + redirect.length;
      const token: RedirectToken = { kind: 'redirect', op: redirect, start: offsets[start], end: offsets[i] };
      tokens.push(token);
      if (redirect === '<<' || redirect === '<<-') awaitingDelimiter = { token, stripTabs: redirect === '<<-' };
      continue;
    }
    const control = CONTROL_OPERATORS.find((op) => text.startsWith(op, i));
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
    out = '';
    runs = [];
    let quoted = false;
    while (i < n) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') break;
      if (c === ';' || c === '&' || c === '|' || c === '(' || c === ')' || c === '<' || c === '>') break;
      if (c === '\\') {
        if (text[i + 1] === '\n') {
          i += 2;
          continue;
        }
        quoted = true;
        if (i + 1 < n) keep(i + 1, i + 2);
        i += 2;
        continue;
      }
      if (c === "'") {
        quoted = true;
        const close = text.indexOf("'", i + 1);
        const to = close < 0 ? n : close;
        keep(i + 1, to);
        i = to + 1;
        continue;
      }
      if (c === '$' && text[i + 1] === "'") {
        quoted = true;
        const close = findAnsiQuoteEnd(i + 2);
        keep(i + 2, close);
        i = close + 1;
        continue;
      }
      if (c === '"') {
        quoted = true;
        i++;
        while (i < n && text[i] !== '"') {
          if (text[i] === '\\' && i + 1 < n) {
            if ('$`"\\'.includes(text[i + 1])) keep(i + 1, i + 2);
            else if (text[i + 1] !== '\n') keep(i, i + 2);
            i += 2;
          } else if (text[i] === '$' && (text[i + 1] === '(' || text[i + 1] === '{')) {
            const end = skipExpansion(i);
            keep(i, end);
            i = end;
          } else if (text[i] === '`') {
            const end = skipBackticks(i);
            keep(i, end);
            i = end;
          } else {
            keep(i, i + 1);
            i++;
          }
        }
        i++;
        continue;
      }
      if (c === '$' && (text[i + 1] === '(' || text[i + 1] === '{')) {
        const end = skipExpansion(i);
        keep(i, end);
        i = end;
        continue;
      }
      if (c === '`') {
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
