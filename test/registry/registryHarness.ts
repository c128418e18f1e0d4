// Real registries for tests: Debian's docker-registry (distribution 2.8) on 127.0.0.1 with a random free
// port and its own temp storage, optionally behind token auth served by a small token endpoint in this
// process (ES256 JWTs with an x5c header, certificate made by openssl). Images are uploaded through the
// registry's real HTTP API. Every process started here is stopped by stop() (tests call it in after()),
// and killed when the test process exits without it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, createPrivateKey, randomBytes, sign } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REGISTRY_BINARY = '/usr/bin/docker-registry';
export const registryAvailable = existsSync(REGISTRY_BINARY) && spawnSync('openssl', ['version']).status === 0;
export const HOW_TO_GET_REGISTRY = 'run test/setup/registry.sh (apt-get install docker-registry openssl)';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export interface TokenAuth {
  /** Repositories that anonymous callers may pull; others need `user:password`. */
  publicRepositories: string[];
  user: string;
  password: string;
}

export interface RunningRegistry {
  host: string;
  port: number;
  /** Token requests seen, with whether they carried Basic credentials. */
  tokenRequests: { scope: string; basic: boolean }[];
  /** Requests the token endpoint turned down. */
  tokenRefusals: number;
  stop(): Promise<void>;
  /** Authorization header for uploads (push scope) when the registry is behind token auth. */
  pushAuthorization(repository: string): string | undefined;
}

export async function startRegistry(auth?: TokenAuth): Promise<RunningRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'multistage-registry-'));
  const port = await freePort();
  const tokenRequests: { scope: string; basic: boolean }[] = [];
  let tokenRefusals = 0;
  let tokenServer: Server | undefined;
  let issue: ((repository: string, actions: string[]) => string) | undefined;
  let authYaml = '';
  if (auth) {
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=multistage-test-token-issuer'], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
    const key = createPrivateKey(readFileSync(join(dir, 'key.pem')));
    const certDer = Buffer.from(readFileSync(join(dir, 'cert.pem'), 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64');
    issue = (repository, actions) => {
      const now = Math.floor(Date.now() / 1000);
      const header = { typ: 'JWT', alg: 'ES256', x5c: [certDer.toString('base64')] };
      const claims = { iss: 'multistage-test', sub: 'test', aud: 'multistage-test-registry', exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'),
        access: actions.length > 0 ? [{ type: 'repository', name: repository, actions }] : [] };
      const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
      const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
      return `${input}.${b64url(signature)}`;
    };
    tokenServer = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const scope = url.searchParams.get('scope') ?? '';
      const header = req.headers.authorization ?? '';
      const basic = header.startsWith('Basic ');
      tokenRequests.push({ scope, basic });
      const [, repository = '', wanted = ''] = /^repository:([^:]+):(.+)$/.exec(scope) ?? [];
      const loggedIn = basic && Buffer.from(header.slice(6), 'base64').toString() === `${auth.user}:${auth.password}`;
      if (basic && !loggedIn) {
        tokenRefusals++;
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"incorrect username or password"}');
        return;
      }
      // Like Docker Hub: anonymous callers get a pull token for public repositories, nothing for others.
      const actions = loggedIn ? wanted.split(',') : auth.publicRepositories.includes(repository) ? ['pull'] : [];
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: issue!(repository, actions), expires_in: 300 }));
    });
    const tokenPort = await listen(tokenServer);
    authYaml = `auth:\n  token:\n    realm: http://127.0.0.1:${tokenPort}/token\n    service: multistage-test-registry\n    issuer: multistage-test\n    rootcertbundle: ${join(dir, 'cert.pem')}\n`;
  }
  writeFileSync(join(dir, 'config.yml'), `version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\nhttp:\n  addr: 127.0.0.1:${port}\n${authYaml}`);
  // Not detached: the registry stays in the test's process group, so Ctrl-C or the runner stopping the
  // group stops it too; the exit hook covers a test process that ends without running after().
  const child: ChildProcess = spawn(REGISTRY_BINARY, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve(undefined);
        }, 3000);
        child.once('exit', () => (clearTimeout(timer), resolve(undefined)));
      });
    }
    if (tokenServer) await new Promise((resolve) => tokenServer!.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  };
  // Wait by polling until /v2/ answers (200 open, 401 behind auth).
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/v2/`);
      if (r.status === 200 || r.status === 401) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`docker-registry did not start: ${stderr.slice(-800)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    host: `127.0.0.1:${port}`,
    port,
    tokenRequests,
    get tokenRefusals() { return tokenRefusals; },
    stop,
    pushAuthorization: (repository) => (issue ? `Bearer ${issue(repository, ['pull', 'push'])}` : undefined),
  };
}

export const sha256 = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** Uploads one blob through the real API (POST an upload session, PUT the bytes with their digest). */
export async function pushBlob(registry: RunningRegistry, repository: string, data: Buffer): Promise<{ digest: string; size: number }> {
  const digest = sha256(data);
  const headers: Record<string, string> = {};
  const authorization = registry.pushAuthorization(repository);
  if (authorization) headers.authorization = authorization;
  const start = await fetch(`http://${registry.host}/v2/${repository}/blobs/uploads/`, { method: 'POST', headers });
  if (start.status !== 202) throw new Error(`upload start: ${start.status} ${(await start.text()).slice(0, 300)}`);
  const location = new URL(start.headers.get('location')!, `http://${registry.host}`);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, { method: 'PUT', headers: { ...headers, 'content-type': 'application/octet-stream' }, body: data });
  if (put.status !== 201) throw new Error(`upload: ${put.status} ${(await put.text()).slice(0, 300)}`);
  return { digest, size: data.length };
}

