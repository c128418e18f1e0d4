// The image-size service's contract with hovers, inlay hints and the diagnostics path: synchronous
// answers never do IO; lookups are de-duplicated, time-limited and answer with what is known; late
// answers are announced; failures are cached briefly; offline means no registry call at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FactsCache } from '../../server/src/images/factsCache';
import { ImageSizeService } from '../../server/src/images/imageSizeService';
import { ImageSnapshot } from '../../server/src/images/snapshot/snapshot';
import { RegistryError, type RegistryClient, type RegistryFacts } from '../../server/src/images/registryClient';
import type { ImageReference } from '../../server/src/analysis/imageReference';

const amd64 = { os: 'linux', architecture: 'amd64' };
const FACTS: RegistryFacts = { digest: 'sha256:' + '1'.repeat(64), platformDigest: 'sha256:' + '2'.repeat(64), compressedBytes: 48_123_456, layers: 5, platform: 'linux/amd64' };
const SNAPSHOT = new ImageSnapshot({ generatedAt: '2025-01-01', generator: 'test', entries: [
  { image: 'node:20-slim', platform: 'linux/amd64', compressedBytes: 70_000_000, asOf: '2025-01-01', source: 'https://example.test/figure' },
] });

/** A registry whose answers the test controls: each call waits for `delayMs`, then resolves or fails. */
function fakeRegistry(behaviour: { delayMs?: number; fail?: RegistryError; facts?: RegistryFacts } = {}) {
  const calls: { ref: ImageReference; knownDigest?: string }[] = [];
  const registry: RegistryClient = {
    imageFacts: (ref, _platform, options) => {
      calls.push({ ref, knownDigest: options?.knownDigest });
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => (behaviour.fail ? reject(behaviour.fail) : resolve(behaviour.facts ?? FACTS)), behaviour.delayMs ?? 0);
        options?.signal?.addEventListener('abort', () => (clearTimeout(timer), reject(new Error('aborted'))));
      });
    },
  };
  return { registry, calls };
}

const settings = { online: true, timeoutMs: 200 };

test('image sizes: concurrent lookups of one image make one registry request', async () => {
  const { registry, calls } = fakeRegistry({ delayMs: 20 });
  const service = new ImageSizeService({ registry, snapshot: SNAPSHOT, cache: new FactsCache() });
  const [a, b] = await Promise.all([service.lookup('node:20', amd64, settings), service.lookup('docker.io/library/node:20', amd64, settings)]);
  assert.equal(calls.length, 1);
  assert.equal(a!.registry!.compressedBytes, 48_123_456);
  assert.equal(b!.registry!.layers, 5);
  assert.equal(service.stats.deduplicated, 1);
  await service.lookup('node:20', amd64, settings);
  assert.equal(calls.length, 1, 'a fresh cached answer is not fetched again');
});

