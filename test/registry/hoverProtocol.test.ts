// Hovers and inlay hints through the bundled server (node server/out/server.js --stdio) against real
// registries on 127.0.0.1: exact byte sums per platform (ARGs resolved, --platform honoured), token
// auth, inlay hints filled in after workspace/inlayHint/refresh, diagnostics re-published with the
// digest, and the failure modes: registry down, registry slow, online lookups off, restart from disk cache.
// Needs the bundles: `node esbuild.config.mjs` (npm test builds them first).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspClient } from '../support/lspClient';
import { requirePart } from '../support/requirements';
import { HOW_TO_GET_REGISTRY, listen, pushIndex, registryAvailable, startRegistry, type PushedIndex, type RunningRegistry } from './registryHarness';

const temp = mkdtempSync(join(tmpdir(), 'multistage-hover-'));
let open: RunningRegistry | undefined;
let secured: RunningRegistry | undefined;
let app: PushedIndex;
let slow: { server: Server; host: string; hits: number } | undefined;
const clients: LspClient[] = [];

/** A registry that takes 5 s to answer anything. */
async function startSlowRegistry() {
  const state = { server: undefined as unknown as Server, host: '', hits: 0 };
  state.server = createServer((_req, res) => {
    state.hits++;
    setTimeout(() => !res.destroyed && res.writeHead(404).end(), 5000).unref();
  });
  state.host = `127.0.0.1:${await listen(state.server)}`;
  return state;
}

function startClient(storage: string, settings: Record<string, unknown>): LspClient {
  // HOME points at an empty folder so the developer's own ~/.docker/config.json is never read.
  const client = new LspClient(['--stdio'], { ...process.env, HOME: temp, DOCKER_CONFIG: join(temp, 'no-docker-config') });
  client.settings['*'] = settings;
  clients.push(client);
  return client;
}

const CAPABILITIES = { workspace: { configuration: true, inlayHint: { refreshSupport: true } }, textDocument: { publishDiagnostics: { versionSupport: true }, hover: { contentFormat: ['markdown'] } } };

/** Counts workspace/inlayHint/refresh requests the server sends (the test client answers them generically). */
function countRefreshes(client: LspClient): { count: number } {
  const seen = { count: 0 };
  client.process.stdout.on('data', (chunk: Buffer) => {
    seen.count += chunk.toString().split('"method":"workspace/inlayHint/refresh"').length - 1;
  });
  return seen;
}

async function hoverText(client: LspClient, uri: string, line: number, character: number, timeoutMs = 10_000): Promise<string> {
  const result = await client.request('textDocument/hover', { textDocument: { uri }, position: { line, character } }, timeoutMs);
  return result?.contents?.value ?? '';
}

async function pollUntil<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

before(async () => {
  if (!registryAvailable) return;
  open = await startRegistry();
  app = await pushIndex(open, 'multi/app', '1.0', { 'linux/amd64': [1000, 2345, 999], 'linux/arm64': [777, 4096] }, 'oci');
  await pushIndex(open, 'multi/app', 'latest', { 'linux/amd64': [5000] }, 'docker');
  secured = await startRegistry({ publicRepositories: ['pub/app'], user: 'robot', password: 'pw' });
  await pushIndex(secured, 'pub/app', '1', { 'linux/amd64': [4321, 1] }, 'oci');
  slow = await startSlowRegistry();
});

after(async () => {
  await Promise.all(clients.map((c) => c.shutdown()));
  await open?.stop();
  await secured?.stop();
  if (slow) {
    slow.server.closeAllConnections();
    await new Promise((r) => slow!.server.close(r));
  }
  rmSync(temp, { recursive: true, force: true });
});

