// The image X-ray's analysis on exports built in the test: every expected number is computed from the
// bytes the test wrote into the layers, for both layouts (classic docker-archive and OCI, gzip or not).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseImageArchive, type ArchiveAnalysis } from '../../server/src/xray/archive';
import { readArchiveContents } from '../../server/src/xray/archiveReader';
import { chunked, dockerArchive, ociArchive, type TestImage } from '../support/imageArchive';
import type { TarItem } from '../support/tarWriter';

/** Distinct content per seed, so only the files the test means to duplicate are duplicates. */
function bytes(n: number, seed: string): Buffer {
  const b = Buffer.alloc(n, seed);
  b.write(`${seed}:${n}:`, 0);
  return b;
}

const shBinary = bytes(1000, 'sh');
const osRelease = bytes(50, 'os');
const aptMain = bytes(30_000, 'apt-main');
const aptUpdates = bytes(20_000, 'apt-upd');
const bigTmp = bytes(40_000, 'big');
const dataV1 = bytes(25_000, 'data1');
const dataV2 = bytes(26_000, 'data2');
const cacheA = bytes(12_000, 'cacheA');
const cacheB = bytes(13_000, 'cacheB');
const pipWheel = bytes(11_000, 'pip');
const twin = bytes(15_000, 'twin');
const fresh = bytes(100, 'fresh');
const longName = `app/${'deeply-nested-folder/'.repeat(6)}file-with-a-long-name.txt`;
const longContent = bytes(333, 'long');

const dockerfile = [
  'FROM debian:12-slim',
  'RUN apt-get update && apt-get install -y curl && pip install requests',
  'RUN rm /tmp/big.bin',
  'COPY . /app',
  'RUN rm -rf /app/cache && mkdir /app/cache && touch /app/cache/new',
  'CMD ["sh"]',
].join('\n');

export const wasteImage: TestImage = {
  layers: [
    [
      { path: 'bin', type: 'dir' },
      { path: 'bin/sh', content: shBinary },
      { path: 'etc', type: 'dir' },
      { path: 'etc/os-release', content: osRelease },
      { path: 'usr/bin/bash', type: 'symlink', linkPath: '/bin/sh' },
    ],
    [
      { path: 'var/lib/apt/lists', type: 'dir' },
      { path: 'var/lib/apt/lists/deb.debian.org_main_Packages', content: aptMain },
      { path: 'var/lib/apt/lists/deb.debian.org_updates_Packages', content: aptUpdates },
      { path: 'root/.cache/pip/http/ab/wheel', content: pipWheel },
      { path: 'tmp/big.bin', content: bigTmp },
      { path: 'app/data.bin', content: dataV1 },
      { path: 'app/cache', type: 'dir' },
      { path: 'app/cache/a', content: cacheA },
      { path: 'app/cache/b', content: cacheB },
    ],
    [{ path: 'tmp', type: 'dir' }, { path: 'tmp/.wh.big.bin' }],
    [
      { path: 'app', type: 'dir' },
      { path: 'app/data.bin', content: dataV2 },
      { path: 'app/one.bin', content: twin },
      { path: 'app/two.bin', content: twin },
      { path: 'app/hard.bin', type: 'hardlink', linkPath: 'app/one.bin' },
      { path: longName, content: longContent },
    ],
    [
      { path: 'app/cache', type: 'dir' },
      { path: 'app/cache/.wh..wh..opq' },
      { path: 'app/cache/new', content: fresh },
    ],
  ],
  history: [
    { createdBy: '/bin/sh -c #(nop) ADD file:0123abcd in / ' },
    { createdBy: '/bin/sh -c #(nop)  CMD ["bash"]', emptyLayer: true },
    { createdBy: 'RUN /bin/sh -c apt-get update && apt-get install -y curl && pip install requests # buildkit' },
    { createdBy: 'RUN /bin/sh -c rm /tmp/big.bin # buildkit' },
    { createdBy: 'COPY . /app # buildkit' },
    { createdBy: 'RUN /bin/sh -c rm -rf /app/cache && mkdir /app/cache && touch /app/cache/new # buildkit' },
    { createdBy: 'CMD ["sh"]', emptyLayer: true },
  ],
};

