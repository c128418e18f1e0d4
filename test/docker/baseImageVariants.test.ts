// larger-base-than-needed proposes "the same version line, smaller": checked on real images. For each
// full image, the variant it proposes must exist under that exact tag, be smaller, and run the same
// language version. Uses the offline base images (test/setup/docker.sh builds them under the official
// names and tags) or the real ones where Docker Hub is reachable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runDocker } from '../../server/src/docker/runner';
import { sameLibcVariants } from '../../server/src/analysis/data/baseImages';
import { DOCKER, SETUP_HINT, engineAvailable, imageSize, imagesAvailable } from './dockerTestSupport';
import { requirePart } from '../support/requirements';

const CASES: { image: string; version: string[] }[] = [
  { image: 'node:20', version: ['node', '--version'] },
  { image: 'node:20-bookworm', version: ['node', '--version'] },
  { image: 'python:3.11', version: ['python3', '--version'] },
  { image: 'python:3.11-bookworm', version: ['python3', '--version'] },
  { image: 'eclipse-temurin:17-jdk', version: ['java', '-version'] },
  { image: 'debian:bookworm', version: ['cat', '/etc/debian_version'] },
];

async function versionIn(image: string, argv: string[]): Promise<string> {
  const r = await runDocker(['run', '--rm', '--network', 'none', image, ...argv], { dockerPath: DOCKER, timeoutMs: 60_000 });
  assert.equal(r.code, 0, `${image} ${argv.join(' ')}: ${r.stderr}`);
  // `java -version` prints to stderr; its first line carries the version.
  return (r.stdout + r.stderr).trim().split('\n')[0];
}

for (const { image, version } of CASES) {
  test(`larger-base-than-needed: ${image} → its proposed variant exists, is smaller and runs the same version`, async (t) => {
    const [variant] = sameLibcVariants(image);
    assert.ok(variant, `no variant proposed for ${image}`);
    const present = (await engineAvailable()) && (await imagesAvailable([image, variant.ref]));
    if (!requirePart(t, `a Docker engine with ${image} and ${variant.ref}`, present, SETUP_HINT)) return;
    const [full, small] = [await imageSize(image), await imageSize(variant.ref)];
    assert.ok(small < full, `${variant.ref} (${small} B) is not smaller than ${image} (${full} B)`);
    assert.equal(await versionIn(variant.ref, version), await versionIn(image, version));
    t.diagnostic(`${image} ${(full / 1e6).toFixed(1)} MB → ${variant.ref} ${(small / 1e6).toFixed(1)} MB`);
  });
}
