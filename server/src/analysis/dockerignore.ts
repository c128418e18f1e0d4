// .dockerignore with Docker's own semantics (patterns, `!` exceptions, `**`, last match wins, a match on
// a parent folder excludes what is inside), after moby's patternmatcher; each pattern is matched in
// linear time (ignorePattern.ts). Also knows which ignore file BuildKit uses: `<Dockerfile>.dockerignore`
// next to the Dockerfile wins over the context's `.dockerignore`.
import { IgnorePattern } from './ignorePattern';
import type { ContextFiles } from './types';

export interface DockerignoreFile {
  /** Path relative to the context root. */
  path: string;
  content: string;
}

/** The ignore file BuildKit applies for this Dockerfile (path relative to the context root), if any. */
export function findDockerignore(context: ContextFiles, dockerfile?: string): DockerignoreFile | undefined {
  const candidates = dockerfile ? [`${normalizePath(dockerfile)}.dockerignore`, '.dockerignore'] : ['.dockerignore'];
  for (const path of candidates) {
    if (context.isDirectory(path)) continue;
    const content = context.read(path);
    if (content !== undefined) return { path, content };
    // There but unreadable (too large, a FIFO): BuildKit would use it, not the next one, so neither
    // does any rule; dockerignorePresent() still says it exists.
    if (context.exists(path)) return undefined;
  }
  return undefined;
}

/**
 * The ignore file BuildKit would use, when one exists, whether or not it could be read (a file over the
 * reader's cap, or not a regular file): rules that would tell the user to create one stay quiet then.
 */
export function dockerignorePresent(context: ContextFiles, dockerfile?: string): string | undefined {
  const candidates = dockerfile ? [`${normalizePath(dockerfile)}.dockerignore`, '.dockerignore'] : ['.dockerignore'];
  return candidates.find((path) => context.exists(path));
}

/** Context-relative path as the matcher expects it: forward slashes, no `./`, no leading or trailing `/`. */
export function normalizePath(path: string): string {
  const parts: string[] = [];
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    // A leading `..` survives: a Dockerfile outside the context is named relative to it.
    if (part === '..') {
      if (parts.length === 0 || parts[parts.length - 1] === '..') parts.push('..');
      else parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

/**
 * The patterns of a .dockerignore as Docker reads them: a UTF-8 BOM dropped, lines starting with `#`
 * dropped (before trimming: ` # x` is a pattern), whitespace trimmed, blank lines dropped.
 */
export function parsePatterns(content: string): string[] {
  return content
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((line) => !line.startsWith('#'))
    .map((line) => line.trim())
    .filter((line) => line !== '' && line !== '!');
}

export class DockerignoreMatcher {
  readonly patterns: readonly string[];
  private readonly compiled: readonly IgnorePattern[];

  /** Exception patterns (`!x`), cleaned as Docker cleans them, for the folder-walk check. */
  private readonly exceptions: readonly string[];

  constructor(content: string) {
    this.patterns = parsePatterns(content);
    this.compiled = this.patterns.map((p) => new IgnorePattern(p));
    this.exceptions = this.compiled.filter((p) => p.exclusion).map((p) => p.cleaned);
  }

  /**
   * For each folder level of a cleaned path (`a`, `a/b`, `a/b/c`): whether Docker's matcher excludes it,
   * each pattern matched once against the whole path (MatchesOrParentMatches at every level).
   */
  private levels(clean: string): boolean[] {
    const ends: number[] = [];
    for (let i = clean.indexOf('/'); i !== -1; i = clean.indexOf('/', i + 1)) ends.push(i);
    ends.push(clean.length);
    const hits = this.compiled.map((p) => p.matchesPrefixes(clean, ends));
    return ends.map((_, level) => {
      let matched = false;
      for (let k = 0; k < this.compiled.length; k++) {
        const pattern = this.compiled[k];
        // Docker skips an exception until something matched, and an exclusion once something has.
        if (pattern.exclusion !== matched) continue;
        let match = false;
        for (let j = 0; j <= level && !match; j++) match = hits[k][j];
        if (match) matched = !pattern.exclusion;
      }
      return matched;
    });
  }

  /** Whether the file or folder at this context-relative path is left out of the build context. */
  ignores(path: string): boolean {
    const clean = normalizePath(path);
    if (clean === '') return false;
    const excluded = this.levels(clean);
    // Docker walks the context and does not enter an excluded folder unless an exception pattern
    // starts with that folder's path, literally: `*` + `!packages/*/src` still drops packages/web/src.
    let folderEnd = clean.indexOf('/');
    for (let depth = 0; depth < excluded.length - 1; depth++) {
      const folder = clean.slice(0, folderEnd);
      if (excluded[depth] && !this.exceptions.some((e) => `${e}/`.startsWith(`${folder}/`))) return true;
      folderEnd = clean.indexOf('/', folderEnd + 1);
    }
    return excluded[excluded.length - 1];
  }

  /**
   * Whether a folder's contents are left out: the folder itself matches, or its contents do (`dir/*`,
   * `dir/**`). A `!` exception for something inside still counts as excluded for the rest.
   */
  excludesFolder(path: string): boolean {
    const clean = normalizePath(path);
    return this.ignores(clean) || this.ignores(`${clean}/multistage-probe-file`);
  }
}
