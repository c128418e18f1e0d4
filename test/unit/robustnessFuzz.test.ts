// Bounded fuzzing of the paths that must never hang or lose bytes, for CI: random folder trees with
// symlink loops, links out of the tree and FIFOs for `lint DIR`'s walk, and random non-UTF-8 files for
// `fix --write`. Counts are fixed and printed; a failure names its seed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expandPaths, isDockerfileName } from '../../server/src/cli/files';
import { runFix } from '../../server/src/cli/fix';

export const WALK_TREES = 40;
export const LATIN1_FILES = 150;

const dir = fs.mkdtempSync(join(tmpdir(), 'multistage-fuzz-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function random(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

test(`fuzz: lint's walk over ${WALK_TREES} random trees with symlink loops, outside links and FIFOs terminates and reports each Dockerfile once`, { timeout: 120_000 }, () => {
  const outside = join(dir, 'outside');
  fs.mkdirSync(outside);
  fs.writeFileSync(join(outside, 'Dockerfile'), 'FROM scratch\n');
  for (let seed = 1; seed <= WALK_TREES; seed++) {
    const next = random(seed);
    const root = join(dir, `tree${seed}`);
    const folders = [root];
    const regular: string[] = [];
    for (let i = 0; i < 8; i++) {
      const parent = folders[Math.floor(next() * folders.length)];
      const folder = join(parent, `d${i}`);
      fs.mkdirSync(folder, { recursive: true });
      folders.push(folder);
    }
    for (let i = 0; i < 6; i++) {
      const file = join(folders[Math.floor(next() * folders.length)], next() < 0.5 ? `Dockerfile.f${i}` : `f${i}.Dockerfile`);
      fs.writeFileSync(file, 'FROM scratch\n');
      regular.push(file);
    }
    for (let i = 0; i < 6; i++) {
      const at = folders[Math.floor(next() * folders.length)];
      const kind = next();
      if (kind < 0.5) fs.symlinkSync(relative(at, folders[Math.floor(next() * folders.length)]) || '.', join(at, `loop${i}`));
      else if (kind < 0.7) fs.symlinkSync(outside, join(at, `out${i}`));
      else if (kind < 0.85) execFileSync('mkfifo', [join(at, `Dockerfile.fifo${i}`)]);
      else fs.symlinkSync('/dev/zero', join(at, `Dockerfile.zero${i}`));
    }
    const { files, skipped } = expandPaths([root]);
    const inodes = files.map((f) => {
      const s = fs.statSync(f);
      return `${s.dev}:${s.ino}`;
    });
    assert.equal(new Set(inodes).size, inodes.length, `seed ${seed}: a Dockerfile reported twice`);
    for (const file of regular) assert.ok(inodes.includes(`${fs.statSync(file).dev}:${fs.statSync(file).ino}`), `seed ${seed}: ${file} not found`);
    assert.ok(files.every((f) => fs.statSync(f).isFile() && isDockerfileName(f.slice(f.lastIndexOf('/') + 1))));
    assert.ok(skipped.every((s) => /not a regular file/.test(s.reason)));
  }
});

test(`fuzz: fix --write on ${LATIN1_FILES} random non-UTF-8 files keeps every untouched line byte for byte`, { timeout: 300_000 }, () => {
  const quiet = { stdout() {}, stderr() {}, version: 'test' };
  let fixedFiles = 0;
  for (let seed = 1; seed <= LATIN1_FILES; seed++) {
    const next = random(seed * 7919);
    const high = () => Buffer.from(Array.from({ length: 1 + Math.floor(next() * 6) }, () => 0x80 + Math.floor(next() * 0x80)));
    const untouched: Buffer[] = [];
    const lines: Buffer[] = [Buffer.from('FROM debian:12')];
    for (let i = 0; i < 12; i++) {
      const kind = next();
      let line: Buffer;
      if (kind < 0.3) {
        line = Buffer.concat([Buffer.from('# note '), high()]);
        untouched.push(line);
      } else if (kind < 0.5) {
        line = Buffer.concat([Buffer.from('LABEL description="'), high(), Buffer.from('"')]);
        untouched.push(line);
      } else if (kind < 0.7) line = Buffer.from(`RUN apt-get update && apt-get install -y pkg${i}`);
      else if (kind < 0.85) line = Buffer.from(`ADD conf${i}.json /etc/app/`);
      else line = Buffer.from(`RUN pip install pkg${i}`);
      lines.push(line);
    }
    const file = join(dir, `latin${seed}.Dockerfile`);
    const original = Buffer.concat([Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')]))]);
    fs.writeFileSync(file, original);
    assert.equal(runFix([file, '--write'], quiet), 0, `seed ${seed}`);
    const written = fs.readFileSync(file);
    if (!written.equals(original)) fixedFiles++;
    // Every untouched line is still there, byte for byte, in order.
    let from = 0;
    for (const line of untouched) {
      const at = written.indexOf(Buffer.concat([line, Buffer.from('\n')]), from);
      assert.ok(at >= 0, `seed ${seed}: lost ${line.toString('hex')}`);
      from = at + line.length;
    }
    assert.equal(runFix([file, '--write'], quiet), 0);
    assert.ok(fs.readFileSync(file).equals(written), `seed ${seed}: a second fix changed the file`);
  }
  assert.ok(fixedFiles > LATIN1_FILES / 2, `only ${fixedFiles} files had anything to fix`);
});
