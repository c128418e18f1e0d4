// The diagnostics path gets image facts on its own, through the bundled server: no hover or inlay request
// is ever sent here. Each document's rules see figures for that document's own platform and online
// setting (two documents with different settings open side by side), and when a registry answer brings
// news the diagnostics are re-published with it. Needs the bundles: `node esbuild.config.mjs`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspClient } from '../support/lspClient';
import { requirePart } from '../support/requirements';
import { HOW_TO_GET_REGISTRY, pushIndex, registryAvailable, startRegistry, type RunningRegistry } from './registryHarness';

const temp = mkdtempSync(join(tmpdir(), 'multistage-diag-images-'));
const clients: LspClient[] = [];
let registry: RunningRegistry | undefined;

const CAPABILITIES = { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true } } };
const RUNTIME_ONLY = (image: string) => `FROM ${image}\nCOPY server.js /app/\nCMD ["node", "/app/server.js"]\n`;

function startClient(name: string): LspClient {
  // HOME points at an empty folder so the developer's own ~/.docker/config.json is never read.
  const client = new LspClient(['--stdio'], { ...process.env, HOME: temp, DOCKER_CONFIG: join(temp, 'no-docker-config') });
  clients.push(client);
  return client;
}

/** The larger-base-than-needed message once it states a saving (it is first published without one when nothing is known). */
async function savingMessage(client: LspClient, uri: string): Promise<string> {
  const m = await client.waitFor((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri
    && n.params.diagnostics.some((d: any) => d.code === 'larger-base-than-needed' && /smaller to download/.test(d.message)), 10_000);
  return m.params.diagnostics.find((d: any) => d.code === 'larger-base-than-needed').message;
}

before(async () => {
  if (!registryAvailable) return;
  registry = await startRegistry();
  await pushIndex(registry, 'acme/node', 'latest', { 'linux/amd64': [6_000, 300], 'linux/arm64': [5_000, 200] }, 'oci');
});

after(async () => {
  await Promise.all(clients.map((c) => c.shutdown()));
  await registry?.stop();
  rmSync(temp, { recursive: true, force: true });
});

test('diagnostics protocol: with online lookups off, larger-base-than-needed states the saving from the bundled snapshot for each document\'s own platform', async () => {
  const snapshot = JSON.parse(readFileSync(join(__dirname, '../../server/src/images/snapshot/snapshot.json'), 'utf8')) as { generatedAt: string; entries: { image: string; platform: string; compressedBytes: number }[] };
  const bytes = (image: string, platform: string) => {
    const entry = snapshot.entries.find((e) => e.image === image && e.platform === platform);
    assert.ok(entry, `snapshot has ${image} for ${platform}`);
    return entry.compressedBytes;
  };
  const saving = (platform: string) => `${((bytes('node:22', platform) - bytes('node:22-slim', platform)) / 1e6).toFixed(1)} MB smaller to download, per the bundled image-size snapshot of ${snapshot.generatedAt}`;
  const client = startClient('snapshot');
  const amdUri = 'file:///work/amd/Dockerfile';
  const armUri = 'file:///work/arm/Dockerfile';
  client.settings[amdUri] = { platform: 'linux/amd64', imageSizes: { online: false } };
  client.settings[armUri] = { platform: 'linux/arm64', imageSizes: { online: false } };
  await client.initialize({ storagePath: join(temp, 'storage-snapshot') }, CAPABILITIES);
  client.open(amdUri, RUNTIME_ONLY('node:22'));
  client.open(armUri, RUNTIME_ONLY('node:22'));
  // The snapshot answers synchronously: the first publication already carries the saving.
  assert.ok((await savingMessage(client, armUri)).includes(saving('linux/arm64')));
  assert.ok((await savingMessage(client, amdUri)).includes(saving('linux/amd64')));
  assert.notEqual(saving('linux/amd64'), saving('linux/arm64'), 'the two platforms differ, so a mix-up would show');
});

test('diagnostics protocol: the rules ask the registry for the document\'s images with its settings and are re-published when the answers arrive', async (t) => {
  if (!requirePart(t, 'docker-registry', registryAvailable, HOW_TO_GET_REGISTRY)) return;
  const client = startClient('registry');
  const onlineUri = 'file:///work/online/Dockerfile';
  const offlineUri = 'file:///work/offline/Dockerfile';
  client.settings[onlineUri] = { platform: 'linux/arm64' };
  client.settings[offlineUri] = { platform: 'linux/arm64', imageSizes: { online: false } };
  await client.initialize({ storagePath: join(temp, 'storage-registry') }, CAPABILITIES);
  const text = `FROM ${registry!.host}/acme/node:latest\nCOPY server.js /app/\n`;
  client.open(offlineUri, text);
  client.open(onlineUri, text);
  // No hover or inlay request: the diagnostics path itself starts the lookup, and the answer re-publishes.
  const pinned = (n: any) => n.params.diagnostics.some((d: any) => d.code === 'unpinned-base-image' && d.data?.fixes?.some((f: any) => f.edits?.[0]?.newText?.endsWith(`@${digest}`)));
  const digest = (await fetch(`http://${registry!.host}/v2/acme/node/manifests/latest`, { method: 'HEAD', headers: { accept: 'application/vnd.oci.image.index.v1+json' } })).headers.get('docker-content-digest')!;
  assert.match(digest, /^sha256:/);
  const republished = await client.waitFor((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === onlineUri && pinned(n), 10_000);
  assert.ok(republished);
  // The same image is known now, but the document with online lookups off still gets no registry figure.
  client.change(offlineUri, 2, `${text}RUN true\n`);
  const offline = await client.waitFor((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === offlineUri && n.params.version === 2, 10_000);
  assert.ok(offline.params.diagnostics.some((d: any) => d.code === 'unpinned-base-image'), 'the rule still reports the unpinned tag');
  assert.ok(!pinned(offline), 'no digest from the registry for a document with online lookups off');
});
