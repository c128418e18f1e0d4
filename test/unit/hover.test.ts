// Hover rendering (pure): what the cursor is on, the size table with sources and ages, variants with
// savings, inlay labels, and stage hovers (base, whether it reaches the final image, who copies from it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel } from '../../server/src/analysis/model';
import { formatMegabytes } from '../../server/src/analysis/bytes';
import { formatAge, hoverTargetAt, inlayLabel, renderImageHover, renderStageHover, renderUnresolvedImageHover, type ImageSizeReport } from '../../server/src/analysis/hover';

const NOW = Date.parse('2026-01-10T12:00:00Z');
const FILE = 'ARG NODE=20\nFROM node:${NODE} AS deps\nRUN npm ci\nFROM deps AS build\nRUN npm run build\nFROM alpine AS unused\nFROM node:${NODE}-slim AS runtime\nCOPY --from=build /app/dist /app\n';

test('hover: sizes are decimal units with one decimal, as Docker Hub shows them', () => {
  assert.equal(formatMegabytes(48_123_456), '48.1 MB');
  assert.equal(formatMegabytes(1_234_567_890), '1,234.6 MB');
  assert.equal(formatMegabytes(100_000), '0.1 MB');
  assert.equal(formatMegabytes(3_345), '3.3 kB');
  assert.equal(formatMegabytes(0), '0.0 MB');
  assert.equal(formatAge(NOW - 30_000, NOW), 'just now');
  assert.equal(formatAge(NOW - 3 * 60_000, NOW), '3 min ago');
  assert.equal(formatAge(NOW - 5 * 86_400_000, NOW), '5 days ago');
});

test('hover: the cursor on a FROM image, a stage name, a --from reference, or nothing', () => {
  const model = buildModel(FILE);
  const image = hoverTargetAt(model, { line: 1, character: 7 });
  assert.ok(image?.kind === 'image');
  assert.equal(image.image, 'node:20', 'ARG default resolved');
  const copied = hoverTargetAt(buildModel('FROM --platform=linux/arm64 alpine\nCOPY --from=nginx:1.27-alpine /etc/nginx /x\n'), { line: 1, character: 15 });
  assert.ok(copied?.kind === 'image', 'an image named by COPY --from is an image hover');
  assert.equal(copied.image, 'nginx:1.27-alpine');
  assert.equal(copied.platform, 'linux/arm64');
  assert.equal(hoverTargetAt(model, { line: 1, character: 21 })?.kind, 'stage');
  const ref = hoverTargetAt(model, { line: 7, character: 14 });
  assert.equal(ref?.kind, 'stage');
  assert.equal(ref?.stage.name, 'build');
  // FROM deps names a stage, so it is a stage hover, not an image lookup.
  assert.equal(hoverTargetAt(model, { line: 3, character: 6 })?.kind, 'stage');
  assert.equal(hoverTargetAt(model, { line: 2, character: 5 }), undefined);
});

const REPORT: ImageSizeReport = {
  reference: 'node:20', platform: 'linux/amd64', online: true,
  registry: { compressedBytes: 392_400_000, layers: 8, digest: 'sha256:abcdef0123456789abcdef', platformDigest: 'sha256:1', createdAt: '2025-12-30T01:02:03Z', pushedAt: '2026-01-02T03:04:05Z', fetchedAt: NOW - 180_000 },
  local: { uncompressedBytes: 1_100_000_000, layers: 8, inspectedAt: NOW - 1000 },
};

const SNAPSHOT = { compressedBytes: 408_499_334, layers: 8, asOf: '2026-09-19', newestLayerAt: '2026-09-19', date: '2026-12-03', digest: 'sha256:0123456789abcdef0123',
  source: 'docker-library/repo-info/repos/node/remote/22.md', sourceCommit: 'a'.repeat(40), imagePlatform: 'linux/amd64' };

/** The table rows of a markdown text, cells trimmed. */
function rows(text: string): string[][] {
  return text.split('\n').filter((l) => l.startsWith('|')).map((l) => l.slice(1, -1).split(' | ').map((c) => c.trim()));
}

test('hover: image and platform head a table of compressed size, local size, layers and build age; provenance under it', () => {
  const text = renderImageHover(REPORT, [], NOW);
  assert.deepEqual(rows(text).slice(0, 6), [
    ['**node:20**', 'linux/amd64'],
    ['---|---'],
    ['Compressed download', '**392.4 MB** (392,400,000 bytes)'],
    ['Local, uncompressed', '1,100.0 MB'],
    ['Layers', '8'],
    ['Built', `2025-12-30, ${formatAge(Date.parse('2025-12-30T01:02:03Z'), NOW)}`],
  ]);
  assert.match(text, /_Figures: registry, read 3 min ago · digest `sha256:abcdef012345` · pushed 2026-01-02 · local size from Docker, just now_/);
  // Without local Docker the row is left out rather than shown empty.
  assert.doesNotMatch(renderImageHover({ ...REPORT, local: undefined }, [], NOW), /Local/);
});

