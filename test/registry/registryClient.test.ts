// The registry client against a real registry (Debian's docker-registry, distribution 2.8): exact layer
// byte sums from Docker v2 and OCI indexes, attestation entries skipped, challenge-driven token auth
// (anonymous and with credentials from a Docker config / credential helper), HEAD revalidation, and
// huge indexes. Failure shapes a real registry will not produce (malformed JSON, 401 without a
// challenge, rate limits) come from small HTTP servers in this file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OciRegistryClient, RegistryError } from '../../server/src/images/registryClient';
import { DockerConfigCredentials } from '../../server/src/images/credentials';
import { parseImageReference } from '../../server/src/analysis/imageReference';
import { requirePart } from '../support/requirements';
import { HOW_TO_GET_REGISTRY, listen, pushIndex, pushImage, pushManifest, registryAvailable, startRegistry, type PushedIndex, type RunningRegistry } from './registryHarness';

const amd64 = { os: 'linux', architecture: 'amd64' };
const arm64 = { os: 'linux', architecture: 'arm64' };
const ref = (text: string) => parseImageReference(text)!;

let open: RunningRegistry | undefined;
let secured: RunningRegistry | undefined;
let dockerList: PushedIndex;
let ociIndex: PushedIndex;
const temp = mkdtempSync(join(tmpdir(), 'multistage-regtest-'));

before(async () => {
  if (!registryAvailable) return;
  open = await startRegistry();
  dockerList = await pushIndex(open, 'multi/app', '1.0', { 'linux/amd64': [1000, 2345, 999], 'linux/arm64/v8': [777, 4096] }, 'docker');
  ociIndex = await pushIndex(open, 'multi/oci', '2.0', { 'linux/amd64': [100, 200, 300], 'linux/arm64': [50] }, 'oci');
  secured = await startRegistry({ publicRepositories: ['pub/app'], user: 'robot', password: 's3cret-p4ss' });
  await pushIndex(secured, 'pub/app', '1', { 'linux/amd64': [4321, 1] }, 'oci');
  await pushIndex(secured, 'private/app', '1', { 'linux/amd64': [2222] }, 'docker');
});

after(async () => {
  await open?.stop();
  await secured?.stop();
  rmSync(temp, { recursive: true, force: true });
});

test('registry: Docker v2 manifest list → platform manifest → exact layer byte sum, digest and count', async (t) => {
  if (!requirePart(t, 'docker-registry', registryAvailable, HOW_TO_GET_REGISTRY)) return;
  const asked: string[] = [];
  const client = new OciRegistryClient({ pushDates: { pushedAt: async (r) => (asked.push(r.canonical), '2025-12-30T01:02:03Z') } });
  const facts = await client.imageFacts(ref(`${open!.host}/multi/app:1.0`), amd64);
  assert.ok(facts !== 'unchanged');
  assert.equal(facts.compressedBytes, 1000 + 2345 + 999);
  assert.equal(facts.pushedAt, '2025-12-30T01:02:03Z');
  assert.deepEqual(asked, [`${open!.host}/multi/app:1.0`]);
  assert.equal(facts.layers, 3);
  assert.equal(facts.digest, dockerList.digest);
  assert.equal(facts.platformDigest, dockerList.byPlatform['linux/amd64'].digest);
  assert.equal(facts.createdAt, '2024-05-01T12:00:00Z');
  const arm = await client.imageFacts(ref(`${open!.host}/multi/app:1.0`), { ...arm64, variant: 'v8' });
  assert.ok(arm !== 'unchanged');
  assert.equal(arm.compressedBytes, 777 + 4096);
});