const len = (...parts: Buffer[]): number => parts.reduce((a, b) => a + b.length, 0);
const symlinkText = Buffer.from('/bin/sh');
const layerAdded = [
  len(shBinary, osRelease, symlinkText),
  len(aptMain, aptUpdates, pipWheel, bigTmp, dataV1, cacheA, cacheB),
  0,
  len(dataV2, twin, twin, longContent),
  len(fresh),
];
// Layer 1's big.bin is deleted by layer 2, its data.bin overwritten by layer 3, its cache folder emptied by layer 4's opaque marker.
const layerWasted = [0, len(bigTmp, dataV1, cacheA, cacheB), 0, 0, 0];
const layerHides = [0, 0, len(bigTmp), len(dataV1), len(cacheA, cacheB)];

function checkWasteImage(r: ArchiveAnalysis): void {
  assert.deepEqual(r.layers.map((l) => l.addedBytes), layerAdded);
  assert.deepEqual(r.layers.map((l) => l.wastedBytes), layerWasted);
  assert.deepEqual(r.layers.map((l) => l.hidesBytes), layerHides);
  assert.deepEqual(r.layers.map((l) => l.whiteouts), [0, 0, 1, 0, 1]);
  assert.deepEqual(r.layers.map((l) => l.entries), wasteImage.layers.map((items) => items.length));
  const total = layerAdded.reduce((a, b) => a + b, 0);
  const wasted = layerWasted.reduce((a, b) => a + b, 0);
  assert.equal(r.totalBytes, total);
  assert.equal(r.wastedBytes, wasted);
  assert.equal(r.finalBytes, total - wasted);
  // Layers 1–4 are the Dockerfile's (line 1 is FROM): their waste over their size.
  assert.equal(r.userWastedRatio, wasted / (total - layerAdded[0]));
  assert.deepEqual(r.layers.map((l) => l.line), [1, 2, 3, 4, 5]);
  assert.deepEqual(r.layers.map((l) => l.fromBaseImage), [true, false, false, false, false]);
  assert.deepEqual(
    r.lines.map((l) => [l.line, l.instruction, l.addedBytes, l.wastedBytes, l.layers]),
    [1, 2, 3, 4, 5].map((line, i) => [line, i === 0 ? 'FROM' : i === 3 ? 'COPY' : 'RUN', layerAdded[i], layerWasted[i], [i]]),
  );

  const byKind = (kind: string) => r.findings.filter((f) => f.kind === kind);
  const deleted = byKind('deleted');
  assert.deepEqual(
    deleted.map((f) => f.kind !== 'known-waste' && f.kind !== 'duplicate' && [f.layerIndex, f.byLayerIndex, f.bytes, f.files, f.line, f.byLine, f.ruleId]),
    [
      [1, 2, len(bigTmp), 1, 2, 3, 'cleanup-in-later-layer'],
      [1, 4, len(cacheA, cacheB), 2, 2, 5, 'cleanup-in-later-layer'],
    ],
  );
  const overwritten = byKind('overwritten');
  assert.equal(overwritten.length, 1);
  assert.ok(overwritten[0].kind === 'overwritten' && overwritten[0].bytes === dataV1.length && overwritten[0].byLine === 4);
  assert.deepEqual(overwritten[0].kind === 'overwritten' && overwritten[0].examples, ['/app/data.bin']);
  assert.match(overwritten[0].message, /^25\.0 kB in 1 file from this layer is overwritten by line 4 \(COPY\)/);

  const duplicate = byKind('duplicate');
  assert.equal(duplicate.length, 1, 'one copy of twin; the hard link is not a copy');
  assert.ok(duplicate[0].kind === 'duplicate');
  assert.deepEqual([duplicate[0].layerIndex, duplicate[0].bytes, duplicate[0].files, duplicate[0].examples], [3, twin.length, 1, ['/app/two.bin = /app/one.bin']]);

  const waste = byKind('known-waste').map((f) => f.kind === 'known-waste' && [f.waste, f.path, f.bytes, f.files, f.layerIndex, f.line, f.ruleId]);
  assert.deepEqual(waste, [
    ['apt-lists', '/var/lib/apt/lists', len(aptMain, aptUpdates), 2, 1, 2, 'apt-lists-not-removed'],
    ['pip-cache', '/root/.cache/pip', len(pipWheel), 1, 1, 2, 'pip-cache-kept'],
  ]);
  assert.equal(byKind('known-waste')[0].message, '50.0 kB of apt lists stay in this layer');
}

