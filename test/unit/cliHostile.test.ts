// The CLI on inputs built to hang it or lose data: symlink loops and FIFOs met in a folder walk,
// /dev/zero and FIFOs named on the command line, hostile build contexts, Latin-1 files, a full disk and
// a file edited while `fix` runs. Every run has a timeout: a hang is a failure, not a stuck suite.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFix } from '../../server/src/cli/fix';
import { replaceFile, FileChangedError } from '../../server/src/cli/replaceFile';
import { requirePart } from '../support/requirements';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'server', 'out', 'cli.js');
const dir = fs.mkdtempSync(join(tmpdir(), 'multistage-clihostile-'));
const GO = 'FROM golang:1.22 AS builder\nWORKDIR /src\nCOPY . .\nRUN go build -o /app\nFROM scratch\nCOPY --from=builder /app /app\n';
// A fixable problem on line 2 (apt lists left in the layer), untouched lines around it.
const FIXABLE = 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\nCMD ["curl"]\n';

function cli(args: string[], timeout = 20_000) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
}

function folder(name: string, files: Record<string, string> = {}): string {
  const root = join(dir, name);
  fs.mkdirSync(root, { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(join(root, rel, '..'), { recursive: true });
    fs.writeFileSync(join(root, rel), content);
  }
  return root;
}

function capture() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), version: 'test' } };
}