test('registry: OCI index with an attestation entry listed first: the platform image is measured, not the attestation', async (t) => {
  if (!requirePart(t, 'docker-registry', registryAvailable, HOW_TO_GET_REGISTRY)) return;
  const client = new OciRegistryClient();
  const facts = await client.imageFacts(ref(`${open!.host}/multi/oci:2.0`), amd64);
  assert.ok(facts !== 'unchanged');
  assert.equal(facts.compressedBytes, 600);
  assert.equal(facts.platformDigest, ociIndex.byPlatform['linux/amd64'].digest);
  // arm64 without a variant in the index serves a request for arm64/v8.
  const arm = await client.imageFacts(ref(`${open!.host}/multi/oci:2.0`), { ...arm64, variant: 'v8' });
  assert.ok(arm !== 'unchanged');
  assert.equal(arm.compressedBytes, 50);
  await assert.rejects(client.imageFacts(ref(`${open!.host}/multi/oci:2.0`), { os: 'linux', architecture: 's390x' }), (error: RegistryError) => {
    assert.equal(error.kind, 'no-platform');
    assert.match(error.message, /\(offered: linux\/amd64, linux\/arm64\)$/);
    return true;
  });
});

test('registry: single-platform image manifests (no index) and digest references work', async (t) => {
  if (!requirePart(t, 'docker-registry', registryAvailable, HOW_TO_GET_REGISTRY)) return;
  const image = await pushImage(open!, 'single/app', 'v1', arm64, [12_345, 678], 'oci');
  const client = new OciRegistryClient();
  const facts = await client.imageFacts(ref(`${open!.host}/single/app:v1`), amd64);
  assert.ok(facts !== 'unchanged');
  assert.equal(facts.compressedBytes, 13_023);
  // The config says arm64: the hover must not pretend it is the amd64 size.
  assert.equal(facts.platform, 'linux/arm64');
  const byDigest = await client.imageFacts(ref(`${open!.host}/single/app@${image.digest}`), arm64);
  assert.ok(byDigest !== 'unchanged');
  assert.equal(byDigest.digest, image.digest);
});

test('registry: a known digest is revalidated with one HEAD and nothing is downloaded', async (t) => {
  if (!requirePart(t, 'docker-registry', registryAvailable, HOW_TO_GET_REGISTRY)) return;
  const calls: string[] = [];
  const counting: typeof fetch = (input, init) => {
    calls.push(`${init?.method ?? 'GET'} ${String(input).replace(/^https?:\/\/[^/]+/, '')}`);
    return fetch(input, init);
  };
  const client = new OciRegistryClient({ fetch: counting });
  const result = await client.imageFacts(ref(`${open!.host}/multi/app:1.0`), amd64, { knownDigest: dockerList.digest });
  assert.equal(result, 'unchanged');
  assert.deepEqual(calls, ['HEAD /v2/multi/app/manifests/1.0']);
  calls.length = 0;
  const changed = await client.imageFacts(ref(`${open!.host}/multi/app:1.0`), amd64, { knownDigest: 'sha256:' + '0'.repeat(64) });
  assert.ok(changed !== 'unchanged');
  assert.equal(calls[0], 'HEAD /v2/multi/app/manifests/1.0');
  assert.ok(calls.some((c) => c.startsWith('GET /v2/multi/app/manifests/')));
});

test('registry: an index of 3,000 entries is read and the platform found at its end', async (t) => {
  if (!requirePart(t, 'docker-registry', registryAvailable, HOW_TO_GET_REGISTRY)) return;
  // An index may only list manifests of its own repository, so the listed image is pushed there first.
  const target = await pushImage(open!, 'multi/huge', 'one', amd64, [31_337, 42], 'docker');
  const filler = Array.from({ length: 3000 }, (_, i) => ({ mediaType: 'application/vnd.docker.distribution.manifest.v2+json', digest: target.digest, size: 500, platform: { os: 'linux', architecture: `fake${i}` } }));
  const body = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
    manifests: [...filler, { mediaType: 'application/vnd.docker.distribution.manifest.v2+json', digest: target.digest, size: 500, platform: { os: 'linux', architecture: 'riscv64' } }] });
  await pushManifest(open!, 'multi/huge', 'big', body, 'application/vnd.docker.distribution.manifest.list.v2+json');
  const started = Date.now();
  const facts = await new OciRegistryClient().imageFacts(ref(`${open!.host}/multi/huge:big`), { os: 'linux', architecture: 'riscv64' });
  assert.ok(facts !== 'unchanged');
  assert.equal(facts.compressedBytes, target.compressedBytes);
  assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  // With a smaller read limit the same index is refused instead of read without bound.
  await assert.rejects(new OciRegistryClient({ maxManifestBytes: 100_000 }).imageFacts(ref(`${open!.host}/multi/huge:big`), amd64), (e: RegistryError) => e.kind === 'too-large');
});

