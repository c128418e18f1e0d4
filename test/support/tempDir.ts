// A temporary folder that removes itself, so unit tests leave nothing in /tmp. Made at a file's top level it
// lasts until the file's last test; made inside a test it is removed when that test ends (node:test's after()
// attaches to the test that is running).
import { after } from 'node:test';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDir(prefix: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
