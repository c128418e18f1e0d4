// Local Docker figures in the hover, end to end: an image made with `docker import` (one layer of known
// content) is hovered through the bundled server with online lookups off, and the uncompressed size and
// layer count must equal what `docker image inspect` reports. Also: hovers and inlay hints on garbage
// and on a huge document answer without crashing the server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspClient } from '../support/lspClient';
import { requirePart } from '../support/requirements';

const DOCKER = '/usr/bin/docker';
const IMAGE = `multistage-test/hover-local:${process.pid}`;
const dockerAvailable = spawnSync(DOCKER, ['info'], { stdio: 'ignore', timeout: 20_000 }).status === 0;
const temp = mkdtempSync(join(tmpdir(), 'multistage-hover-local-'));
const clients: LspClient[] = [];
let imported = false;

before(() => {
  if (!dockerAvailable) return;
  writeFileSync(join(temp, 'payload.bin'), randomBytes(250_000));
  const tar = spawnSync('tar', ['cf', join(temp, 'layer.tar'), '-C', temp, 'payload.bin']);
  if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
  const result = spawnSync(DOCKER, ['import', join(temp, 'layer.tar'), IMAGE], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`docker import failed: ${result.stderr}`);
  imported = true;
});

after(async () => {
  await Promise.all(clients.map((c) => c.shutdown()));
  if (imported) spawnSync(DOCKER, ['rmi', IMAGE], { stdio: 'ignore' });
  rmSync(temp, { recursive: true, force: true });
});

function start(settings: Record<string, unknown>): LspClient {
  const client = new LspClient(['--stdio'], { ...process.env, HOME: temp, DOCKER_CONFIG: join(temp, 'none') });
  client.settings['*'] = settings;
  clients.push(client);
  return client;
}

test('hover local Docker: uncompressed size and layers equal docker image inspect; no registry is asked when offline', async (t) => {
  if (!requirePart(t, 'Docker engine', dockerAvailable, 'run test/setup/docker.sh')) return;
  const inspect = spawnSync(DOCKER, ['image', 'inspect', '--format', '{{.Size}} {{len .RootFS.Layers}} {{.Architecture}}', IMAGE], { encoding: 'utf8' });
  const [size, layers, architecture] = inspect.stdout.trim().split(' ');
  const client = start({ imageSizes: { online: false }, docker: { path: DOCKER }, platform: `linux/${architecture}` });
  await client.initialize({ storagePath: join(temp, 'storage') });
  const uri = 'file:///work/local/Dockerfile';
  client.open(uri, `FROM ${IMAGE}\n`);
  const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 8 } });
  const text: string = hover.contents.value;
  const mb = (Number(size) / 1e6).toFixed(1);
  assert.match(text, new RegExp(`\\| Local, uncompressed \\| ${mb.replace('.', '\\.')} MB \\|`));
  assert.match(text, new RegExp(`\\| Layers \\| ${layers} \\|`));
  assert.match(text, /local size from Docker, just now/);
  assert.match(text, /Online lookups are off/);
  assert.doesNotMatch(text, /Registry:/);
});

test('hover robustness: garbage, half-typed FROM lines and a 5 MB document get answers, not a crash', async () => {
  const client = start({ imageSizes: { online: false } });
  await client.initialize({ storagePath: join(temp, 'storage-2') });
  const cases = ['\u0000\u0001FROM \uFFFF', 'FROM', 'FROM --platform=', 'FROM ${', 'FROM a AS', 'FROM node:20 AS a\nCOPY --from=', `FROM ${'x'.repeat(5000)}`, `ARG A=\${A}\nFROM $A`];
  for (const [i, text] of cases.entries()) {
    const uri = `file:///work/garbage/${i}/Dockerfile`;
    client.open(uri, text);
    for (let character = 0; character < Math.min(text.length + 2, 40); character += 3) {
      await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character } });
    }
    const hints = await client.request('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } } });
    assert.ok(Array.isArray(hints), `inlay hints for case ${i}`);
  }
  // A long file is parsed and hovered (the hover parses on its own and does not run the rules); 5 MB is
  // past the analysis limit, so the hover is empty, not an error. No time bound here: the server is one
  // thread, so the hover also waits for the diagnostics of the file it just opened.
  const big = `FROM node:20 AS build\n${'RUN echo hello world && true\n'.repeat(2_000)}FROM build\n`;
  client.open('file:///work/big/Dockerfile', big);
  const hover = await client.request('textDocument/hover', { textDocument: { uri: 'file:///work/big/Dockerfile' }, position: { line: 2_001, character: 6 } }, 60_000);
  assert.match(hover.contents.value, /\*\*Stage `build`\*\*/);
  client.open('file:///work/huge/Dockerfile', `FROM node:20 AS build\n${'RUN echo hello world && true\n'.repeat(180_000)}FROM build\n`);
  assert.equal(await client.request('textDocument/hover', { textDocument: { uri: 'file:///work/huge/Dockerfile' }, position: { line: 180_001, character: 6 } }, 30_000), null);
  assert.equal(client.process.exitCode, null, 'the server is still running');
});