test('hover: snapshot figures name the snapshot date, the repo-info file at its commit, and the age of the image', () => {
  const text = renderImageHover({ reference: 'node:22', platform: 'linux/amd64', online: true, snapshot: SNAPSHOT }, [], NOW);
  assert.deepEqual(rows(text).slice(2), [['Compressed download', '**408.5 MB** (408,499,334 bytes)'], ['Layers', '8'], ['Built', `2026-09-19, ${formatAge(Date.parse('2026-09-19'), NOW)}`]]);
  assert.match(text, /_Figures: bundled snapshot of 2026-12-03 \(\[repo-info\]\(https:\/\/github\.com\/docker-library\/repo-info\/blob\/a{40}\/repos\/node\/remote\/22\.md\)\) · digest `sha256:0123456789ab`_/);
  const mirrored = renderImageHover({ reference: 'mirror.gcr.io/library/node:22', platform: 'linux/amd64', online: true, snapshot: { ...SNAPSHOT, via: 'mirror.gcr.io mirrors Docker Hub' } }, [], NOW);
  assert.match(mirrored, /· mirror\.gcr\.io mirrors Docker Hub ·/);
  const perArch = renderImageHover({ reference: 'arm64v8/node:22', platform: 'linux/amd64', online: true, snapshot: { ...SNAPSHOT, imagePlatform: 'linux/arm64' } }, [], NOW);
  assert.match(perArch, /holds the linux\/arm64 build; the figures are for that platform, not linux\/amd64/);
  assert.doesNotMatch(renderImageHover({ reference: 'node:22', platform: 'linux/arm64/v8', online: true, snapshot: { ...SNAPSHOT, imagePlatform: 'linux/arm64' } }, [], NOW), /figures are for that platform/);
});

test('hover: smaller variants with size, saving and percent; figures from another source say so; unknown variants are left out', () => {
  const text = renderImageHover(REPORT, [
    { reference: 'node:20-slim', label: 'slim', report: { ...REPORT, reference: 'node:20-slim', local: undefined, registry: { ...REPORT.registry!, compressedBytes: 70_200_000 } } },
    { reference: 'node:20-alpine', label: 'alpine', note: 'Alpine: musl libc, apk', report: { reference: 'node:20-alpine', platform: 'linux/amd64', online: true, snapshot: { ...SNAPSHOT, compressedBytes: 45_000_000 } } },
    { reference: 'node:20-bookworm-slim', label: 'slim', report: { reference: 'x', platform: 'linux/amd64', online: true, pending: true } },
  ], NOW);
  const table = rows(text).slice(6);
  assert.deepEqual(table[0], ['Smaller variant (same version)', 'Compressed', 'Saving', 'Note']);
  assert.deepEqual(table[2], ['`node:20-slim`', '70.2 MB', '322.2 MB (82 %)', '']);
  assert.deepEqual(table[3], ['`node:20-alpine`', '45.0 MB', '347.4 MB (89 %)', 'Alpine: musl libc, apk; snapshot of 2026-12-03']);
  // Without notes there is no empty Note column.
  const plain = renderImageHover(REPORT, [{ reference: 'node:20-slim', label: 'slim', report: { ...REPORT, registry: { ...REPORT.registry!, compressedBytes: 70_200_000 } } }], NOW);
  assert.deepEqual(rows(plain).slice(6), [['Smaller variant (same version)', 'Compressed', 'Saving'], ['---|---:|---:'], ['`node:20-slim`', '70.2 MB', '322.2 MB (82 %)']]);
  assert.doesNotMatch(text, /bookworm-slim/);
});

test('hover: pending, failed, offline and switched-off lookups say so in words, with the snapshot date, never an error code', () => {
  const pending = renderImageHover({ reference: 'node:20', platform: 'linux/arm64', online: true, pending: true }, [], NOW);
  assert.match(pending, /Looking up the size/);
  const failed = renderImageHover({ reference: 'ghcr.io/x/y:1', platform: 'linux/amd64', online: true, error: 'ghcr.io needs credentials for x/y (docker login ghcr.io)' }, [], NOW);
  assert.match(failed, /No size known/);
  assert.match(failed, /_Registry: ghcr\.io needs credentials for x\/y \(docker login ghcr\.io\)\._/);
  const unreachable = { online: true, error: 'cannot reach docker.io: its name does not resolve', unreachable: true };
  const offline = renderImageHover({ reference: 'node:22', platform: 'linux/amd64', ...unreachable, snapshot: SNAPSHOT }, [], NOW);
  assert.match(offline, /_Offline: docker\.io could not be reached \(its name does not resolve\), so this shows the bundled snapshot of 2026-12-03\._/);
  assert.doesNotMatch(offline, /E[A-Z]{5,}/);
  assert.match(renderImageHover({ reference: 'ghcr.io/x/y:1', platform: 'linux/amd64', ...unreachable }, [], NOW), /_Offline: docker\.io could not be reached \(its name does not resolve\), and the bundled snapshot has no figure for this image\._/);
  const stale = renderImageHover({ ...REPORT, ...unreachable, registry: { ...REPORT.registry!, stale: true } }, [], NOW);
  assert.match(stale, /_Offline: docker\.io could not be reached \(its name does not resolve\), so these are the figures it gave earlier\._/);
  const off = renderImageHover({ reference: 'node:22', platform: 'linux/amd64', online: false, snapshot: SNAPSHOT }, [], NOW);
  assert.match(off, /_Online lookups are off \(`multistage\.imageSizes\.online`\): showing the bundled snapshot of 2026-12-03\._/);
});