test('hover protocol: FROM images on a real registry show exact byte sums per platform, ARGs resolved, --platform honoured', async (t) => {
  if (!requirePart(t, 'docker-registry', registryAvailable, HOW_TO_GET_REGISTRY)) return;
  const client = startClient(join(temp, 'storage-1'), { platform: 'linux/amd64', imageSizes: { timeoutMs: 5000 } });
  await client.initialize({ storagePath: join(temp, 'storage-1') }, CAPABILITIES);
  const uri = 'file:///work/hover/Dockerfile';
  const text = `ARG REG=${open!.host}\nFROM \${REG}/multi/app:1.0 AS base\nFROM --platform=linux/arm64 \${REG}/multi/app:1.0 AS armbase\nFROM ${secured!.host}/pub/app:1 AS final\nCOPY --from=base /a /a\nCOPY --from=${open!.host}/multi/app:1.0 /b /b\n`;
  client.open(uri, text);
  const amd = await hoverText(client, uri, 1, 8);
  assert.match(amd, new RegExp(`^\\| \\*\\*${open!.host.replace(/\./g, '\\.')}/multi/app:1\\.0\\*\\* \\| linux/amd64 \\|`));
  assert.match(amd, /\(4,344 bytes\) \|\n\| Layers \| 3 \|/);
  assert.match(amd, /_Figures: registry, read just now ·/);
  assert.match(amd, new RegExp('`' + app.digest.slice(0, 19) + '`'));
  assert.match(amd, /\| Built \| 2024-05-01, \d+ days ago \|/);
  const arm = await hoverText(client, uri, 2, 32);
  assert.match(arm, /\| linux\/arm64 \|/);
  assert.match(arm, /\(4,873 bytes\) \|\n\| Layers \| 2 \|/);
  const token = await hoverText(client, uri, 3, 8);
  assert.match(token, /\(4,322 bytes\) \|\n\| Layers \| 2 \|/);
  assert.ok(secured!.tokenRequests.some((r) => r.scope === 'repository:pub/app:pull' && !r.basic), 'the anonymous token flow was used');
  const stage = await hoverText(client, uri, 4, 13);
  assert.match(stage, /\*\*Stage `base`\*\*/);
  assert.match(stage, /stage `final`: COPY --from \(line 5\)/);
  const copied = await hoverText(client, uri, 5, 16);
  assert.match(copied, /\(4,344 bytes\) \|\n\| Layers \| 3 \|/, 'an image named by COPY --from gets a size hover too');
});

test('hover protocol: inlay hints appear after workspace/inlayHint/refresh, and diagnostics are re-published with the digest', async (t) => {
  if (!requirePart(t, 'docker-registry', registryAvailable, HOW_TO_GET_REGISTRY)) return;
  const storage = join(temp, 'storage-2');
  const client = startClient(storage, { platform: 'linux/amd64' });
  const refreshes = countRefreshes(client);
  await client.initialize({ storagePath: storage }, CAPABILITIES);
  const uri = 'file:///work/inlay/Dockerfile';
  const text = `FROM ${open!.host}/multi/app\nRUN true\n`;
  client.open(uri, text);
  const range = { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } };
  const first = await client.request('textDocument/inlayHint', { textDocument: { uri }, range });
  assert.deepEqual(first, [], 'nothing is known yet, and the request does not wait for the registry');
  await pollUntil('an inlay refresh request', async () => (refreshes.count > 0 ? true : undefined));
  const hints = await client.request('textDocument/inlayHint', { textDocument: { uri }, range });
  assert.equal(hints.length, 1);
  assert.equal(hints[0].label, '5.0 kB');
  assert.deepEqual(hints[0].position, { line: 0, character: `FROM ${open!.host}/multi/app`.length });
  const digest = (await fetch(`http://${open!.host}/v2/multi/app/manifests/latest`, { method: 'HEAD', headers: { accept: 'application/vnd.docker.distribution.manifest.list.v2+json' } })).headers.get('docker-content-digest')!;
  const pinned = await client.waitFor((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri
    && n.params.diagnostics.some((d: any) => d.code === 'unpinned-base-image' && d.data?.fixes?.some((f: any) => f.edits?.[0]?.newText?.endsWith(`@${digest}`))), 10_000);
  assert.ok(pinned);
});