export async function pushManifest(registry: RunningRegistry, repository: string, reference: string, body: string, mediaType: string): Promise<string> {
  const headers: Record<string, string> = { 'content-type': mediaType };
  const authorization = registry.pushAuthorization(repository);
  if (authorization) headers.authorization = authorization;
  const r = await fetch(`http://${registry.host}/v2/${repository}/manifests/${reference}`, { method: 'PUT', headers, body });
  if (r.status !== 201) throw new Error(`manifest ${repository}:${reference}: ${r.status} ${(await r.text()).slice(0, 300)}`);
  return sha256(body);
}

export interface PushedImage {
  digest: string;
  compressedBytes: number;
  layers: number;
}

export interface PushedIndex {
  digest: string;
  byPlatform: Record<string, PushedImage>;
}

/** One platform image with layers of the given sizes (random bytes, so every run has new digests). */
export async function pushImage(registry: RunningRegistry, repository: string, reference: string, platform: { os: string; architecture: string; variant?: string }, layerSizes: number[], format: 'docker' | 'oci', created = '2024-05-01T12:00:00Z'): Promise<PushedImage> {
  const layers = [];
  for (const size of layerSizes) layers.push(await pushBlob(registry, repository, randomBytes(size)));
  const config = Buffer.from(JSON.stringify({ ...platform, created, rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) }, config: {} }));
  const configBlob = await pushBlob(registry, repository, config);
  const oci = format === 'oci';
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: oci ? 'application/vnd.oci.image.manifest.v1+json' : 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: oci ? 'application/vnd.oci.image.config.v1+json' : 'application/vnd.docker.container.image.v1+json', digest: configBlob.digest, size: configBlob.size },
    layers: layers.map((l) => ({ mediaType: oci ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.docker.image.rootfs.diff.tar.gzip', digest: l.digest, size: l.size })),
  });
  const digest = await pushManifest(registry, repository, reference, manifest, oci ? 'application/vnd.oci.image.manifest.v1+json' : 'application/vnd.docker.distribution.manifest.v2+json');
  return { digest, compressedBytes: layerSizes.reduce((a, b) => a + b, 0), layers: layerSizes.length };
}

/**
 * A multi-platform image: an index (OCI) or manifest list (Docker v2) with one entry per platform and,
 * like BuildKit pushes, an attestation manifest listed first as unknown/unknown.
 */
export async function pushIndex(registry: RunningRegistry, repository: string, tag: string, platforms: Record<string, number[]>, format: 'docker' | 'oci', extraEntries: object[] = []): Promise<PushedIndex> {
  const byPlatform: Record<string, PushedImage> = {};
  const entries: object[] = [];
  const manifestType = format === 'oci' ? 'application/vnd.oci.image.manifest.v1+json' : 'application/vnd.docker.distribution.manifest.v2+json';
  for (const [name, sizes] of Object.entries(platforms)) {
    const [os, architecture, variant] = name.split('/');
    const image = await pushImage(registry, repository, `${tag}-${os}-${architecture}${variant ?? ''}`, { os, architecture, variant }, sizes, format);
    byPlatform[name] = image;
    const size = Buffer.byteLength(await (await fetch(`http://${registry.host}/v2/${repository}/manifests/${image.digest}`, { headers: { accept: manifestType, ...authHeader(registry, repository) } })).text());
    entries.push({ mediaType: manifestType, digest: image.digest, size, platform: { os, architecture, ...(variant ? { variant } : {}) } });
  }
  // The attestation: an OCI manifest whose one layer is an in-toto statement, pointing back at the image.
  const firstImage = Object.values(byPlatform)[0];
  const statement = await pushBlob(registry, repository, Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v0.1', predicateType: 'https://slsa.dev/provenance/v0.2' })));
  const emptyConfig = await pushBlob(registry, repository, Buffer.from('{}'));
  const attestation = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: emptyConfig.digest, size: emptyConfig.size },
    layers: [{ mediaType: 'application/vnd.in-toto+json', digest: statement.digest, size: statement.size, annotations: { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v0.2' } }] });
  const attestationDigest = await pushManifest(registry, repository, `${tag}-attestation`, attestation, 'application/vnd.oci.image.manifest.v1+json');
  const attestationEntry = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: attestationDigest, size: Buffer.byteLength(attestation),
    platform: { os: 'unknown', architecture: 'unknown' }, annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': firstImage.digest } };
  const indexType = format === 'oci' ? 'application/vnd.oci.image.index.v1+json' : 'application/vnd.docker.distribution.manifest.list.v2+json';
  // Listed first, as a careless client that takes entry 0 would then report the attestation's size.
  const allEntries = [attestationEntry, ...entries, ...extraEntries];
  const index = JSON.stringify({ schemaVersion: 2, mediaType: indexType, manifests: allEntries });
  const digest = await pushManifest(registry, repository, tag, index, indexType);
  return { digest, byPlatform };
}

function authHeader(registry: RunningRegistry, repository: string): Record<string, string> {
  const a = registry.pushAuthorization(repository);
  return a ? { authorization: a } : {};
}