test('xray: docker-archive with manifest.json last — wasted, hidden, duplicate and known-waste bytes from the bytes written', async () => {
  const built = dockerArchive(wasteImage);
  const r = await analyseImageArchive(chunked(built.archive), { dockerfileText: dockerfile });
  assert.equal(r.layout, 'docker-archive');
  assert.equal(r.imageId, built.imageId);
  assert.deepEqual(r.layers.map((l) => l.diffId), built.diffIds);
  checkWasteImage(r);
});

test('xray: the same image as an OCI layout, gzip-compressed layers, nested index and attestation', async () => {
  const built = ociArchive(wasteImage, { gzip: true, nestedIndex: true, attestation: true });
  const r = await analyseImageArchive(chunked(built.archive, 65_536), { dockerfileText: dockerfile });
  assert.equal(r.layout, 'oci');
  assert.equal(r.imageId, built.imageId);
  checkWasteImage(r);
});

test('xray: OCI layout with uncompressed and compressed layers mixed, and with manifest.json beside the index', async () => {
  for (const options of [{ gzip: [false, true, false, true, false] }, { gzip: true, dockerManifest: true }]) {
    const built = ociArchive(wasteImage, options);
    const r = await analyseImageArchive(chunked(built.archive, 1000), { dockerfileText: dockerfile });
    assert.equal(r.layout, 'oci');
    checkWasteImage(r);
  }
});

test('xray: long names written as GNU records and manifest.json first read the same', async () => {
  const built = dockerArchive(wasteImage, { longNames: 'gnu', manifestFirst: true });
  checkWasteImage(await analyseImageArchive(chunked(built.archive, 777), { dockerfileText: dockerfile }));
});

test('xray: a node stream input (process stdout shape) works as well as an async iterable', async () => {
  const { Readable } = await import('node:stream');
  const built = dockerArchive(wasteImage);
  checkWasteImage(await analyseImageArchive(Readable.from(chunked(built.archive, 65_536)), { dockerfileText: dockerfile }));
});

test('xray: without a Dockerfile the first layer counts as the base (as dive does) and no line is given', async () => {
  const r = await analyseImageArchive(chunked(dockerArchive(wasteImage).archive), {});
  assert.deepEqual(r.layers.map((l) => l.fromBaseImage), [true, false, false, false, false]);
  assert.deepEqual(r.layers.map((l) => l.line), [undefined, undefined, undefined, undefined, undefined]);
  assert.deepEqual(r.lines, []);
  assert.equal(r.layers[1].createdBy, wasteImage.history[2].createdBy);
});

test('xray: minFindingBytes drops small findings but never changes the per-layer numbers', async () => {
  const r = await analyseImageArchive(chunked(dockerArchive(wasteImage).archive), { dockerfileText: dockerfile, minFindingBytes: 30_000 });
  assert.deepEqual(r.findings.map((f) => f.bytes).every((b) => b >= 30_000), true);
  assert.deepEqual(r.findings.map((f) => f.kind).sort(), ['deleted', 'known-waste']);
  assert.deepEqual(r.layers.map((l) => l.wastedBytes), layerWasted);
});

test('xray: a layer repeated and linked by docker save counts in both places', async () => {
  const same: TarItem[] = [{ path: 'opt', type: 'dir' }, { path: 'opt/tool', content: bytes(5000, 'tool') }];
  const image: TestImage = {
    layers: [same, same],
    history: [{ createdBy: 'ADD tool /opt/tool' }, { createdBy: 'ADD tool /opt/tool' }],
  };
  const r = await analyseImageArchive(chunked(dockerArchive(image, { linkRepeatedLayers: true }).archive), {});
  assert.deepEqual(r.layers.map((l) => [l.addedBytes, l.wastedBytes, l.hidesBytes]), [[5000, 5000, 0], [5000, 0, 5000]]);
});

