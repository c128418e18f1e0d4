// Regenerates snapshot.json from the registries themselves: for every image in popularImages.ts and
// each snapshot platform, the same lookup the hover does (index → platform manifest → layer sizes).
// Needs network access to Docker Hub, mcr.microsoft.com and gcr.io; see docs/image-sizes.md.
//
//   npx tsx server/src/images/snapshot/regenerate.ts [--out FILE] [--concurrency N] [--only REF,REF]
//
// Entries that cannot be fetched keep their previous, sourced figure (and its date) when the old file
// has one, and are otherwise left out: the snapshot never holds a number without a source.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DockerConfigCredentials } from '../credentials';
import { parsePlatform } from '../platform';
import { displayName, parseImageReference } from '../../analysis/imageReference';
import { OciRegistryClient, type RegistryClient } from '../registryClient';
import { SNAPSHOT_IMAGES, SNAPSHOT_PLATFORMS } from './popularImages';
import type { SnapshotEntry, SnapshotFile } from './snapshot';

export interface RegenerateResult {
  file: SnapshotFile;
  fetched: number;
  kept: number;
  failures: string[];
}

export async function regenerateSnapshot(images: readonly string[], platforms: readonly string[], client: RegistryClient,
  previous: SnapshotFile | undefined, now: Date, concurrency = 4): Promise<RegenerateResult> {
  const jobs = images.flatMap((image) => platforms.map((platform) => ({ image, platform })));
  const entries: SnapshotEntry[] = [];
  const failures: string[] = [];
  let kept = 0;
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const { image, platform } = jobs[next++];
      const ref = parseImageReference(image);
      const wanted = parsePlatform(platform);
      if (!ref || !wanted) {
        failures.push(`${image} ${platform}: not a reference/platform`);
        continue;
      }
      try {
        const facts = await client.imageFacts(ref, wanted, { signal: AbortSignal.timeout(30_000) });
        if (facts === 'unchanged') continue;
        entries.push({ image: displayName(ref), platform, compressedBytes: facts.compressedBytes, layers: facts.layers, digest: facts.digest,
          platformDigest: facts.platformDigest, ...(facts.createdAt ? { newestLayerAt: facts.createdAt.slice(0, 10) } : {}),
          asOf: now.toISOString().slice(0, 10), source: 'registry' });
      } catch (error) {
        failures.push(`${image} ${platform}: ${(error as Error).message}`);
        const old = previous?.entries.find((e) => parseImageReference(e.image)?.canonical === ref.canonical && e.platform === platform);
        if (old?.source) {
          entries.push(old);
          kept++;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  entries.sort((a, b) => a.image.localeCompare(b.image) || a.platform.localeCompare(b.platform));
  return {
    file: { generatedAt: now.toISOString().slice(0, 10), generator: 'server/src/images/snapshot/regenerate.ts (registry lookups)', entries },
    fetched: entries.length - kept,
    kept,
    failures,
  };
}

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const out = argument('--out') ?? join(__dirname, 'snapshot.json');
  const only = argument('--only')?.split(',').filter(Boolean);
  let previous: SnapshotFile | undefined;
  try {
    previous = JSON.parse(readFileSync(out, 'utf8'));
  } catch {
    previous = undefined;
  }
  const client = new OciRegistryClient({ credentials: new DockerConfigCredentials() });
  const result = await regenerateSnapshot(only ?? SNAPSHOT_IMAGES, SNAPSHOT_PLATFORMS, client, previous, new Date(), Number(argument('--concurrency') ?? 4));
  writeFileSync(`${out}.tmp`, `${JSON.stringify(result.file, null, 1)}\n`);
  renameSync(`${out}.tmp`, out);
  process.stdout.write(`${out}: ${result.fetched} figures from registries, ${result.kept} kept from the previous file, ${result.failures.length} failures\n`);
  for (const failure of result.failures) process.stdout.write(`  ${failure}\n`);
  if (result.fetched === 0) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
}
