// Redirects the registry client follows and refuses, against a real server pair on 127.0.0.1: an HTTPS
// registry (self-signed certificate for `registry.test`, made by openssl) and a plain-HTTP server that
// would answer a manifest. The client is given a fetch that does what fetch does over node:https with
// that certificate trusted, so the redirect decisions are the client's own.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OciRegistryClient, RegistryError } from '../../server/src/images/registryClient';
import { parseImageReference } from '../../server/src/analysis/imageReference';
import { requirePart } from '../support/requirements';
import { listen } from './registryHarness';

const amd64 = { os: 'linux', architecture: 'amd64' };
const opensslAvailable = spawnSync('openssl', ['version']).status === 0;
const MANIFEST = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', layers: [{ digest: `sha256:${'c'.repeat(64)}`, size: 42 }] });
const dir = mkdtempSync(join(tmpdir(), 'multistage-redirect-'));
let cert = '';
let key = '';
let plain: Server | undefined;
let plainPort = 0;
const plainHits: string[] = [];

before(async () => {
  plain = createHttpServer((req, res) => {
    plainHits.push(`${req.method} ${req.url} auth=${req.headers.authorization ?? ''}`);
    res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).end(MANIFEST);
  });
  plainPort = await listen(plain);
  if (!opensslAvailable) return;
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'),
    '-out', join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=registry.test', '-addext', 'subjectAltName=DNS:registry.test'], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  key = readFileSync(join(dir, 'key.pem'), 'utf8');
});

after(async () => {
  plain?.closeAllConnections();
  await new Promise((resolve) => (plain ? plain.close(resolve) : resolve(undefined)));
  rmSync(dir, { recursive: true, force: true });
});

/** An HTTPS "registry" on 127.0.0.1 that answers every request with `answer(url)`. */
async function httpsRegistry(answer: (url: string) => { status: number; headers?: Record<string, string>; body?: string }): Promise<{ port: number; server: Server; hits: string[] }> {
  const hits: string[] = [];
  const server = createHttpsServer({ cert, key }, (req, res) => {
    hits.push(`${req.method} ${req.url} auth=${req.headers.authorization ?? ''}`);
    const a = answer(req.url ?? '');
    res.writeHead(a.status, a.headers).end(a.body);
  });
  return { port: await listen(server), server, hits };
}

/** fetch over node:http(s): `registry.test` is 127.0.0.1 and its certificate is trusted; redirects as fetch does them. */
function testFetch(): typeof fetch {
  const once = (url: URL, init: RequestInit): Promise<Response> => new Promise((resolve, reject) => {
    const options = { method: init.method ?? 'GET', headers: init.headers as Record<string, string>, host: '127.0.0.1', port: url.port, path: `${url.pathname}${url.search}`, servername: url.hostname, ca: cert };
    const onResponse = (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') headers.set(name, value);
        const status = res.statusCode ?? 500;
        resolve(new Response([204, 304].includes(status) || init.method === 'HEAD' ? null : Buffer.concat(chunks), { status, headers }));
      });
    };
    const req = url.protocol === 'https:' ? httpsRequest(options, onResponse) : httpRequest(options, onResponse);
    req.on('error', reject);
    req.end();
  });
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    let url = new URL(input instanceof Request ? input.url : input.toString());
    for (let hop = 0; hop < 20; hop++) {
      const response = await once(url, init);
      const location = response.headers.get('location');
      if (init.redirect === 'manual' || !location || response.status < 300 || response.status > 399) return response;
      url = new URL(location, url);
    }
    throw new TypeError('redirect count exceeded');
  }) as typeof fetch;
}

test('registry redirects: HTTPS → plain HTTP is refused and nothing is sent over HTTP', async (t) => {
  if (!requirePart(t, 'openssl', opensslAvailable, 'apt-get install openssl')) return;
  const registry = await httpsRegistry(() => ({ status: 307, headers: { location: `http://registry.test:${plainPort}/v2/x/y/manifests/1` } }));
  try {
    const before = plainHits.length;
    const client = new OciRegistryClient({ fetch: testFetch() });
    await assert.rejects(client.imageFacts(parseImageReference(`registry.test:${registry.port}/x/y:1`)!, amd64),
      (e: RegistryError) => e.kind === 'http' && /HTTPS to plain HTTP/.test(e.message));
    assert.equal(plainHits.length, before, 'the plain-HTTP server was never asked');
    assert.ok(registry.hits.length >= 1);
  } finally {
    registry.server.closeAllConnections();
    await new Promise((resolve) => registry.server.close(resolve));
  }
});

test('registry redirects: an HTTPS → HTTPS redirect to another path is followed', async (t) => {
  if (!requirePart(t, 'openssl', opensslAvailable, 'apt-get install openssl')) return;
  const registry = await httpsRegistry((url): { status: number; headers: Record<string, string>; body?: string } => (url.startsWith('/moved/')
    ? { status: 200, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, body: MANIFEST }
    : { status: 302, headers: { location: `/moved${url}` } }));
  try {
    const facts = await new OciRegistryClient({ fetch: testFetch() }).imageFacts(parseImageReference(`registry.test:${registry.port}/x/y:1`)!, amd64);
    assert.ok(facts !== 'unchanged');
    assert.equal(facts.compressedBytes, 42);
    assert.ok(registry.hits.some((h) => h.startsWith('GET /moved/v2/x/y/manifests/1')), registry.hits.join('\n'));
  } finally {
    registry.server.closeAllConnections();
    await new Promise((resolve) => registry.server.close(resolve));
  }
});

test('registry redirects: a plain-HTTP registry (127.0.0.1) may still redirect within plain HTTP', async () => {
  const first = createHttpServer((req, res) => res.writeHead(301, { location: `http://127.0.0.1:${plainPort}${req.url}` }).end());
  const port = await listen(first);
  try {
    const facts = await new OciRegistryClient().imageFacts(parseImageReference(`127.0.0.1:${port}/x/y:1`)!, amd64);
    assert.ok(facts !== 'unchanged');
    assert.equal(facts.compressedBytes, 42);
  } finally {
    first.closeAllConnections();
    await new Promise((resolve) => first.close(resolve));
  }
});
