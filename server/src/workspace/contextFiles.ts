// The build context on disk, as the rules see it (ContextFiles from analysis/types.ts): synchronous,
// because analysis is synchronous; cached per context root, because every keystroke re-runs the rules;
// bounded, because a context can be a home folder; and invalidated by file-watcher events.
// Hostile contexts are expected: only regular files are read (safeRead.ts), never more than a cap, and a
// symlink that leaves the context is not followed, because Docker sends the link, not what it points at.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ContextFiles } from '../analysis/types';
import { outcomeReason, readRegularFile } from './safeRead';

export interface ContextLimits {
  /** Deepest folder level that is looked into (root = 0). */
  maxDepth: number;
  /** Entries returned per folder listing (the rest are left out). */
  maxEntries: number;
  /** Largest file that read() returns; bigger files read as undefined. */
  maxFileBytes: number;
  /** Largest ignore file (`.dockerignore`, `<Dockerfile>.dockerignore`) read: Docker reads any size. */
  maxIgnoreFileBytes?: number;
}

const IGNORE_FILE_BYTES = 32 * 1024 * 1024;
export const DEFAULT_LIMITS: ContextLimits = { maxDepth: 6, maxEntries: 2000, maxFileBytes: 512 * 1024, maxIgnoreFileBytes: IGNORE_FILE_BYTES };

/** Says why a file in a context was not read (once per file until it changes). */
export type ContextLog = (message: string) => void;

interface Stat {
  exists: boolean;
  directory: boolean;
  size: number;
}

const MISSING: Stat = { exists: false, directory: false, size: 0 };

function isIgnoreFile(rel: string): boolean {
  return rel === '.dockerignore' || rel.endsWith('.dockerignore');
}