test('image sizes: a slow registry: the lookup answers at the timeout with what is known, then announces the facts', async () => {
  const { registry } = fakeRegistry({ delayMs: 250 });
  const service = new ImageSizeService({ registry, snapshot: SNAPSHOT, cache: new FactsCache() });
  const learned: string[] = [];
  service.onDidLearn((c) => learned.push(c));
  const started = Date.now();
  const early = await service.lookup('node:20-slim', amd64, { online: true, timeoutMs: 100 });
  const waited = Date.now() - started;
  assert.ok(waited >= 95 && waited < 1000, `answered after ${waited} ms (timeout 100, registry 250)`);
  assert.equal(early!.pending, true);
  assert.equal(early!.registry, undefined);
  assert.equal(early!.snapshot!.compressedBytes, 70_000_000, 'the snapshot figure is shown meanwhile');
  const deadline = Date.now() + 2000;
  while (learned.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(learned, ['docker.io/library/node:20-slim']);
  assert.equal(service.report('node:20-slim', amd64, settings)!.registry!.compressedBytes, 48_123_456);
});

test('image sizes: a registry that never answers is aborted after 3× the timeout and the failure is cached briefly', async () => {
  const { registry, calls } = fakeRegistry({ delayMs: 60_000 });
  let now = 1_000_000;
  const service = new ImageSizeService({ registry, snapshot: SNAPSHOT, cache: new FactsCache({ now: () => now, failureTtlMs: 60_000 }), now: () => now });
  const learned: string[] = [];
  service.onDidLearn((c) => learned.push(c));
  await service.lookup('node:20', amd64, { online: true, timeoutMs: 50 });
  const deadline = Date.now() + 2000;
  while (service.report('node:20', amd64, settings)!.pending && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  const report = service.report('node:20', amd64, settings)!;
  assert.match(report.error!, /did not answer within 150 ms/);
  assert.deepEqual(learned, [], 'a failure is not announced: no figure changed');
  await service.lookup('node:20', amd64, { online: true, timeoutMs: 50 });
  assert.equal(calls.length, 1, 'not retried while the failure is fresh');
  now += 61_000;
  void service.lookup('node:20', amd64, { online: true, timeoutMs: 10 });
  assert.equal(calls.length, 2, 'retried once the failure expired');
});

test('image sizes: registry errors are kept as the report error, and a later success revalidates with the old digest', async () => {
  const failing = fakeRegistry({ fail: new RegistryError('auth', 'example.test needs credentials') });
  const cache = new FactsCache<RegistryFacts>({ successTtlMs: 0 });
  const service = new ImageSizeService({ registry: failing.registry, snapshot: SNAPSHOT, cache });
  const report = await service.lookup('example.test/team/app:1', amd64, settings);
  assert.equal(report!.error, 'example.test needs credentials');
  cache.setValue('docker.io/library/node:20|linux/amd64', FACTS);
  const ok = fakeRegistry();
  const second = new ImageSizeService({ registry: ok.registry, snapshot: SNAPSHOT, cache });
  await second.lookup('node:20', amd64, settings);
  assert.equal(ok.calls[0].knownDigest, FACTS.digest, 'the expired entry is revalidated (HEAD) with its digest');
});

test('image sizes: online=false makes no registry call and labels the answer as offline', async () => {
  const { registry, calls } = fakeRegistry();
  const service = new ImageSizeService({ registry, snapshot: SNAPSHOT, cache: new FactsCache() });
  const report = await service.lookup('node:20-slim', amd64, { online: false, timeoutMs: 200 });
  assert.equal(calls.length, 0);
  assert.equal(report!.online, false);
  assert.equal(report!.snapshot!.source, 'https://example.test/figure');
  service.prefetch('node:22', amd64, { online: false, timeoutMs: 200 });
  assert.equal(calls.length, 0);
});

test('image sizes: known facts for the rules are synchronous, answer any spelling, and never start a lookup', async () => {
  const { registry, calls } = fakeRegistry();
  const service = new ImageSizeService({ registry, snapshot: SNAPSHOT, cache: new FactsCache() });
  const before = service.knownFacts(amd64, settings);
  assert.equal(before.get('node:20'), undefined);
  assert.equal(before.get('node:20-slim')!.compressedBytes, 70_000_000);
  assert.equal(before.get('node:20-slim')!.source, 'snapshot');
  assert.equal(calls.length, 0);
  await service.lookup('node:20', amd64, settings);
  const after = service.knownFacts(amd64, settings);
  assert.deepEqual(after.get('docker.io/library/node:20'), { compressedBytes: 48_123_456, digest: FACTS.digest, source: 'registry', layers: 5, uncompressedBytes: undefined });
  assert.equal(after.get('${BASE}'), undefined);
  assert.equal(service.knownFacts(amd64, { online: false }).get('node:20'), undefined, 'offline documents do not see registry figures');
});

test('image sizes: local Docker figures join the report; variants can skip the local lookup', async () => {
  const { registry } = fakeRegistry();
  const inspected: string[] = [];
  const local = { inspect: async (reference: string) => (inspected.push(reference), { uncompressedBytes: 190_000_000, layers: 5, platform: 'linux/amd64', inspectedAt: Date.now() }) };
  const service = new ImageSizeService({ registry, local, snapshot: SNAPSHOT, cache: new FactsCache() });
  const report = await service.lookup('node:20', amd64, settings);
  assert.equal(report!.local!.uncompressedBytes, 190_000_000);
  await service.lookup('node:20-slim', amd64, { ...settings, includeLocal: false });
  assert.deepEqual(inspected, ['docker.io/library/node:20']);
});

test('image sizes: the rules read the same facts: larger-base-than-needed states the saving, unpinned-base-image pins the digest', async () => {
  const { analyze } = await import('../../server/src/analysis/analyze');
  const { DEFAULT_SETTINGS } = await import('../../server/src/analysis/types');
  const cache = new FactsCache<RegistryFacts>();
  cache.setValue('docker.io/library/node:20|linux/amd64', { ...FACTS, compressedBytes: 392_400_000 });
  cache.setValue('docker.io/library/node:20-slim|linux/amd64', { ...FACTS, compressedBytes: 70_200_000 });
  cache.setValue('docker.io/library/node:latest|linux/amd64', FACTS);
  const service = new ImageSizeService({ registry: fakeRegistry().registry, snapshot: SNAPSHOT, cache });
  const images = service.knownFacts(amd64, settings);
  const larger = analyze('FROM node:20\nCOPY . /app\nCMD ["node", "/app/index.js"]\n', { settings: DEFAULT_SETTINGS, images }).problems.find((p) => p.rule === 'larger-base-than-needed');
  assert.ok(larger, 'larger-base-than-needed fires');
  assert.match(larger.message, /322\.2 MB smaller/);
  assert.match(larger.fixes[0].title, /saves 322\.2 MB/);
  const unpinned = analyze('FROM node\nCMD ["node"]\n', { settings: DEFAULT_SETTINGS, images }).problems.find((p) => p.rule === 'unpinned-base-image');
  assert.ok(unpinned);
  assert.equal(unpinned.fixes[0].edits[0].newText, `node@${FACTS.digest}`);
});

test('image sizes: a file with many images runs at most the configured number of registry lookups at once', async () => {
  let running = 0;
  let peak = 0;
  const registry: RegistryClient = {
    imageFacts: async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 20));
      running--;
      return FACTS;
    },
  };
  const service = new ImageSizeService({ registry, snapshot: SNAPSHOT, cache: new FactsCache(), maxConcurrentLookups: 3 });
  const reports = await Promise.all(Array.from({ length: 10 }, (_, i) => service.lookup(`example.test/app${i}:1`, amd64, { online: true, timeoutMs: 2000 })));
  assert.equal(peak, 3);
  assert.ok(reports.every((r) => r?.registry?.compressedBytes === FACTS.compressedBytes));
});

test('image sizes: a variant lookup (no local Docker) and the image lookup share the registry request, and the local size is still read', async () => {
  const { registry, calls } = fakeRegistry({ delayMs: 30 });
  const inspected: string[] = [];
  const local = { inspect: async (reference: string) => (inspected.push(reference), { uncompressedBytes: 5, layers: 1, platform: 'linux/amd64', inspectedAt: Date.now() }) };
  const service = new ImageSizeService({ registry, local, snapshot: SNAPSHOT, cache: new FactsCache() });
  const [asVariant, asImage] = await Promise.all([
    service.lookup('node:20', amd64, { ...settings, includeLocal: false }),
    service.lookup('node:20', amd64, settings),
  ]);
  assert.equal(asImage!.local!.uncompressedBytes, 5);
  assert.equal(asVariant!.registry!.compressedBytes, FACTS.compressedBytes);
  assert.deepEqual(inspected, ['docker.io/library/node:20']);
  assert.equal(calls.length, 1, 'the registry request is shared');
  assert.equal(service.report('node:20', amd64, settings)!.pending, false);
});
