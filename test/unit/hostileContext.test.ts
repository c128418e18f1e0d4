// Build contexts built to hang or exhaust a reader: .dockerignore → /dev/zero, a FIFO without a writer,
// a sparse file of many GB, links that leave the context, an ignore file past the cap. Each read must
// return quickly, with nothing or with the real content, and the rules that need a missing file stay
// quiet instead of offering to create one over the top of it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ContextFilesCache } from '../../server/src/workspace/contextFiles';
import { readRegularFile } from '../../server/src/workspace/safeRead';
import { analyze } from '../../server/src/analysis/analyze';
import { dockerignorePresent, findDockerignore } from '../../server/src/analysis/dockerignore';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'multistage-hostile-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const NODE_APP = 'FROM node:20-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY . .\nCMD ["node", "server.js"]\n';

function dir(name: string, files: Record<string, string> = {}): string {
  const root = path.join(tmp, name);
  fs.mkdirSync(root, { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  }
  return root;
}

function timed<T>(run: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = run();
  return { value, ms: performance.now() - started };
}

test('hostile context: .dockerignore → /dev/zero and package.json → /dev/zero read as nothing, at once, and are logged', () => {
  const root = dir('zero', { 'Dockerfile': NODE_APP, 'server.js': '' });
  fs.symlinkSync('/dev/zero', path.join(root, '.dockerignore'));
  fs.symlinkSync('/dev/zero', path.join(root, 'package.json'));
  const log: string[] = [];
  const ctx = new ContextFilesCache(undefined, (m) => log.push(m)).contextFor(root, path.join(root, 'Dockerfile'));
  const { value, ms } = timed(() => [ctx.read('.dockerignore'), ctx.read('package.json')]);
  assert.deepEqual(value, [undefined, undefined]);
  assert.ok(ms < 1000, `${ms} ms`);
  assert.ok(log.some((m) => /\.dockerignore: a symbolic link that leads out of the build context/.test(m)), log.join('\n'));
  // Reached some other way (a path given on the command line), the device itself is refused unread.
  assert.deepEqual(readRegularFile('/dev/zero', { maxBytes: 1024 }), { kind: 'not-regular', what: 'a character device' });
  const rules = timed(() => analyze(NODE_APP, { context: ctx }));
  assert.equal(rules.value.ruleErrors.length, 0);
  assert.ok(!rules.value.problems.some((p) => p.rule === 'missing-dockerignore'), 'an unreadable .dockerignore is still a .dockerignore: no "create" fix');
});

test('hostile context: a FIFO without a writer (as .dockerignore, as package.json, met directly) never blocks', () => {
  const root = dir('fifo', { 'Dockerfile': NODE_APP });
  execFileSync('mkfifo', [path.join(root, '.dockerignore'), path.join(root, 'package.json')]);
  const ctx = new ContextFilesCache().contextFor(root, path.join(root, 'Dockerfile'));
  const { value, ms } = timed(() => [ctx.read('.dockerignore'), ctx.read('package.json'), ctx.exists('package.json'), ctx.isDirectory('package.json')]);
  assert.deepEqual(value, [undefined, undefined, true, false]);
  assert.ok(ms < 1000, `${ms} ms`);
  assert.deepEqual(readRegularFile(path.join(root, 'package.json'), { maxBytes: 1024 }), { kind: 'not-regular', what: 'a FIFO (named pipe)' });
  assert.ok(!analyze(NODE_APP, { context: ctx }).problems.some((p) => p.rule === 'missing-dockerignore'));
});

test('hostile context: a sparse 64 GB file is refused by its size without reading it; a file over the cap but growing is cut at the cap', () => {
  const root = dir('huge', { 'Dockerfile': NODE_APP });
  fs.closeSync(fs.openSync(path.join(root, 'package.json'), 'w'));
  fs.truncateSync(path.join(root, 'package.json'), 64 * 1024 ** 3);
  const ctx = new ContextFilesCache().contextFor(root);
  const { value, ms } = timed(() => ctx.read('package.json'));
  assert.equal(value, undefined);
  assert.ok(ms < 1000, `${ms} ms`);
  assert.equal(readRegularFile(path.join(root, 'package.json'), { maxBytes: 100 }).kind, 'too-large');
});

test('hostile context: a link that leaves the context is not followed (Docker sends the link); one that stays inside is', () => {
  const outside = dir('outside', { 'secret.json': '{"name":"secret"}', 'lib/x.js': '' });
  const root = dir('links', { 'Dockerfile': NODE_APP, 'real/package.json': '{"name":"inside"}' });
  fs.symlinkSync(path.join(outside, 'secret.json'), path.join(root, 'package.json'));
  fs.symlinkSync('/etc/passwd', path.join(root, 'passwd'));
  fs.symlinkSync(path.join(outside, 'lib'), path.join(root, 'lib'));
  fs.symlinkSync('real/package.json', path.join(root, 'inner.json'));
  fs.symlinkSync('nowhere', path.join(root, 'dangling'));
  const log: string[] = [];
  const ctx = new ContextFilesCache(undefined, (m) => log.push(m)).contextFor(root);
  assert.equal(ctx.read('package.json'), undefined);
  assert.equal(ctx.read('passwd'), undefined);
  assert.equal(ctx.exists('package.json'), true, 'the link itself is in the context');
  assert.equal(ctx.isDirectory('lib'), false, 'a link to a folder outside is a link, not a folder');
  assert.deepEqual(ctx.list('lib'), []);
  assert.equal(ctx.read('lib/x.js'), undefined);
  assert.equal(ctx.read('inner.json'), '{"name":"inside"}');
  assert.equal(ctx.exists('dangling'), true);
  assert.ok(log.some((m) => /package\.json: a symbolic link that leads out of the build context/.test(m)), log.join('\n'));
});

test('hostile context: a 1 MB .dockerignore (over the 512 KB file cap) is read; past the ignore-file cap the rules stay quiet and say why', () => {
  const big = `${'# padding line for a large ignore file\n'.repeat(27_000)}node_modules\n.git\n`;
  assert.ok(big.length > 1024 * 1024);
  const root = dir('bigignore', { 'Dockerfile': NODE_APP, 'package.json': '{}', '.dockerignore': big, 'node_modules/x/index.js': '', '.git/HEAD': '' });
  const ctx = new ContextFilesCache().contextFor(root, path.join(root, 'Dockerfile'));
  assert.equal(ctx.read('.dockerignore'), big);
  const problems = analyze(NODE_APP, { context: ctx }).problems.map((p) => p.rule);
  assert.ok(!problems.includes('missing-dockerignore'));
  assert.ok(!problems.includes('dockerignore-gaps'), 'the patterns at its end were read');

  const log: string[] = [];
  const capped = new ContextFilesCache({ maxDepth: 6, maxEntries: 2000, maxFileBytes: 1024, maxIgnoreFileBytes: 4096 }, (m) => log.push(m)).contextFor(root, path.join(root, 'Dockerfile'));
  const quiet = analyze(NODE_APP, { context: capped }).problems.map((p) => p.rule);
  assert.ok(!quiet.includes('missing-dockerignore'), 'never offers to create a file that exists');
  assert.ok(!quiet.includes('dockerignore-gaps'));
  assert.ok(log.some((m) => /\.dockerignore: larger than 4 KB \(1(\.\d)? MB\); not read/.test(m)), log.join('\n'));
});

test('hostile context: .dockerignore that is a folder gets no "create" fix either', () => {
  const root = dir('ignoredir', { 'Dockerfile': NODE_APP, 'package.json': '{}', '.dockerignore/x': '' });
  const ctx = new ContextFilesCache().contextFor(root, path.join(root, 'Dockerfile'));
  assert.ok(!analyze(NODE_APP, { context: ctx }).problems.some((p) => p.rule === 'missing-dockerignore'));
});

test('hostile context: an unreadable <Dockerfile>.dockerignore is not replaced by the context .dockerignore (BuildKit uses the first)', () => {
  const root = dir('pair', { 'api.Dockerfile': NODE_APP, 'package.json': '{}', '.dockerignore': 'node_modules\n' });
  execFileSync('mkfifo', [path.join(root, 'api.Dockerfile.dockerignore')]);
  const ctx = new ContextFilesCache().contextFor(root, path.join(root, 'api.Dockerfile'));
  assert.equal(findDockerignore(ctx, 'api.Dockerfile'), undefined);
  assert.equal(dockerignorePresent(ctx, 'api.Dockerfile'), 'api.Dockerfile.dockerignore');
});