function realpathOr(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

/** Cached views of the file system under one root. */
class CachedRoot {
  readonly stats = new Map<string, Stat>();
  readonly listings = new Map<string, string[]>();
  readonly contents = new Map<string, string | undefined>();
  /** Where each path really is (see resolve()). */
  readonly resolved = new Map<string, string | 'outside' | undefined>();
  private readonly realRoot: string;

  constructor(readonly root: string, private readonly limits: ContextLimits, private readonly log?: ContextLog) {
    this.realRoot = realpathOr(root);
  }

  /**
   * Where a context path really is, when it stays inside the context; 'outside' when a symlink on the
   * way leads out of it (Docker sends such a link as a link); undefined when it does not exist.
   */
  private resolve(rel: string): string | 'outside' | undefined {
    if (rel === '') return this.realRoot;
    if (this.resolved.has(rel)) return this.resolved.get(rel);
    const cut = rel.lastIndexOf('/');
    const parent = this.resolve(cut === -1 ? '' : rel.slice(0, cut));
    let where: string | 'outside' | undefined = parent;
    if (parent !== undefined && parent !== 'outside') {
      // The parent is a real folder inside: only a link here can lead out (one lstat per path).
      const full = path.join(parent, rel.slice(cut + 1));
      let link: fs.Stats | undefined;
      try {
        link = fs.lstatSync(full, { throwIfNoEntry: false });
      } catch {
        link = undefined; // ENOTDIR, EACCES: not there as far as the rules are concerned
      }
      if (!link) where = undefined;
      else if (!link.isSymbolicLink()) where = full;
      else {
        try {
          const real = fs.realpathSync(full);
          const within = path.relative(this.realRoot, real);
          where = within === '' || (!within.startsWith('..') && !path.isAbsolute(within)) ? real : 'outside';
        } catch {
          // A dangling link still exists (as a link) in what Docker sends.
          where = 'outside';
        }
      }
    } else if (parent === 'outside') where = undefined;
    this.resolved.set(rel, where);
    return where;
  }

  /** `a/./b/../c` → `a/c`; undefined for paths that leave the root or go deeper than allowed. */
  private clean(relPath: string): string | undefined {
    const parts: string[] = [];
    for (const part of relPath.replace(/\\/g, '/').split('/')) {
      if (part === '' || part === '.') continue;
      if (part === '..') {
        if (parts.length === 0) return undefined;
        parts.pop();
      } else parts.push(part);
    }
    if (parts.length > this.limits.maxDepth + 1) return undefined;
    return parts.join('/');
  }

  stat(relPath: string): Stat {
    const rel = this.clean(relPath);
    if (rel === undefined) return MISSING;
    let stat = this.stats.get(rel);
    if (!stat) {
      const where = this.resolve(rel);
      if (where === undefined) stat = MISSING;
      else if (where === 'outside') stat = { exists: true, directory: false, size: 0 };
      else {
        try {
          const s = fs.statSync(where);
          stat = { exists: true, directory: s.isDirectory(), size: s.size };
        } catch {
          stat = MISSING;
        }
      }
      this.stats.set(rel, stat);
    }
    return stat;
  }

  list(relDir: string): string[] {
    const rel = this.clean(relDir);
    if (rel === undefined || (rel !== '' && rel.split('/').length > this.limits.maxDepth)) return [];
    let names = this.listings.get(rel);
    if (!names) {
      const where = this.resolve(rel);
      try {
        names = where && where !== 'outside' ? fs.readdirSync(where).sort().slice(0, this.limits.maxEntries) : [];
      } catch {
        names = [];
      }
      this.listings.set(rel, names);
    }
    return names;
  }

  read(relPath: string): string | undefined {
    const rel = this.clean(relPath);
    if (rel === undefined) return undefined;
    if (this.contents.has(rel)) return this.contents.get(rel);
    let content: string | undefined;
    const where = this.resolve(rel);
    if (where === 'outside') {
      this.log?.(`${path.join(this.root, rel)}: a symbolic link that leads out of the build context; Docker sends the link, so it is not followed`);
    } else if (where !== undefined && !this.stat(rel).directory) {
      // The real path has no links left: O_NOFOLLOW refuses one swapped in since.
      const outcome = readRegularFile(where, { maxBytes: isIgnoreFile(rel) ? this.limits.maxIgnoreFileBytes ?? IGNORE_FILE_BYTES : this.limits.maxFileBytes, noFollow: true });
      if (outcome.kind === 'ok') content = outcome.bytes.toString('utf8');
      else if (outcome.kind !== 'missing') this.log?.(`${path.join(this.root, rel)}: ${outcomeReason(outcome)}`);
    }
    this.contents.set(rel, content);
    return content;
  }

  /** Forgets what is known about `rel`, everything below it, and its parent's listing. */
  invalidate(rel: string): void {
    const inside = (key: string) => rel === '' || key === rel || key.startsWith(`${rel}/`);
    for (const map of [this.stats, this.listings, this.contents, this.resolved] as Map<string, unknown>[]) {
      for (const key of [...map.keys()]) if (inside(key)) map.delete(key);
    }
    const parent = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
    this.listings.delete(parent);
  }
}

/** One cache per context root, shared by every Dockerfile that builds from it. */
export class ContextFilesCache {
  private readonly roots = new Map<string, CachedRoot>();

  constructor(private readonly limits: ContextLimits = DEFAULT_LIMITS, private readonly log?: ContextLog) {}

  /** The context rooted at `root` (absolute), seen from the Dockerfile at `dockerfile` (absolute). */
  contextFor(root: string, dockerfile?: string): ContextFiles {
    const resolvedRoot = path.resolve(root);
    let cached = this.roots.get(resolvedRoot);
    if (!cached) {
      cached = new CachedRoot(resolvedRoot, this.limits, this.log);
      this.roots.set(resolvedRoot, cached);
    }
    const view = cached;
    const relDockerfile = dockerfile ? path.relative(resolvedRoot, path.resolve(dockerfile)).split(path.sep).join('/') : undefined;
    if (!dockerfile || !relDockerfile || path.isAbsolute(relDockerfile)) {
      return { root: resolvedRoot, exists: (p) => view.stat(p).exists, isDirectory: (p) => view.stat(p).directory, list: (d) => view.list(d), read: (p) => view.read(p) };
    }
    // BuildKit reads `<Dockerfile>.dockerignore` next to the Dockerfile even when the Dockerfile lies
    // outside the context (`-f ../docker/api.Dockerfile .`): that one file is readable from outside.
    const outsideIgnore = relDockerfile.startsWith('../') ? `${relDockerfile}.dockerignore` : undefined;
    const readOutside = () => this.readOutside(`${path.resolve(dockerfile)}.dockerignore`);
    const isOutsideIgnore = (p: string) => outsideIgnore !== undefined && p.replace(/\\/g, '/').replace(/^\.\//, '') === outsideIgnore;
    return {
      root: resolvedRoot,
      dockerfile: relDockerfile,
      exists: (p) => (isOutsideIgnore(p) ? readOutside() !== undefined : view.stat(p).exists),
      isDirectory: (p) => (isOutsideIgnore(p) ? false : view.stat(p).directory),
      list: (d) => view.list(d),
      read: (p) => (isOutsideIgnore(p) ? readOutside() : view.read(p)),
    };
  }

  private readonly outside = new Map<string, string | undefined>();

  private readOutside(file: string): string | undefined {
    if (!this.outside.has(file)) {
      const outcome = readRegularFile(file, { maxBytes: this.limits.maxIgnoreFileBytes ?? IGNORE_FILE_BYTES });
      if (outcome.kind !== 'ok' && outcome.kind !== 'missing') this.log?.(`${file}: ${outcomeReason(outcome)}`);
      this.outside.set(file, outcome.kind === 'ok' ? outcome.bytes.toString('utf8') : undefined);
    }
    return this.outside.get(file);
  }

  /** Drops cached facts about an absolute path in every root that contains it. Returns whether any root did. */
  invalidate(absolutePath: string): boolean {
    const target = path.resolve(absolutePath);
    let touched = this.outside.delete(target);
    for (const [root, cached] of this.roots) {
      const rel = path.relative(root, target);
      if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
      cached.invalidate(rel.split(path.sep).join('/'));
      touched = true;
    }
    return touched;
  }

  clear(): void {
    this.roots.clear();
    this.outside.clear();
  }
}
