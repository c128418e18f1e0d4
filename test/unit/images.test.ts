// Image-size plumbing without a network: reference parsing, challenges, platforms, variants, the cache
// (TTL, failures, disk round trip), credentials from a Docker config, and local `docker image inspect`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { displayName, parseImageReference, usesPlainHttp } from '../../server/src/analysis/imageReference';
import { parseChallenges } from '../../server/src/images/challenge';
import { effectivePlatform, hostPlatform, parsePlatform, platformMatches } from '../../server/src/images/platform';
import { smallerVariants } from '../../server/src/images/variants';
import { FactsCache } from '../../server/src/images/factsCache';
import { DockerConfigCredentials } from '../../server/src/images/credentials';
import { DockerCliImages, parseInspect } from '../../server/src/images/localDocker';

test('image references: Docker Hub short names get docker.io, library/ and latest', () => {
  const node = parseImageReference('node')!;
  assert.equal(node.canonical, 'docker.io/library/node:latest');
  assert.equal(node.apiHost, 'registry-1.docker.io');
  assert.equal(displayName(node), 'node:latest');
  assert.equal(parseImageReference('bitnami/redis:7')!.repository, 'bitnami/redis');
  assert.equal(parseImageReference('index.docker.io/library/node:20')!.canonical, 'docker.io/library/node:20');
});

test('image references: other registries, ports, digests; variables and junk are not references', () => {
  const ghcr = parseImageReference('ghcr.io/owner/app:1.2@sha256:' + 'a'.repeat(64))!;
  assert.equal(ghcr.registry, 'ghcr.io');
  assert.equal(ghcr.apiHost, 'ghcr.io');
  assert.equal(ghcr.tag, '1.2');
  assert.equal(ghcr.digest, 'sha256:' + 'a'.repeat(64));
  const local = parseImageReference('localhost:5000/team/app')!;
  assert.equal(local.registry, 'localhost:5000');
  assert.equal(local.tag, 'latest');
  assert.equal(parseImageReference('127.0.0.1:41234/multi/app:1.0')!.repository, 'multi/app');
  for (const bad of ['', '${BASE}', 'node:${V}', 'Node:20', 'node:20 AS x', 'a@sha256:short', '::']) {
    assert.equal(parseImageReference(bad), undefined, bad);
  }
});

test('image references: plain HTTP only for loopback and registries listed as insecure', () => {
  assert.equal(usesPlainHttp('localhost:5000', []), true);
  assert.equal(usesPlainHttp('127.0.0.1:41234', []), true);
  assert.equal(usesPlainHttp('registry.lan:5000', []), false);
  assert.equal(usesPlainHttp('registry.lan:5000', ['registry.lan:5000']), true);
  assert.equal(usesPlainHttp('ghcr.io', ['registry.lan:5000']), false);
});

test('challenges: Docker Hub bearer challenge, basic challenge, unquoted values, garbage', () => {
  assert.deepEqual(parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/node:pull"'), [
    { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/node:pull' } },
  ]);
  assert.deepEqual(parseChallenges('Basic realm="Registry Realm"'), [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]);
  assert.deepEqual(parseChallenges('Bearer realm=https://x/token, service=reg'), [{ scheme: 'bearer', params: { realm: 'https://x/token', service: 'reg' } }]);
  assert.deepEqual(parseChallenges(null), []);
  assert.doesNotThrow(() => parseChallenges('",,,=="\\'));
});