test('xray: the input is read to its end, also past the end-of-archive blocks (an engine must never see a broken pipe)', async () => {
  const built = dockerArchive(wasteImage);
  let finished = false;
  async function* withTrailer(): AsyncGenerator<Buffer> {
    yield* chunked(built.archive, 8192);
    yield Buffer.alloc(10_240);
    finished = true;
  }
  checkWasteImage(await analyseImageArchive(withTrailer(), { dockerfileText: dockerfile }));
  assert.equal(finished, true);
});

test('xray: the layers are analysed once the end-of-archive blocks are in, but the result waits for the input to end', async () => {
  const built = dockerArchive(wasteImage);
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  let finished = false;
  // An engine that holds its output open after the archive (docker save does, for a second or more).
  async function* slowToClose(): AsyncGenerator<Buffer> {
    yield* chunked(built.archive, 8192);
    await held;
    yield Buffer.alloc(1024);
    finished = true;
  }
  const read = await readArchiveContents(slowToClose());
  assert.equal(finished, false, 'the contents are handed over before the input is over');
  assert.ok(read.contents.documents.has('manifest.json'));
  let settled = false;
  const analysis = analyseImageArchive(slowToClose(), { dockerfileText: dockerfile }).finally(() => (settled = true));
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(settled, false, 'the analysis waits for the input to end');
  release();
  checkWasteImage(await analysis);
  await read.rest;
  assert.equal(finished, true);
});

test('xray: an input that fails after the end-of-archive blocks fails the analysis', async () => {
  const built = dockerArchive(wasteImage);
  async function* failsLate(): AsyncGenerator<Buffer> {
    yield* chunked(built.archive, 8192);
    throw new Error('the engine went away');
  }
  await assert.rejects(analyseImageArchive(failsLate(), { dockerfileText: dockerfile }), /the engine went away/);
});

test('xray: a large gzip layer streams through zlib without piling up listeners or warnings', async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error): void => void warnings.push(`${w.name}: ${w.message}`);
  process.on('warning', onWarning);
  try {
    // Incompressible, so the gzip blob is as large as the layer and zlib pushes back on most writes.
    const big = (await import('node:crypto')).randomBytes(3_000_000);
    const image: TestImage = { layers: [[{ path: 'opt/data.bin', content: big }]], history: [{ createdBy: 'ADD data.bin /opt/' }] };
    const r = await analyseImageArchive(chunked(ociArchive(image, { gzip: true }).archive, 65_536), {});
    assert.equal(r.totalBytes, big.length);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(warnings, []);
  } finally {
    process.off('warning', onWarning);
  }
});

test('xray: a gzip-compressed save (docker save | gzip), an image without layers, and history shorter than the layers', async () => {
  const { gzipSync } = await import('node:zlib');
  checkWasteImage(await analyseImageArchive(chunked(gzipSync(dockerArchive(wasteImage).archive)), { dockerfileText: dockerfile }));

  const empty = await analyseImageArchive(chunked(dockerArchive({ layers: [], history: [{ createdBy: 'CMD ["x"]', emptyLayer: true }] }).archive), {});
  assert.deepEqual([empty.totalBytes, empty.wastedBytes, empty.efficiency, empty.userWastedRatio, empty.layers, empty.lines, empty.findings], [0, 0, 1, 0, [], [], []]);

  // Engines that squash or import images may record fewer history entries than layers: the newest pair up.
  const short = await analyseImageArchive(chunked(dockerArchive({ layers: wasteImage.layers, history: wasteImage.history.slice(4) }).archive), {});
  assert.deepEqual(short.layers.map((l) => l.createdBy), ['', '', '', wasteImage.history[4].createdBy, wasteImage.history[5].createdBy]);
  assert.deepEqual(short.layers.map((l) => l.wastedBytes), layerWasted);
});