test('registry: token auth from the WWW-Authenticate challenge: anonymous pull token for a public repository', async (t) => {
  if (!requirePart(t, 'docker-registry', registryAvailable, HOW_TO_GET_REGISTRY)) return;
  const before = secured!.tokenRequests.length;
  const client = new OciRegistryClient();
  const facts = await client.imageFacts(ref(`${secured!.host}/pub/app:1`), amd64);
  assert.ok(facts !== 'unchanged');
  assert.equal(facts.compressedBytes, 4322);
  const requests = secured!.tokenRequests.slice(before);
  assert.deepEqual(requests, [{ scope: 'repository:pub/app:pull', basic: false }]);
  // The token is reused for the next lookup instead of asking again.
  await client.imageFacts(ref(`${secured!.host}/pub/app:1`), amd64);
  assert.equal(secured!.tokenRequests.length, before + 1);
});

test('registry: a private repository without credentials fails with a login hint, not a crash', async (t) => {
  if (!requirePart(t, 'docker-registry', registryAvailable, HOW_TO_GET_REGISTRY)) return;
  const client = new OciRegistryClient();
  await assert.rejects(client.imageFacts(ref(`${secured!.host}/private/app:1`), amd64), (error: RegistryError) => {
    assert.equal(error.kind, 'auth');
    assert.match(error.message, /refused|credentials/);
    return true;
  });
});

test('registry: credentials from Docker config.json auths open a private repository and never appear in errors', async (t) => {
  if (!requirePart(t, 'docker-registry', registryAvailable, HOW_TO_GET_REGISTRY)) return;
  const dir = mkdtempSync(join(temp, 'cfg-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { [secured!.host]: { auth: Buffer.from('robot:s3cret-p4ss').toString('base64') } } }));
  const facts = await new OciRegistryClient({ credentials: new DockerConfigCredentials(dir) }).imageFacts(ref(`${secured!.host}/private/app:1`), amd64);
  assert.ok(facts !== 'unchanged');
  assert.equal(facts.compressedBytes, 2222);
  const wrong = mkdtempSync(join(temp, 'cfg-'));
  writeFileSync(join(wrong, 'config.json'), JSON.stringify({ auths: { [secured!.host]: { auth: Buffer.from('robot:wrong-secret-xyz').toString('base64') } } }));
  await assert.rejects(new OciRegistryClient({ credentials: new DockerConfigCredentials(wrong) }).imageFacts(ref(`${secured!.host}/private/app:1`), amd64), (error: Error) => {
    assert.doesNotMatch(error.message, /wrong-secret-xyz|robot/);
    return true;
  });
});

test('registry: a credential helper from credHelpers is run (argv, server on stdin) and its secret used', async (t) => {
  if (!requirePart(t, 'docker-registry', registryAvailable, HOW_TO_GET_REGISTRY)) return;
  const dir = mkdtempSync(join(temp, 'helper-'));
  const helper = join(dir, 'docker-credential-multistagetest');
  writeFileSync(helper, `#!/bin/sh\nread server\necho "$1 $server" > "${join(dir, 'called')}"\nprintf '{"ServerURL":"%s","Username":"robot","Secret":"s3cret-p4ss"}' "$server"\n`);
  chmodSync(helper, 0o755);
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ credHelpers: { [secured!.host]: 'multistagetest' } }));
  const runHelper = async (program: string, args: string[], stdin: string, timeoutMs: number) => {
    const { spawnHelper } = await import('../../server/src/images/credentials');
    return spawnHelper(join(dir, program), args, stdin, timeoutMs);
  };
  const facts = await new OciRegistryClient({ credentials: new DockerConfigCredentials(dir, runHelper) }).imageFacts(ref(`${secured!.host}/private/app:1`), amd64);
  assert.ok(facts !== 'unchanged');
  assert.equal(facts.compressedBytes, 2222);
  const { readFileSync } = await import('node:fs');
  assert.equal(readFileSync(join(dir, 'called'), 'utf8').trim(), `get ${secured!.host}`);
});

