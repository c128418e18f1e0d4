// The snapshot regeneration script against a real registry: figures are the registry's exact sums with
// the read date and source "registry"; images it cannot read keep their previous sourced figure or
// are left out; nothing is made up.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { OciRegistryClient } from '../../server/src/images/registryClient';
import { regenerateSnapshot } from '../../server/src/images/snapshot/regenerate';
import { requirePart } from '../support/requirements';
import { HOW_TO_GET_REGISTRY, pushIndex, registryAvailable, startRegistry, type RunningRegistry } from './registryHarness';

let registry: RunningRegistry | undefined;
before(async () => {
  if (!registryAvailable) return;
  registry = await startRegistry();
  await pushIndex(registry, 'official/node', '20', { 'linux/amd64': [3000, 1000], 'linux/arm64': [2500] }, 'oci');
  await pushIndex(registry, 'official/node', '20-slim', { 'linux/amd64': [700] }, 'docker');
});
after(async () => registry?.stop());

test('regenerate snapshot: registry figures per platform, previous sourced figures kept on failure, unknown left out', async (t) => {
  if (!requirePart(t, 'docker-registry', registryAvailable, HOW_TO_GET_REGISTRY)) return;
  const host = registry!.host;
  const previous = { generatedAt: '2025-01-01T00:00:00Z', generator: 'test', entries: [
    { image: `${host}/official/gone:1`, platform: 'linux/amd64', compressedBytes: 123, asOf: '2025-01-01', source: 'https://example.test/page', quote: 'gone:1 is 123 bytes compressed' },
  ] };
  const result = await regenerateSnapshot([`${host}/official/node:20`, `${host}/official/node:20-slim`, `${host}/official/gone:1`],
    ['linux/amd64', 'linux/arm64'], new OciRegistryClient(), previous, new Date('2026-11-22T10:00:00Z'), 2);
  const byKey = Object.fromEntries(result.file.entries.map((e) => [`${e.image.replace(`${host}/official/`, '')} ${e.platform}`, e]));
  assert.equal(byKey['node:20 linux/amd64'].compressedBytes, 4000);
  assert.equal(byKey['node:20 linux/amd64'].layers, 2);
  assert.equal(byKey['node:20 linux/amd64'].source, 'registry');
  assert.equal(byKey['node:20 linux/amd64'].asOf, '2026-11-22');
  assert.equal(byKey['node:20 linux/arm64'].compressedBytes, 2500);
  assert.equal(byKey['node:20-slim linux/amd64'].compressedBytes, 700);
  assert.equal(byKey['node:20-slim linux/arm64'], undefined, 'a platform the image does not offer is left out');
  assert.equal(byKey['gone:1 linux/amd64'].source, 'https://example.test/page', 'the previous sourced figure is kept');
  assert.equal(byKey['gone:1 linux/arm64'], undefined);
  assert.equal(result.fetched, 3);
  assert.equal(result.kept, 1);
  assert.equal(result.failures.length, 3);
});
