// Finding Dockerfiles for `multistage lint DIR`, and reading them. Folders are walked with a visited
// set (device + inode), so symlinked folders are entered once however many links lead to them (two
// links to `.` would otherwise give 2^depth paths) and each Dockerfile is reported once. Only regular
// files are read, with a size cap (safeRead.ts): a FIFO or a device named like a Dockerfile is skipped
// with a message instead of blocking the run or reading without end.
import { readdirSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { describeFileType, outcomeReason, readRegularFile } from '../workspace/safeRead';

const DOCKERFILE_NAME = /(^|[._-])(docker|container)file([._-]|$)/i;
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'vendor', '.venv', 'venv', 'target', 'dist', 'build']);

/** The largest Dockerfile read (real ones are a few KB; the analysis handles 10 MB in about a second). */
export const MAX_DOCKERFILE_BYTES = 32 * 1024 * 1024;

export function isDockerfileName(name: string): boolean {
  return DOCKERFILE_NAME.test(name) && !name.endsWith('.dockerignore') && !/\.(md|txt|json|ya?ml|sh|js|ts)$/i.test(name);
}

export interface ExpandedPaths {
  files: string[];
  missing: string[];
  /** Files named like Dockerfiles that a folder walk left out, with the reason. */
  skipped: { path: string; reason: string }[];
}

const identity = (stat: Stats) => `${stat.dev}:${stat.ino}`;

/** Expands the paths given on the command line: files as they are, folders searched for Dockerfiles. */
export function expandPaths(paths: string[]): ExpandedPaths {
  const files: string[] = [];
  const missing: string[] = [];
  const skipped: ExpandedPaths['skipped'] = [];
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      let stat;
      try {
        stat = statSync(path);
      } catch {
        continue;
      }
      if (stat.isDirectory()) {
        if (SKIPPED_DIRS.has(name) || seenDirs.has(identity(stat))) continue;
        seenDirs.add(identity(stat));
        walk(path);
      } else if (isDockerfileName(name)) {
        if (!stat.isFile()) skipped.push({ path, reason: `${describeFileType(stat)}, not a regular file` });
        else if (!seenFiles.has(identity(stat))) {
          seenFiles.add(identity(stat));
          files.push(path);
        }
      }
    }
  };
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      missing.push(path);
      continue;
    }
    if (stat.isDirectory()) {
      if (seenDirs.has(identity(stat))) continue;
      seenDirs.add(identity(stat));
      walk(path);
    } else if (!stat.isFile() || !seenFiles.has(identity(stat))) {
      // Named explicitly: a FIFO or device is still reported, as a file that could not be read.
      if (stat.isFile()) seenFiles.add(identity(stat));
      files.push(path);
    }
  }
  return { files, missing, skipped };
}

/** A Dockerfile's text, or why it was not read. */
export function readDockerfile(path: string): { text: string } | { error: string } {
  const outcome = readRegularFile(path, { maxBytes: MAX_DOCKERFILE_BYTES });
  if (outcome.kind === 'ok') return { text: outcome.bytes.toString('utf8') };
  return { error: outcome.kind === 'missing' ? 'no such file' : outcomeReason(outcome) };
}
