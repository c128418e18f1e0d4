// Reading a file that someone else controls (a build context, a path on the command line) without
// hanging or filling memory: only regular files are read, never more than a cap. A FIFO or a device
// (`.dockerignore → /dev/zero`) is recognised before anything is read from it; the open uses O_NONBLOCK,
// so opening a FIFO that has no writer returns at once instead of waiting for one, and the decision is
// made on fstat of the open descriptor, so a file swapped between a look and the open cannot slip by.
import * as fs from 'node:fs';
import { formatBinaryBytes } from '../analysis/bytes';

export type ReadOutcome =
  | { kind: 'ok'; bytes: Buffer }
  | { kind: 'missing' }
  | { kind: 'not-regular'; what: string }
  | { kind: 'too-large'; limit: number; size?: number }
  | { kind: 'error'; message: string };

export interface ReadOptions {
  maxBytes: number;
  /** Refuse when the last component is a symlink (the caller resolved links itself). */
  noFollow?: boolean;
}

/** What a non-regular file is, in words for messages. */
export function describeFileType(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  if (stat.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

const { O_RDONLY, O_NONBLOCK, O_NOFOLLOW } = fs.constants;

export function readRegularFile(file: string, options: ReadOptions): ReadOutcome {
  // A look first, so that devices are never even opened (opening some has effects); the fstat below
  // is what decides.
  try {
    const seen = options.noFollow ? fs.lstatSync(file) : fs.statSync(file);
    if (!seen.isFile()) return { kind: 'not-regular', what: describeFileType(seen) };
    if (seen.size > options.maxBytes) return { kind: 'too-large', limit: options.maxBytes, size: seen.size };
  } catch (error) {
    return failure(error);
  }
  let fd: number;
  try {
    fd = fs.openSync(file, O_RDONLY | O_NONBLOCK | (options.noFollow && O_NOFOLLOW !== undefined ? O_NOFOLLOW : 0));
  } catch (error) {
    return failure(error);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { kind: 'not-regular', what: describeFileType(stat) };
    if (stat.size > options.maxBytes) return { kind: 'too-large', limit: options.maxBytes, size: stat.size };
    // The file may grow after fstat: read at most one byte past the cap, to know that it did.
    const buffer = Buffer.allocUnsafe(Math.min(options.maxBytes + 1, Math.max(stat.size + 1, 64 * 1024)));
    let total = 0;
    let target = buffer;
    for (;;) {
      if (total === target.length) {
        if (total > options.maxBytes) return { kind: 'too-large', limit: options.maxBytes };
        const grown = Buffer.allocUnsafe(Math.min(options.maxBytes + 1, target.length * 2));
        target.copy(grown, 0, 0, total);
        target = grown;
      }
      const read = fs.readSync(fd, target, total, target.length - total, null);
      if (read === 0) break;
      total += read;
    }
    if (total > options.maxBytes) return { kind: 'too-large', limit: options.maxBytes };
    return { kind: 'ok', bytes: target.subarray(0, total) };
  } catch (error) {
    return failure(error);
  } finally {
    fs.closeSync(fd);
  }
}

function failure(error: unknown): ReadOutcome {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
  if (code === 'ELOOP') return { kind: 'not-regular', what: 'a symbolic link' };
  return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
}

/** A one-line reason for a read that gave no content ('' for ok). */
export function outcomeReason(outcome: ReadOutcome): string {
  switch (outcome.kind) {
    case 'ok': return '';
    case 'missing': return 'no such file';
    case 'not-regular': return `${outcome.what}, not a regular file; not read`;
    case 'too-large': return `larger than ${formatBinaryBytes(outcome.limit)}${outcome.size !== undefined ? ` (${formatBinaryBytes(outcome.size)})` : ''}; not read`;
    case 'error': return outcome.message;
  }
}
