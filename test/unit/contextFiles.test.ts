import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ContextFilesCache } from '../../server/src/workspace/contextFiles';
import { BuildContextProvider } from '../../server/src/workspace/buildContext';
import { contextRootFor } from '../../server/src/workspace/contextRoot';
import { analyze } from '../../server/src/analysis/analyze';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'multistage-context-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(rel: string, content = ''): void {
  const file = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

test('contextFiles: reads, lists and stats real files relative to the root', () => {
  write('app/package.json', '{"name":"x"}');
  write('app/src/index.ts', 'export {}');
  const ctx = new ContextFilesCache().contextFor(path.join(tmp, 'app'), path.join(tmp, 'app/Dockerfile'));
  assert.equal(ctx.read('package.json'), '{"name":"x"}');
  assert.equal(ctx.read('./src/../package.json'), '{"name":"x"}');
  assert.deepEqual(ctx.list(''), ['package.json', 'src']);
  assert.deepEqual(ctx.list('src'), ['index.ts']);
  assert.equal(ctx.isDirectory('src'), true);
  assert.equal(ctx.exists('missing.txt'), false);
  assert.equal(ctx.read('src'), undefined, 'folders read as undefined');
  assert.equal(ctx.dockerfile, 'Dockerfile');
});

test('contextFiles: never reads outside the root', () => {
  write('secret.txt', 'nope');
  const ctx = new ContextFilesCache().contextFor(path.join(tmp, 'app'));
  assert.equal(ctx.read('../secret.txt'), undefined);
  assert.equal(ctx.exists('../secret.txt'), false);
  assert.deepEqual(ctx.list('..'), []);
});

test('contextFiles: a Dockerfile outside the context still gets its <Dockerfile>.dockerignore, and nothing else from outside', () => {
  write('outside/docker/api.Dockerfile', 'FROM x\n');
  write('outside/docker/api.Dockerfile.dockerignore', '.git\n');
  write('outside/docker/other.txt', 'no');
  write('outside/app/package.json', '{}');
  const cache = new ContextFilesCache();
  const ctx = cache.contextFor(path.join(tmp, 'outside/app'), path.join(tmp, 'outside/docker/api.Dockerfile'));
  assert.equal(ctx.dockerfile, '../docker/api.Dockerfile');
  assert.equal(ctx.read('../docker/api.Dockerfile.dockerignore'), '.git\n');
  assert.equal(ctx.exists('../docker/api.Dockerfile.dockerignore'), true);
  assert.equal(ctx.read('../docker/other.txt'), undefined);
  write('outside/docker/api.Dockerfile.dockerignore', 'node_modules\n');
  assert.equal(cache.invalidate(path.join(tmp, 'outside/docker/api.Dockerfile.dockerignore')), true);
  assert.equal(ctx.read('../docker/api.Dockerfile.dockerignore'), 'node_modules\n');
});

test('contextFiles: results are cached until invalidate() names the path', () => {
  write('cache/.dockerignore', 'node_modules\n');
  const cache = new ContextFilesCache();
  const ctx = cache.contextFor(path.join(tmp, 'cache'));
  assert.equal(ctx.read('.dockerignore'), 'node_modules\n');
  assert.equal(ctx.exists('.env'), false);
  write('cache/.dockerignore', '.git\n');
  write('cache/.env', 'A=1');
  assert.equal(ctx.read('.dockerignore'), 'node_modules\n', 'served from the cache');
  assert.equal(ctx.exists('.env'), false, 'served from the cache');
  assert.equal(cache.invalidate(path.join(tmp, 'cache/.dockerignore')), true);
  assert.equal(cache.invalidate(path.join(tmp, 'cache/.env')), true);
  assert.equal(ctx.read('.dockerignore'), '.git\n');
  assert.equal(ctx.exists('.env'), true);
  assert.ok(ctx.list('').includes('.env'), 'the parent listing was refreshed');
  assert.equal(cache.invalidate(path.join(tmp, 'elsewhere/file')), false, 'paths outside every cached root are ignored');
});

test('contextFiles: invalidating a folder forgets everything below it', () => {
  write('tree/node_modules/a/index.js', '1');
  const cache = new ContextFilesCache();
  const ctx = cache.contextFor(path.join(tmp, 'tree'));
  assert.equal(ctx.read('node_modules/a/index.js'), '1');
  fs.rmSync(path.join(tmp, 'tree/node_modules'), { recursive: true });
  cache.invalidate(path.join(tmp, 'tree/node_modules'));
  assert.equal(ctx.read('node_modules/a/index.js'), undefined);
  assert.equal(ctx.isDirectory('node_modules'), false);
});

test('contextFiles: bounded by file size, entries per folder and depth', () => {
  write('big/large.txt', 'x'.repeat(2048));
  write('big/small.txt', 'ok');
  for (let i = 0; i < 5; i++) write(`big/many/f${i}`);
  write('big/a/b/c/d.txt', 'deep');
  const ctx = new ContextFilesCache({ maxDepth: 2, maxEntries: 3, maxFileBytes: 1024 }).contextFor(path.join(tmp, 'big'));
  assert.equal(ctx.read('large.txt'), undefined);
  assert.equal(ctx.read('small.txt'), 'ok');
  assert.equal(ctx.list('many').length, 3);
  assert.equal(ctx.read('a/b/c/d.txt'), undefined);
  assert.deepEqual(ctx.list('a/b/c'), []);
});

test('buildContext: the Dockerfile folder is the context unless multistage.buildContexts maps it', () => {
  const ws = path.join(tmp, 'ws');
  assert.equal(contextRootFor(path.join(ws, 'docker/api.Dockerfile'), [ws], {}), path.join(ws, 'docker'));
  assert.equal(contextRootFor(path.join(ws, 'docker/api.Dockerfile'), [ws], { 'docker/api.Dockerfile': '.' }), ws);
  assert.equal(contextRootFor(path.join(ws, 'docker/api.Dockerfile'), [ws], { './docker/api.Dockerfile': 'services/api' }), path.join(ws, 'services/api'));
  assert.equal(contextRootFor(path.join(tmp, 'other/Dockerfile'), [ws], { 'Dockerfile': '..' }), path.join(tmp, 'other'));
});

test('buildContext: the provider feeds the context rules end to end, and a watched-file event refreshes them', () => {
  const ws = path.join(tmp, 'e2e');
  write('e2e/Dockerfile', 'FROM node:20-slim\nCOPY . /app\n');
  write('e2e/package.json', '{}');
  const provider = new BuildContextProvider(new ContextFilesCache(), () => [ws]);
  const uri = pathToFileURL(path.join(ws, 'Dockerfile')).toString();
  const text = fs.readFileSync(path.join(ws, 'Dockerfile'), 'utf8');
  const rules = (ctxUri: string) => analyze(text, { context: provider.contextFor(ctxUri, { buildContexts: {} }) }).problems.map((p) => p.rule);
  assert.ok(rules(uri).includes('missing-dockerignore'));
  write('e2e/.dockerignore', '.git\n');
  assert.equal(provider.invalidate([pathToFileURL(path.join(ws, '.dockerignore')).toString()]), true);
  assert.ok(!rules(uri).includes('missing-dockerignore'));
  assert.equal(provider.contextFor('untitled:Untitled-1', { buildContexts: {} }), undefined);
});
