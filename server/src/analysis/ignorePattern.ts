// One .dockerignore pattern, matched as Docker matches it (moby/patternmatcher): the pattern is turned
// into the same pieces Docker turns into a Go regular expression (`*` → `[^/]*`, `?` → `[^/]`, `**/` →
// `(.*/)?`, a trailing `**` → `.*`, `[...]` classes, `\` escapes), and Docker's shortcuts for plain,
// `prefix/**` and `**/suffix` patterns are kept, with their quirks. Go's regexp never backtracks; a
// JavaScript RegExp built the same way does, and `**/**/**/*a*a*a*b` against a long name took seconds.
// So the pieces run here as a set-of-states automaton: time linear in pattern × path length, always.

type Piece =
  | { kind: 'char'; char: string }
  | { kind: 'star' } // [^/]*
  | { kind: 'one' } // [^/]
  | { kind: 'anyDirs' } // (.*/)?
  | { kind: 'rest' } // .*
  | { kind: 'class'; negated: boolean; items: { from: string; to: string }[] };

type MatchType = 'exact' | 'prefix' | 'suffix' | 'automaton';

/** filepath.Clean for `/`-separated paths. */
export function cleanPath(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
    } else out.push(part);
  }
  const joined = out.join('/');
  return rooted ? `/${joined}` : joined || '.';
}

export class IgnorePattern {
  readonly exclusion: boolean;
  /** The pattern as Docker keeps it after cleaning (without `!`). */
  readonly cleaned: string;
  /** False for a pattern Docker rejects (an unclosed `[`): Docker fails the build; here it matches nothing. */
  readonly valid: boolean = true;
  private matchType: MatchType = 'exact';
  private readonly pieces: Piece[] = [];

  /** `pattern` as a line of .dockerignore after Docker's reading (trimmed, comments dropped). */
  constructor(pattern: string) {
    let p = pattern.trim();
    let exclusion = false;
    if (p.startsWith('!')) {
      exclusion = true;
      p = p.slice(1).trim();
    }
    // dockerignore.ReadAll, then NewPatternMatcher: cleaned, made relative to the context, cleaned again.
    if (p.length > 0) {
      p = cleanPath(p);
      if (p.length > 1 && p.startsWith('/')) p = p.slice(1);
    }
    p = cleanPath(p.trim());
    this.exclusion = exclusion;
    this.cleaned = p;
    try {
      this.compile([...p]);
    } catch {
      this.valid = false;
    }
  }

  private compile(chars: string[]): void {
    let at = 0;
    for (let i = 0; at < chars.length; i++) {
      const ch = chars[at++];
      if (ch === '*') {
        if (chars[at] === '*') {
          at++;
          if (chars[at] === '/') at++;
          if (at >= chars.length) {
            if (this.matchType === 'exact') this.matchType = 'prefix';
            else {
              this.pieces.push({ kind: 'rest' });
              this.matchType = 'automaton';
            }
          } else {
            this.pieces.push({ kind: 'anyDirs' });
            this.matchType = 'automaton';
          }
          if (i === 0) this.matchType = 'suffix';
        } else {
          this.pieces.push({ kind: 'star' });
          this.matchType = 'automaton';
        }
      } else if (ch === '?') {
        this.pieces.push({ kind: 'one' });
        this.matchType = 'automaton';
      } else if (ch === '\\') {
        this.pieces.push({ kind: 'char', char: at < chars.length ? chars[at++] : '\\' });
      } else if (ch === '[') {
        at = this.compileClass(chars, at);
        this.matchType = 'automaton';
      } else if (ch === ']') {
        // A lone `]` is a literal in a Go regexp.
        this.pieces.push({ kind: 'char', char: ch });
        this.matchType = 'automaton';
      } else {
        // Docker escapes regexp specials (`.`, `+`, `(`…) so they are plain characters, as here.
        this.pieces.push({ kind: 'char', char: ch });
      }
    }
    // `prefix` and `suffix` shortcuts were decided on the way; the pieces are only needed for automata.
    if (this.matchType === 'prefix' && !this.cleaned.endsWith('**')) this.matchType = 'automaton';
  }