test('platforms: --platform wins, then the setting, then the host; arm64 matches v8 and no variant', () => {
  assert.deepEqual(effectivePlatform('linux/arm64', 'linux/amd64'), { os: 'linux', architecture: 'arm64', variant: undefined });
  assert.deepEqual(effectivePlatform(undefined, 'linux/arm/v7'), { os: 'linux', architecture: 'arm', variant: 'v7' });
  assert.deepEqual(effectivePlatform('$BUILDPLATFORM', ''), hostPlatform());
  assert.deepEqual(hostPlatform('x64'), { os: 'linux', architecture: 'amd64', variant: undefined });
  assert.equal(parsePlatform('linux/aarch64')!.architecture, 'arm64');
  const v8 = { os: 'linux', architecture: 'arm64', variant: 'v8' };
  assert.equal(platformMatches({ os: 'linux', architecture: 'arm64' }, v8), true);
  assert.equal(platformMatches({ os: 'linux', architecture: 'arm', variant: 'v6' }, { os: 'linux', architecture: 'arm', variant: 'v7' }), false);
  assert.equal(platformMatches({ os: 'unknown', architecture: 'unknown' }, { os: 'linux', architecture: 'amd64' }), false);
});

test('variants: same version line only, flavour naming per image, notes where libc or image changes', () => {
  const refs = (r: string) => smallerVariants(r).map((v) => v.reference);
  assert.deepEqual(refs('node:20'), ['node:20-slim', 'node:20-alpine']);
  assert.deepEqual(refs('node:20-bookworm'), ['node:20-bookworm-slim', 'node:20-alpine']);
  assert.deepEqual(refs('python:3.12-bookworm'), ['python:3.12-slim-bookworm', 'python:3.12-alpine']);
  assert.deepEqual(refs('python:3.12-slim'), ['python:3.12-alpine']);
  assert.deepEqual(refs('node:20-alpine'), []);
  assert.deepEqual(refs('debian:bookworm'), ['debian:bookworm-slim']);
  assert.deepEqual(refs('debian:latest'), ['debian:stable-slim']);
  assert.deepEqual(refs('eclipse-temurin:21-jdk-jammy'), ['eclipse-temurin:21-jre-jammy', 'eclipse-temurin:21-jre-alpine']);
  assert.deepEqual(refs('mcr.microsoft.com/dotnet/sdk:8.0'), ['mcr.microsoft.com/dotnet/aspnet:8.0', 'mcr.microsoft.com/dotnet/runtime:8.0']);
  assert.deepEqual(refs('maven:3.9-eclipse-temurin-21'), ['eclipse-temurin:21-jre']);
  assert.deepEqual(refs('ubuntu:22.04'), []);
  assert.deepEqual(refs('node@sha256:' + 'a'.repeat(64)), []);
  assert.match(smallerVariants('node:20')[1].note!, /musl/);
  assert.match(smallerVariants('openjdk:17')[0].note!, /another image/);
});