/** A one-route HTTP server for failure shapes; returns its host:port and a stop function. */
async function fakeRegistry(handler: (url: string, method: string) => { status: number; headers?: Record<string, string>; body?: string; delayMs?: number }): Promise<{ host: string; server: Server; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    const answer = handler(req.url ?? '', req.method ?? 'GET');
    const send = () => { if (!res.destroyed) res.writeHead(answer.status, answer.headers).end(answer.body); };
    if (answer.delayMs) setTimeout(send, answer.delayMs).unref();
    else send();
  });
  const port = await listen(server);
  return { host: `127.0.0.1:${port}`, server, hits };
}

async function closeAll(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

test('registry: 401 without a WWW-Authenticate challenge is reported as such', async () => {
  const fake = await fakeRegistry(() => ({ status: 401, body: 'no' }));
  try {
    await assert.rejects(new OciRegistryClient().imageFacts(ref(`${fake.host}/x/y:1`), amd64), (e: RegistryError) => e.kind === 'auth' && /without an authentication challenge/.test(e.message));
  } finally {
    await closeAll(fake.server);
  }
});

test('registry: malformed manifests (not JSON, layers without sizes, schema 1) are errors with a reason', async () => {
  const bodies: Record<string, string> = {
    '/v2/x/notjson/manifests/1': '{"schemaVersion": 2, "layers": [',
    '/v2/x/nosize/manifests/1': JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', layers: [{ digest: 'sha256:' + 'a'.repeat(64) }] }),
    '/v2/x/schema1/manifests/1': JSON.stringify({ schemaVersion: 1, fsLayers: [] }),
    '/v2/x/badindex/manifests/1': JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [{ platform: amd64 }] }),
  };
  const fake = await fakeRegistry((url) => (bodies[url] ? { status: 200, headers: { 'content-type': 'application/json' }, body: bodies[url] } : { status: 404 }));
  try {
    for (const name of ['notjson', 'nosize', 'schema1', 'badindex']) {
      await assert.rejects(new OciRegistryClient().imageFacts(ref(`${fake.host}/x/${name}:1`), amd64), (e: RegistryError) => e.kind === 'malformed', name);
    }
    await assert.rejects(new OciRegistryClient().imageFacts(ref(`${fake.host}/x/missing:1`), amd64), (e: RegistryError) => e.kind === 'not-found');
  } finally {
    await closeAll(fake.server);
  }
});

test('registry: ratelimit-remaining 0 stops further manifest GETs to that registry', async () => {
  const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', layers: [{ digest: 'sha256:' + 'b'.repeat(64), size: 10 }] });
  const fake = await fakeRegistry(() => ({ status: 200, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'ratelimit-remaining': '0;w=21600' }, body: manifest }));
  try {
    const client = new OciRegistryClient();
    const first = await client.imageFacts(ref(`${fake.host}/x/a:1`), amd64);
    assert.ok(first !== 'unchanged');
    assert.equal(first.compressedBytes, 10);
    const hitsBefore = fake.hits.length;
    await assert.rejects(client.imageFacts(ref(`${fake.host}/x/b:1`), amd64), (e: RegistryError) => e.kind === 'rate-limited');
    assert.equal(fake.hits.length, hitsBefore, 'no request was sent while rate limited');
  } finally {
    await closeAll(fake.server);
  }
});

test('registry: a registry that is down fails fast with a network error', async () => {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  const started = Date.now();
  await assert.rejects(new OciRegistryClient().imageFacts(ref(`127.0.0.1:${port}/x/y:1`), amd64), (e: RegistryError) => e.kind === 'network');
  assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
});

test('registry: an abort signal stops a lookup to a registry that does not answer', async () => {
  const fake = await fakeRegistry(() => ({ status: 200, body: '{}', delayMs: 5000 }));
  try {
    const started = Date.now();
    await assert.rejects(new OciRegistryClient().imageFacts(ref(`${fake.host}/x/y:1`), amd64, { signal: AbortSignal.timeout(200) }));
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
  } finally {
    await closeAll(fake.server);
  }
});