test('hover protocol: inlay hints are not shown when multistage.inlayHints.imageSize is false', async (t) => {
  if (!requirePart(t, 'docker-registry', registryAvailable, HOW_TO_GET_REGISTRY)) return;
  const storage = join(temp, 'storage-2');
  const client = startClient(storage, { inlayHints: { imageSize: false }, platform: 'linux/amd64' });
  await client.initialize({ storagePath: storage }, CAPABILITIES);
  const uri = 'file:///work/inlay-off/Dockerfile';
  client.open(uri, `FROM ${open!.host}/multi/app:1.0\n`);
  await hoverText(client, uri, 0, 8); // makes sure the size is known
  assert.deepEqual(await client.request('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } } }), []);
});

test('hover protocol: registry down → the hover answers at once with the failure; slow registry → within the timeout, diagnostics undelayed', async (t) => {
  if (!requirePart(t, 'docker-registry', registryAvailable, HOW_TO_GET_REGISTRY)) return;
  const closed = createServer();
  const deadPort = await listen(closed);
  await new Promise((r) => closed.close(r));
  const client = startClient(join(temp, 'storage-3'), { imageSizes: { timeoutMs: 800 } });
  await client.initialize({ storagePath: join(temp, 'storage-3') }, CAPABILITIES);
  const uri = 'file:///work/down/Dockerfile';
  client.open(uri, `FROM 127.0.0.1:${deadPort}/x/y:1\nFROM ${slow!.host}/x/slow:1\n`, 1);
  await client.diagnosticsFor(uri, 1);
  let started = Date.now();
  const down = await hoverText(client, uri, 0, 8);
  assert.ok(Date.now() - started < 1500, `down registry took ${Date.now() - started} ms`);
  assert.match(down, /_Offline: 127\.0\.0\.1:\d+ could not be reached \(the connection was refused\), and the bundled snapshot has no figure for this image\._/);
  started = Date.now();
  const hovering = hoverText(client, uri, 1, 8);
  // While the slow lookup is outstanding, an edit still gets its diagnostics promptly.
  await new Promise((r) => setTimeout(r, 100));
  const editAt = Date.now();
  client.change(uri, 2, `FROM 127.0.0.1:${deadPort}/x/y:1\nFROM ${slow!.host}/x/slow:1\nFROM scratch\n`);
  await client.diagnosticsFor(uri, 2);
  const diagnosticsMs = Date.now() - editAt;
  // The registry takes 5 s; diagnostics must not wait for it (the bound leaves room for a loaded CI machine).
  assert.ok(diagnosticsMs < 1500, `diagnostics took ${diagnosticsMs} ms while a registry lookup was pending`);
  const slowText = await hovering;
  const hoverMs = Date.now() - started;
  assert.ok(hoverMs >= 750 && hoverMs < 3500, `slow registry hover took ${hoverMs} ms (timeout 800, registry 5000)`);
  assert.match(slowText, /Looking up the size/);
  assert.ok(slow!.hits >= 1);
});

test('hover protocol: imageSizes.online=false makes no registry request and says so', async (t) => {
  if (!requirePart(t, 'docker-registry', registryAvailable, HOW_TO_GET_REGISTRY)) return;
  const client = startClient(join(temp, 'storage-4'), { imageSizes: { online: false } });
  await client.initialize({ storagePath: join(temp, 'storage-4') }, CAPABILITIES);
  const uri = 'file:///work/offline/Dockerfile';
  const hitsBefore = slow!.hits;
  client.open(uri, `FROM ${slow!.host}/x/offline:1\n`);
  const text = await hoverText(client, uri, 0, 8);
  await client.request('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } } });
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(slow!.hits, hitsBefore);
  assert.match(text, /Online lookups are off/);
});

test('hover protocol: after a restart the sizes come from the disk cache even with the registry gone', async (t) => {
  if (!requirePart(t, 'docker-registry', registryAvailable, HOW_TO_GET_REGISTRY)) return;
  const storage = join(temp, 'storage-5');
  const uri = 'file:///work/restart/Dockerfile';
  const text = `FROM ${secured!.host}/pub/app:1\n`;
  const first = startClient(storage, {});
  await first.initialize({ storagePath: storage }, CAPABILITIES);
  first.open(uri, text);
  assert.match(await hoverText(first, uri, 0, 8), /\(4,322 bytes\)/);
  await first.shutdown();
  await secured!.stop();
  secured = undefined;
  const second = startClient(storage, {});
  await second.initialize({ storagePath: storage }, CAPABILITIES);
  second.open(uri, text);
  const again = await hoverText(second, uri, 0, 8);
  assert.match(again, /\(4,322 bytes\)/);
  assert.match(again, /Figures: registry, read just now/);
});