test('facts cache: fresh for the TTL, failures kept briefly with the last good value, survives a restart on disk', () => {
  let now = 1_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'multistage-cache-'));
  try {
    const cache = new FactsCache<{ n: number }>({ storagePath: dir, successTtlMs: 1000, failureTtlMs: 100, now: () => now });
    cache.setValue('a', { n: 1 });
    assert.equal(cache.isFresh(cache.get('a')!), true);
    now += 1001;
    assert.equal(cache.isFresh(cache.get('a')!), false);
    const failed = cache.setError('a', 'registry down');
    assert.deepEqual(failed.value, { n: 1 });
    assert.equal(cache.isFresh(failed), true);
    now += 101;
    assert.equal(cache.isFresh(cache.get('a')!), false);
    cache.setError('b', 'not found');
    cache.flush();
    const reloaded = new FactsCache<{ n: number }>({ storagePath: dir, now: () => now });
    assert.deepEqual(reloaded.get('a')?.value, { n: 1 });
    assert.equal(reloaded.get('b'), undefined, 'failures are not written to disk');
    writeFileSync(join(dir, 'image-sizes.v1.json'), '{ truncated');
    assert.doesNotThrow(() => new FactsCache({ storagePath: dir }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('credentials: auths entries by registry and Docker Hub legacy key; failing helper falls back to auths', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'multistage-dockercfg-'));
  try {
    writeFileSync(join(dir, 'config.json'), JSON.stringify({
      credsStore: 'nonexistent-store',
      auths: {
        'https://index.docker.io/v1/': { auth: Buffer.from('hubuser:hubpass').toString('base64') },
        'registry.example.com:5000': { auth: Buffer.from('me:pa:ss').toString('base64') },
      },
    }));
    const calls: string[][] = [];
    const creds = new DockerConfigCredentials(dir, async (program, args, stdin) => {
      calls.push([program, ...args, stdin]);
      return { code: 1, stdout: '', stderr: 'credentials not found in native keychain' };
    });
    assert.deepEqual(await creds.forRegistry('docker.io'), { username: 'hubuser', secret: 'hubpass' });
    assert.deepEqual(await creds.forRegistry('registry.example.com:5000'), { username: 'me', secret: 'pa:ss' });
    assert.equal(await creds.forRegistry('ghcr.io'), undefined);
    assert.deepEqual(calls[0], ['docker-credential-nonexistent-store', 'get', 'https://index.docker.io/v1/']);
    assert.equal(await new DockerConfigCredentials(join(dir, 'missing')).forRegistry('docker.io'), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const INSPECT = JSON.stringify({ Id: 'sha256:x', RepoDigests: ['node@sha256:' + 'c'.repeat(64)], Size: 1_098_765_432, Os: 'linux', Architecture: 'amd64', RootFS: { Type: 'layers', Layers: ['a', 'b', 'c'] } });

test('local Docker: inspect output gives the uncompressed size and layers; another architecture is ignored', async () => {
  const amd64 = { os: 'linux', architecture: 'amd64' };
  const facts = parseInspect(INSPECT, amd64, 5)!;
  assert.equal(facts.uncompressedBytes, 1_098_765_432);
  assert.equal(facts.layers, 3);
  assert.equal(facts.repoDigest, 'sha256:' + 'c'.repeat(64));
  assert.equal(parseInspect(INSPECT, { os: 'linux', architecture: 'arm64' }, 5), undefined);
  assert.equal(parseInspect('not json', amd64, 5), undefined);
  const argvs: (readonly string[])[] = [];
  const images = new DockerCliImages(async (argv) => (argvs.push(argv), { code: 0, stdout: INSPECT, stderr: '' }));
  assert.equal((await images.inspect('docker.io/library/node:20', amd64, { timeoutMs: 1000 }))?.layers, 3);
  assert.deepEqual(argvs[0], ['image', 'inspect', '--format', '{{json .}}', 'docker.io/library/node:20']);
});

test('local Docker: a missing CLI or daemon is skipped quietly and not retried on every hover', async () => {
  let runs = 0;
  const images = new DockerCliImages(async () => (runs++, { code: 127, stdout: '', stderr: 'spawn docker ENOENT' }));
  const amd64 = { os: 'linux', architecture: 'amd64' };
  assert.equal(await images.inspect('node:20', amd64, { timeoutMs: 100 }), undefined);
  assert.equal(await images.inspect('node:22', amd64, { timeoutMs: 100 }), undefined);
  assert.equal(runs, 1);
  let notFound = 0;
  const missingImage = new DockerCliImages(async () => (notFound++, { code: 1, stdout: '', stderr: 'Error: No such image: node:20' }));
  await missingImage.inspect('node:20', amd64, { timeoutMs: 100 });
  await missingImage.inspect('node:22', amd64, { timeoutMs: 100 });
  assert.equal(notFound, 2, '"No such image" is a normal answer, not a broken Docker');
});

test('snapshot: every bundled entry names its source file and commit, its date, parses as a reference, and is found by any spelling', async () => {
  const { ImageSnapshot } = await import('../../server/src/images/snapshot/snapshot');
  const snapshot = new ImageSnapshot();
  assert.match(snapshot.date, /^\d{4}-\d{2}-\d{2}$/);
  for (const entry of snapshot.file.entries) {
    const fromRepo = /^docker-library\/repo-info\/repos\/[a-z0-9-]+\/remote\/[\w.-]+\.md$/.test(entry.source) && /^[0-9a-f]{40}$/.test(entry.sourceCommit ?? '');
    assert.ok(entry.source === 'registry' || fromRepo || (/^https:\/\//.test(entry.source) && entry.quote), `${entry.image}: source ${entry.source}`);
    assert.match(entry.asOf, /^\d{4}-\d{2}-\d{2}$/, entry.image);
    assert.ok(parseImageReference(entry.image), entry.image);
    assert.match(entry.digest ?? '', /^sha256:[0-9a-f]{64}$/, entry.image);
  }
  assert.equal(snapshot.size, snapshot.file.entries.length);
  const amd64 = { os: 'linux', architecture: 'amd64' };
  const arm64 = { os: 'linux', architecture: 'arm64' };
  // Figures as repo-info prints them for alpine:3.23 ("Total Size: 3.8 MB").
  const direct = snapshot.find('docker.io/library/alpine:3.23', amd64);
  assert.ok(direct && direct.compressedBytes > 3_000_000 && direct.compressedBytes < 5_000_000 && direct.layers === 1);
  assert.equal(snapshot.find('docker.io/library/alpine:3.23', { ...arm64, variant: 'v8' }), snapshot.find('docker.io/library/alpine:3.23', arm64));
  assert.notEqual(snapshot.find('docker.io/library/alpine:3.23', arm64)?.platformDigest, direct.platformDigest);
  // Google's mirror of Docker Hub and the per-architecture namespaces answer from the same figures.
  const mirrored = snapshot.match('mirror.gcr.io/library/alpine:3.23', amd64);
  assert.equal(mirrored?.entry, direct);
  assert.match(mirrored?.via ?? '', /mirror\.gcr\.io/);
  assert.equal(snapshot.match('docker.io/arm64v8/alpine:3.23', amd64)?.entry, snapshot.find('docker.io/library/alpine:3.23', arm64), 'arm64v8/ is the arm64 build whatever the build platform');
  assert.equal(snapshot.find('docker.io/library/alpine:3.23', { os: 'linux', architecture: 's390x' }), undefined, 'no figure for a platform the source did not give');
  assert.equal(snapshot.find('docker.io/someone/alpine:3.23', amd64), undefined);
  // A digest answers only for the build it names: the tag's index digest per platform, a platform digest for itself.
  const arm = snapshot.find('docker.io/library/alpine:3.23', arm64)!;
  assert.equal(snapshot.find(`docker.io/library/alpine@${direct.digest}`, amd64), direct);
  assert.equal(snapshot.find(`docker.io/library/alpine:3.23@${direct.digest}`, arm64), arm);
  assert.equal(snapshot.find(`docker.io/library/alpine@${arm.platformDigest}`, amd64)?.compressedBytes, arm.compressedBytes);
  assert.equal(snapshot.find(`docker.io/library/alpine:3.23@sha256:${'0'.repeat(64)}`, amd64), undefined, 'another build of the tag has no figure here');
});

test('push dates: Docker Hub tag API over HTTP gives tag_last_pushed; other registries and failures give none', async () => {
  const { createServer } = await import('node:http');
  const { DockerHubTags } = await import('../../server/src/images/dockerHubTags');
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(req.url ?? '');
    if (req.url === '/v2/namespaces/library/repositories/node/tags/20') res.writeHead(200, { 'content-type': 'application/json' }).end('{"name":"20","tag_last_pushed":"2025-12-30T01:02:03.456Z"}');
    else if (req.url?.includes('/broken/')) res.writeHead(200).end('{ not json');
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`;
  try {
    const hub = new DockerHubTags(fetch, base);
    assert.equal(await hub.pushedAt(parseImageReference('node:20')!), '2025-12-30T01:02:03.456Z');
    assert.equal(await hub.pushedAt(parseImageReference('node:999')!), undefined);
    assert.equal(await hub.pushedAt(parseImageReference('library/broken:1')!), undefined);
    assert.equal(await hub.pushedAt(parseImageReference('ghcr.io/owner/app:1')!), undefined);
    assert.equal(paths.length, 3, 'ghcr.io is not asked');
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
