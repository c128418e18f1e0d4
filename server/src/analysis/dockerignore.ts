// .dockerignore with Docker's own semantics (patterns, `!` exceptions, `**`, last match wins), on top of
// @balena/dockerignore, a port of Docker's Go matcher. Also knows which ignore file BuildKit uses:
// `<Dockerfile>.dockerignore` next to the Dockerfile wins over the context's `.dockerignore`.
import ignore from '@balena/dockerignore';
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

/** The patterns of a .dockerignore: comments and blank lines dropped, whitespace trimmed, as Docker reads it. */
export function parsePatterns(content: string): string[] {
  return content
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

export class DockerignoreMatcher {
  readonly patterns: readonly string[];
  private readonly matcher: ReturnType<typeof ignore>;

  /** Exception patterns (`!x`), cleaned as Docker cleans them, for the folder-walk check. */
  private readonly exceptions: readonly string[];

  constructor(content: string) {
    this.patterns = parsePatterns(content);
    this.matcher = ignore().add([...this.patterns]);
    this.exceptions = this.patterns.filter((p) => p.startsWith('!')).map((p) => normalizePath(p.slice(1).trim()));
  }

  /** Whether the file or folder at this context-relative path is left out of the build context. */
  ignores(path: string): boolean {
    const clean = normalizePath(path);
    if (clean === '') return false;
    // Docker walks the context and does not enter an excluded folder unless an exception pattern
    // starts with that folder's path, literally: `*` + `!packages/*/src` still drops packages/web/src.
    const parts = clean.split('/');
    for (let depth = 1; depth < parts.length; depth++) {
      const folder = parts.slice(0, depth).join('/');
      if (this.matcher.ignores(folder) && !this.exceptions.some((e) => `${e}/`.startsWith(`${folder}/`))) return true;
    }
    return this.matcher.ignores(clean);
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