before(() => {
  const built = spawnSync(process.execPath, ['esbuild.config.mjs'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('cli lint: two symlinks to . terminate, and each Dockerfile is reported once', () => {
  const root = folder('loops', { 'Dockerfile': GO, 'svc/api.Dockerfile': GO });
  fs.symlinkSync('.', join(root, 'self'));
  fs.symlinkSync('.', join(root, 'again'));
  fs.symlinkSync('..', join(root, 'svc', 'up'));
  fs.symlinkSync('api.Dockerfile', join(root, 'svc', 'Dockerfile.link'));
  const r = cli(['lint', root, '--fail-on', 'none']);
  assert.equal(r.signal, null, `killed after ${r.ms} ms: the walk did not terminate`);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^2 files checked/m, r.stdout);
  const json = cli(['lint', root, '--fail-on', 'none', '--format', 'json']);
  const single = cli(['lint', join(root, 'Dockerfile'), '--fail-on', 'none', '--format', 'json']);
  const files = new Set((JSON.parse(json.stdout) as { file: string }[]).map((f) => f.file));
  assert.equal(files.size, 2, [...files].join('\n'));
  assert.equal(JSON.parse(json.stdout).length, 2 * JSON.parse(single.stdout).length, 'each file\'s problems once');
});

test('cli lint: /dev/zero, a FIFO and a device link named on the command line neither block nor read: exit 2 with a reason', () => {
  const root = folder('special');
  execFileSync('mkfifo', [join(root, 'Dockerfile.fifo')]);
  fs.symlinkSync('/dev/zero', join(root, 'Dockerfile.zero'));
  for (const [file, what] of [['/dev/zero', 'a character device'], [join(root, 'Dockerfile.fifo'), 'a FIFO'], [join(root, 'Dockerfile.zero'), 'a character device']]) {
    const r = cli(['lint', file], 10_000);
    assert.equal(r.signal, null, `${file}: killed after ${r.ms} ms`);
    assert.equal(r.code, 2, `${file}: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, new RegExp(`cannot read: ${what}.*not a regular file`), file);
  }
});

test('cli lint: a FIFO or /dev/zero met as Dockerfile.dev in a walk is skipped with a message; the rest is linted', () => {
  const root = folder('walk', { 'Dockerfile': GO });
  execFileSync('mkfifo', [join(root, 'Dockerfile.dev')]);
  fs.symlinkSync('/dev/zero', join(root, 'Dockerfile.zero'));
  const r = cli(['lint', root, '--fail-on', 'none'], 10_000);
  assert.equal(r.signal, null, `killed after ${r.ms} ms`);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /skipped .*Dockerfile\.dev: a FIFO \(named pipe\), not a regular file/);
  assert.match(r.stderr, /skipped .*Dockerfile\.zero: a character device, not a regular file/);
  assert.match(r.stdout, /1 file checked/);
});

test('cli lint: a hostile build context (.dockerignore → /dev/zero, package.json a FIFO, a 64 GB sparse file) finishes with warnings', () => {
  const root = folder('context', { 'Dockerfile': 'FROM node:20-slim\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci\nCOPY . .\nCMD ["node", "server.js"]\n' });
  fs.symlinkSync('/dev/zero', join(root, '.dockerignore'));
  execFileSync('mkfifo', [join(root, 'package.json')]);
  fs.closeSync(fs.openSync(join(root, 'requirements.txt'), 'w'));
  fs.truncateSync(join(root, 'requirements.txt'), 64 * 1024 ** 3);
  const r = cli(['lint', join(root, 'Dockerfile'), '--fail-on', 'none'], 10_000);
  assert.equal(r.signal, null, `killed after ${r.ms} ms`);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /warning: .*\.dockerignore: a symbolic link that leads out of the build context/);
  assert.match(r.stderr, /warning: .*package\.json: a FIFO \(named pipe\), not a regular file; not read/);
  assert.doesNotMatch(r.stdout, /missing-dockerignore/);
});

test('cli fix --write: a Latin-1 file keeps every byte of the lines no fix touched', () => {
  const root = folder('latin1');
  const file = join(root, 'Dockerfile');
  // "café" and "Ümlaut" in Latin-1: 0xE9 and 0xDC are not valid UTF-8 on their own.
  const head = Buffer.from('# Maintainer: Ren\xe9 M\xfcller, caf\xe9\nFROM debian:12\nLABEL description="\xdcmlaut \xa9 2024"\n', 'latin1');
  const tail = Buffer.from('RUN apt-get update && apt-get install -y curl\nCMD ["curl"]\n', 'latin1');
  fs.writeFileSync(file, Buffer.concat([head, tail]));
  const r = cli(['fix', file, '--write']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /is not UTF-8: read byte for byte/);
  const written = fs.readFileSync(file);
  assert.ok(written.subarray(0, head.length).equals(head), `untouched lines changed: ${written.subarray(0, head.length).toString('hex')}`);
  assert.ok(!written.includes(Buffer.from('\ufffd', 'utf8')), 'no replacement characters');
  assert.notDeepEqual(written, Buffer.concat([head, tail]), 'the fix was applied');
  assert.match(written.toString('latin1'), /rm -rf \/var\/lib\/apt\/lists/);
  const again = cli(['fix', file, '--write']);
  assert.equal(again.code, 0);
  assert.ok(fs.readFileSync(file).equals(written), 'a second fix changes nothing');
});

test('cli fix --write: mode and ownership are kept, a symlink stays a link, and no temporary file is left behind', () => {
  const root = folder('mode');
  const file = join(root, 'real.Dockerfile');
  fs.writeFileSync(file, FIXABLE);
  fs.chmodSync(file, 0o640);
  if (process.getuid?.() === 0) fs.chownSync(file, 1234, 2345);
  fs.symlinkSync('real.Dockerfile', join(root, 'Dockerfile'));
  const r = cli(['fix', join(root, 'Dockerfile'), '--write']);
  assert.equal(r.code, 0, r.stderr);
  const stat = fs.statSync(file);
  assert.equal(stat.mode & 0o7777, 0o640);
  if (process.getuid?.() === 0) assert.deepEqual([stat.uid, stat.gid], [1234, 2345]);
  assert.ok(fs.lstatSync(join(root, 'Dockerfile')).isSymbolicLink());
  assert.match(fs.readFileSync(file, 'utf8'), /rm -rf \/var\/lib\/apt\/lists/);
  assert.deepEqual(fs.readdirSync(root).sort(), ['Dockerfile', 'real.Dockerfile']);
});

test('cli fix --write: a write that fails half way (injected: the disk fills after 40 bytes) leaves the original intact', () => {
  const root = folder('inject');
  const file = join(root, 'Dockerfile');
  const original = `${FIXABLE}${'# padding\n'.repeat(200)}`;
  fs.writeFileSync(file, original);
  let written = 0;
  const calls = {
    writeSync: (fd: number, buffer: Uint8Array, offset: number, length: number) => {
      if (written >= 40) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      const n = fs.writeSync(fd, buffer, offset, Math.min(length, 40 - written));
      written += n;
      return n;
    },
    fsyncSync: (fd: number) => fs.fsyncSync(fd),
  };
  const { out, io } = capture();
  assert.equal(runFix([file, '--write'], io, { calls }), 1);
  assert.match(out.stderr, /could not write \(ENOSPC: no space left on device, write\); the file is unchanged/);
  assert.equal(fs.readFileSync(file, 'utf8'), original);
  assert.deepEqual(fs.readdirSync(root), ['Dockerfile'], 'the temporary file is removed');
});

test('cli fix --write: on a really full disk (a 64 KB tmpfs) the original is intact, every line of it', (t) => {
  const mountable = process.getuid?.() === 0 && spawnSync('mount', ['--version']).status === 0;
  if (!requirePart(t, 'tmpfs mount (root)', mountable, 'run the tests as root where mount -t tmpfs works')) return;
  const mnt = fs.mkdtempSync(join(tmpdir(), 'multistage-fulldisk-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt], { encoding: 'utf8' });
  if (!requirePart(t, 'tmpfs mount', mounted.status === 0, mounted.stderr)) return;
  try {
    const file = join(mnt, 'Dockerfile');
    const lines = Array.from({ length: 202 }, (_, i) => (i % 2 === 0 ? `RUN apt-get update && apt-get install -y pkg${i}` : `# line ${i} ${'x'.repeat(100)}`));
    const original = `FROM debian:12\n${lines.join('\n')}\n`;
    fs.writeFileSync(file, original);
    // Fill the rest of the disk.
    const filler = fs.openSync(join(mnt, 'filler'), 'w');
    try {
      for (;;) fs.writeSync(filler, Buffer.alloc(4096));
    } catch {
      // ENOSPC: full
    } finally {
      fs.closeSync(filler);
    }
    const r = cli(['fix', file, '--write']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /no space left on device.*the file is unchanged/i);
    assert.equal(fs.readFileSync(file, 'utf8'), original);
    assert.deepEqual(fs.readdirSync(mnt).sort(), ['Dockerfile', 'filler']);
  } finally {
    spawnSync('umount', [mnt]);
    fs.rmdirSync(mnt);
  }
});

test('cli fix --write: an edit made while fix ran is kept; fix stops with a message and writes nothing', () => {
  const root = folder('changed');
  const file = join(root, 'Dockerfile');
  fs.writeFileSync(file, FIXABLE);
  const edited = `${FIXABLE}# the user's edit\n`;
  const { out, io } = capture();
  assert.equal(runFix([file, '--write'], io, { beforeReplace: () => fs.writeFileSync(file, edited) }), 1);
  assert.match(out.stderr, /changed on disk while fix ran; nothing was written/);
  assert.equal(fs.readFileSync(file, 'utf8'), edited);
  assert.deepEqual(fs.readdirSync(root), ['Dockerfile']);
  assert.throws(() => replaceFile(file, Buffer.from('x'), Buffer.from(FIXABLE)), FileChangedError);
  assert.equal(fs.readFileSync(file, 'utf8'), edited);
});
