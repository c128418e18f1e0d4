// Replacing a file without ever leaving it half written: the new bytes go to a temporary file in the
// same folder (same file system, so the rename is atomic), with the original's mode and owner, synced,
// and only then renamed over the original. A full disk or any other failure leaves the original as it
// was and removes the temporary file. Just before the rename the original is read again: if someone
// changed it since it was read, nothing is replaced.
import * as fs from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { outcomeReason, readRegularFile } from '../workspace/safeRead';

/** The file changed on disk between reading it and replacing it. */
export class FileChangedError extends Error {}

/** The file-system calls a replacement makes; tests hand in ones that fail. */
export interface WriteCalls {
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
}

const REAL_CALLS: WriteCalls = {
  writeSync: (fd, buffer, offset, length) => fs.writeSync(fd, buffer, offset, length),
  fsyncSync: (fd) => fs.fsyncSync(fd),
};

/**
 * Writes `bytes` over `file` when it still holds exactly `expected`. A symlink is written through (the
 * link stays a link). Throws FileChangedError when the file moved on, and the write's own error
 * otherwise; in both cases the original is untouched.
 */
export function replaceFile(file: string, bytes: Uint8Array, expected: Uint8Array, calls: WriteCalls = REAL_CALLS): void {
  const target = fs.realpathSync(file);
  const stat = fs.statSync(target);
  const temp = join(dirname(target), `.${basename(target)}.multistage-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const fd = fs.openSync(temp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
  let renamed = false;
  try {
    try {
      for (let offset = 0; offset < bytes.length;) offset += calls.writeSync(fd, bytes, offset, bytes.length - offset);
      // Owner first: chown clears set-id bits, which the chmod after it restores.
      if (typeof process.getuid === 'function' && (stat.uid !== process.getuid() || stat.gid !== process.getgid?.())) {
        try {
          fs.fchownSync(fd, stat.uid, stat.gid);
        } catch (error) {
          throw new Error(`cannot give the new file the owner of ${file} (uid ${stat.uid}, gid ${stat.gid}): ${(error as Error).message}`);
        }
      }
      fs.fchmodSync(fd, stat.mode & 0o7777);
      calls.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    const now = readRegularFile(target, { maxBytes: Math.max(expected.length, 1) });
    if (now.kind !== 'ok' || !Buffer.from(now.bytes).equals(Buffer.from(expected))) {
      throw new FileChangedError(`${file} changed on disk while fix ran${now.kind === 'ok' || now.kind === 'too-large' ? '' : ` (${outcomeReason(now)})`}; nothing was written. Run fix again.`);
    }
    fs.renameSync(temp, target);
    renamed = true;
    syncFolder(dirname(target));
  } finally {
    if (!renamed) fs.rmSync(temp, { force: true });
  }
}

/** Makes the rename itself durable; some file systems cannot sync a folder, which is no reason to fail. */
function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(folder, 'r');
    fs.fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