test('hover: inlay label is the compressed size plus the smallest smaller variant, nothing until a size is known', () => {
  assert.equal(inlayLabel(undefined, []), undefined);
  assert.equal(inlayLabel({ reference: 'a', platform: 'p', online: true, pending: true }, []), undefined);
  assert.equal(inlayLabel(REPORT, []), '392.4 MB');
  const slim = { reference: 'node:20-slim', label: 'slim', report: { ...REPORT, registry: { ...REPORT.registry!, compressedBytes: 70_200_000 } } };
  const bigger = { reference: 'x', label: 'odd', report: { ...REPORT, registry: { ...REPORT.registry!, compressedBytes: 500_000_000 } } };
  assert.equal(inlayLabel(REPORT, [bigger, slim]), '392.4 MB · slim 70.2 MB');
});

test('hover: stage hover tells base, whether it reaches the final image, and which stages use it', () => {
  const model = buildModel(FILE);
  const deps = renderStageHover(model, model.stages[0]);
  assert.match(deps, /\*\*Stage `deps`\*\* · stage 1 of 4, line 2/);
  assert.match(deps, /Base: `node:20`$/m);
  assert.match(renderStageHover(model, model.stages[0], REPORT), /Base: `node:20`, 392\.4 MB compressed \(registry\)/);
  assert.match(deps, /stage `build`: FROM \(line 4\)/);
  const build = renderStageHover(model, model.stages[1]);
  assert.match(build, /Base: stage `deps`/);
  assert.match(build, /stage `runtime`: COPY --from \(line 8\)/);
  assert.match(build, /Reaches the final image `runtime`: yes/);
  assert.match(renderStageHover(buildModel('FROM alpine\nFROM scratch\nCOPY --from=0 / /\n'), buildModel('FROM alpine\nFROM scratch\nCOPY --from=0 / /\n').stages[0]), /\*\*Stage `0` \(unnamed\)\*\*[\s\S]*stage `1` \(unnamed\): COPY --from \(line 3\)/);
  const unused = renderStageHover(model, model.stages[2]);
  assert.match(unused, /Reaches the final image: no/);
  assert.match(unused, /No later stage uses it/);
  assert.match(renderStageHover(model, model.stages[3]), /This is the stage being built \(the final image\)/);
});

test('hover: rounded page figures from the snapshot are marked ≈ and carry no exact byte count', () => {
  const text = renderImageHover({ reference: 'eclipse-temurin:18-jre-alpine', platform: 'linux/amd64', online: false,
    snapshot: { compressedBytes: 58_000_000, asOf: '2022-09-09', date: '2026-12-03', source: 'https://example.test/issue/39', approximate: true } }, [], NOW);
  assert.deepEqual(rows(text)[2], ['Compressed download', '**≈58.0 MB**']);
  assert.doesNotMatch(text, /bytes/);
  assert.match(text, /bundled snapshot of 2026-12-03, rounded figure from a page as of 2022-09-09 \(\[source\]\(https:\/\/example\.test\/issue\/39\)\)/);
});

test('hover: a single-platform image for another platform says whose size it shows', () => {
  const text = renderImageHover({ ...REPORT, local: undefined, registry: { ...REPORT.registry!, imagePlatform: 'linux/arm64' } }, [], NOW);
  assert.match(text, /single-platform image for linux\/arm64; the figures are for that platform, not linux\/amd64/);
  assert.doesNotMatch(renderImageHover({ ...REPORT, registry: { ...REPORT.registry!, imagePlatform: 'linux/amd64' } }, [], NOW), /single-platform/);
});

test('hover: an image chosen by a build argument without a default says so instead of showing nothing', () => {
  const model = buildModel('ARG BASE\nFROM ${BASE}\n');
  const target = hoverTargetAt(model, { line: 1, character: 7 });
  assert.ok(target?.kind === 'image' && target.unresolved);
  assert.match(renderUnresolvedImageHover(target.image), /decided at build time/);
});
