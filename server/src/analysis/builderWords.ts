// Reading a word of an ADD/COPY (or any instruction the builder expands) the way BuildKit's shell lexer
// does (moby/buildkit frontend/dockerfile/shell/lex.go, ProcessWord): quotes are removed, the escape
// character escapes the next character outside quotes and only `"`, `$` and itself inside double
// quotes, single quotes keep everything literal, and `$VAR`/`${VAR…}` expand outside single quotes.
// Shell-form arguments are first split at whitespace (quotes do not group words there: the builder
// rejects `ADD "my file" /x`), which is how dockerfile-ast splits them too; JSON-form strings go
// through the same lexer after JSON decoding.

export interface BuilderWord {
  /** The word as the builder uses it, when it holds no variable; otherwise the text with `$…` kept. */
  text: string;
  /** A `$VAR` or `${…}` is expanded: the value is only known at build time. */
  expands: boolean;
  /** The builder rejects the word (an unterminated quote or `${`): nothing can be said about it. */
  invalid: boolean;
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
// `$1`, `$@`… are special parameters the lexer also expands (to nothing in a Dockerfile).
const SPECIAL = /[0-9@*#?$!-]/;

export function readBuilderWord(raw: string, escapeChar = '\\'): BuilderWord {
  let text = '';
  let expands = false;
  let invalid = false;
  let i = 0;
  const n = raw.length;
  /** Reads `$…` at raw[i] (raw[i] === '$'); returns the literal text it stands for when it expands nothing. */
  const dollar = (): string => {
    const next = raw[i + 1];
    if (next === '{') {
      const close = raw.indexOf('}', i + 2);
      if (close < 0) {
        invalid = true;
        i = n;
        return '';
      }
      expands = true;
      const piece = raw.slice(i, close + 1);
      i = close + 1;
      return piece;
    }
    if (next !== undefined && NAME_START.test(next)) {
      let j = i + 2;
      while (j < n && NAME_CHAR.test(raw[j])) j++;
      expands = true;
      const piece = raw.slice(i, j);
      i = j;
      return piece;
    }
    if (next !== undefined && SPECIAL.test(next)) {
      expands = true;
      const piece = raw.slice(i, i + 2);
      i += 2;
      return piece;
    }
    i++;
    return '$';
  };
  while (i < n) {
    const ch = raw[i];
    if (ch === escapeChar) {
      // Outside quotes the escape character takes the next character literally; at the end it is dropped.
      if (i + 1 < n) text += raw[i + 1];
      i += 2;
    } else if (ch === "'") {
      const close = raw.indexOf("'", i + 1);
      if (close < 0) {
        invalid = true;
        break;
      }
      text += raw.slice(i + 1, close);
      i = close + 1;
    } else if (ch === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const c = raw[i];
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        if (c === escapeChar) {
          const next = raw[i + 1];
          if (next === undefined) {
            i++;
            continue;
          }
          if (next === '"' || next === '$' || next === escapeChar) {
            text += next;
            i += 2;
            continue;
          }
          text += c;
          i++;
          continue;
        }
        if (c === '$') {
          text += dollar();
          continue;
        }
        text += c;
        i++;
      }
      if (!closed) {
        invalid = true;
        break;
      }
    } else if (ch === '$') {
      text += dollar();
    } else {
      text += ch;
      i++;
    }
  }
  return { text, expands, invalid };
}