  /** `[...]` as Go's regexp reads what Docker passes through: `^` negates, `a-z` ranges, `\x` escapes. */
  private compileClass(chars: string[], start: number): number {
    let at = start;
    let negated = false;
    if (chars[at] === '^') {
      negated = true;
      at++;
    }
    const items: { from: string; to: string }[] = [];
    let first = true;
    for (;;) {
      if (at >= chars.length) throw new Error('unclosed [');
      let ch = chars[at++];
      if (ch === ']' && !first) break;
      first = false;
      if (ch === '\\') {
        if (at >= chars.length) throw new Error('bad escape');
        ch = chars[at++];
      }
      if (chars[at] === '-' && at + 1 < chars.length && chars[at + 1] !== ']') {
        at++;
        let to = chars[at++];
        if (to === '\\') {
          if (at >= chars.length) throw new Error('bad escape');
          to = chars[at++];
        }
        if (to.codePointAt(0)! < ch.codePointAt(0)!) throw new Error('bad range');
        items.push({ from: ch, to });
      } else items.push({ from: ch, to: ch });
    }
    this.pieces.push({ kind: 'class', negated, items });
    return at;
  }

  /** Whether the pattern matches this path (cleaned, `/`-separated, relative to the context). */
  matches(path: string): boolean {
    return this.matchesPrefixes(path, [path.length])[0];
  }

  /**
   * Whether the pattern matches `path.slice(0, end)` for each of `ends` (ascending): the path and its
   * parent folders in one pass, so a file costs pattern × path length, not × depth as well.
   */
  matchesPrefixes(path: string, ends: readonly number[]): boolean[] {
    if (!this.valid) return ends.map(() => false);
    switch (this.matchType) {
      case 'exact':
        return ends.map((end) => end === this.cleaned.length && path.startsWith(this.cleaned));
      case 'prefix': {
        const prefix = this.cleaned.slice(0, -2);
        return ends.map((end) => end >= prefix.length && path.startsWith(prefix));
      }
      case 'suffix': {
        const suffix = this.cleaned.slice(2);
        return ends.map((end) => {
          const p = path.slice(0, end);
          return p.endsWith(suffix) || (suffix.startsWith('/') && p === suffix.slice(1));
        });
      }
      default:
        return this.run(path, ends);
    }
  }

  /** The automaton: states 0..n (before piece i; n accepts) plus, per anyDirs piece, a state for "inside its group". */
  private run(path: string, ends: readonly number[]): boolean[] {
    const pieces = this.pieces;
    const n = pieces.length;
    let current = new Uint8Array(2 * (n + 1));
    let next = new Uint8Array(2 * (n + 1));
    const add = (states: Uint8Array, from: number) => {
      // Epsilon moves: star, rest and anyDirs may match nothing; anyDirs may also start its group.
      for (let i = from; i <= n; i++) {
        if (states[i]) return;
        states[i] = 1;
        const piece = pieces[i];
        if (!piece) return;
        if (piece.kind === 'anyDirs') states[n + 1 + i] = 1;
        else if (piece.kind !== 'star' && piece.kind !== 'rest') return;
      }
    };
    add(current, 0);
    const results: boolean[] = [];
    let nextEnd = 0;
    const chars = [...path];
    let offset = 0;
    for (let c = 0; ; c++) {
      while (nextEnd < ends.length && ends[nextEnd] === offset) {
        results.push(current[n] === 1);
        nextEnd++;
      }
      if (c >= chars.length || nextEnd >= ends.length) break;
      const ch = chars[c];
      offset += ch.length;
      next.fill(0);
      let alive = false;
      for (let i = 0; i < n; i++) {
        const piece = pieces[i];
        if (current[i]) {
          switch (piece.kind) {
            case 'char':
              if (ch === piece.char) (add(next, i + 1), (alive = true));
              break;
            case 'one':
              if (ch !== '/') (add(next, i + 1), (alive = true));
              break;
            case 'class':
              if (inClass(piece, ch)) (add(next, i + 1), (alive = true));
              break;
            case 'star':
              if (ch !== '/') (add(next, i), (alive = true));
              break;
            case 'rest':
              add(next, i);
              alive = true;
              break;
            default:
              break;
          }
        }
        if (piece.kind === 'anyDirs' && current[n + 1 + i]) {
          next[n + 1 + i] = 1;
          alive = true;
          if (ch === '/') add(next, i + 1);
        }
      }
      [current, next] = [next, current];
      if (!alive) {
        while (results.length < ends.length) results.push(false);
        return results;
      }
    }
    while (results.length < ends.length) results.push(false);
    return results;
  }
}

function inClass(piece: Extract<Piece, { kind: 'class' }>, ch: string): boolean {
  const code = ch.codePointAt(0)!;
  const hit = piece.items.some((r) => code >= r.from.codePointAt(0)! && code <= r.to.codePointAt(0)!);
  return hit !== piece.negated;
}
