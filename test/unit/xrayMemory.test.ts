// The X-ray streams: a 300 MB layer generated on the fly (never held by the test either) goes through the
// analyser while the process's peak RSS grows by far less than the layer. The throughput is printed for
// people, not asserted (CI machines differ); the bench (bench/xray.ts) compares it with `docker save`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { analyseImageArchive } from '../../server/src/xray/archive';
import { END_OF_ARCHIVE, headerBlocks, padding, tarArchive } from '../support/tarWriter';

const LAYER_FILE_BYTES = 300 * 1000 * 1000;
const CHUNK = 64 * 1024;

// Fresh 64 kB buffers, as a pipe gives, are garbage the moment they are read; collecting it now and then
// keeps the test's own garbage out of the figure, so what remains is what the analyser holds.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
/** Heap and buffers still alive right after a full collection: what the analyser (and the test) hold. */
let retainedPeak = 0;

/** A docker-archive whose one big layer holds a 300 MB file plus a few small ones, written chunk by chunk. */
async function* bigArchive(): AsyncGenerator<Buffer> {
  const small = Array.from({ length: 2000 }, (_, i) => ({ path: `usr/share/doc/pkg-${i}/copyright`, content: Buffer.alloc(700 + (i % 50), i % 256) }));
  const smallTar = tarArchive(small).subarray(0, -END_OF_ARCHIVE.length);
  const bigHeader = headerBlocks({ path: 'opt/big/blob.bin', size: LAYER_FILE_BYTES });
  const innerSize = smallTar.length + bigHeader.length + LAYER_FILE_BYTES + padding(LAYER_FILE_BYTES).length + END_OF_ARCHIVE.length;
  yield headerBlocks({ path: 'layer0/layer.tar', size: innerSize });
  yield smallTar;
  yield bigHeader;
  const chunk = Buffer.alloc(CHUNK);
  for (let sent = 0, n = 0; sent < LAYER_FILE_BYTES; n++) {
    const size = Math.min(CHUNK, LAYER_FILE_BYTES - sent);
    // A fresh buffer each time, as a pipe gives; content varies so the hash does real work.
    const piece = Buffer.allocUnsafe(size);
    chunk.fill(n & 0xff);
    chunk.copy(piece, 0, 0, size);
    yield piece;
    sent += size;
    if (n % 128 === 127) {
      collectGarbage();
      const m = process.memoryUsage();
      retainedPeak = Math.max(retainedPeak, m.heapUsed + m.arrayBuffers);
    }
  }
  yield padding(LAYER_FILE_BYTES);
  yield END_OF_ARCHIVE;
  yield padding(innerSize);
  const config = Buffer.from(JSON.stringify({ rootfs: { diff_ids: ['sha256:x'] }, history: [{ created_by: 'ADD big /opt/big' }] }));
  const configName = `${createHash('sha256').update(config).digest('hex')}.json`;
  yield tarArchive([
    { path: configName, content: config },
    { path: 'manifest.json', content: JSON.stringify([{ Config: configName, Layers: ['layer0/layer.tar'] }]) },
  ]);
}

test('xray memory: a 300 MB layer streams through with bounded RSS growth; throughput printed', async () => {
  collectGarbage();
  const before = process.resourceUsage().maxRSS * 1024;
  const retainedBefore = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const started = process.hrtime.bigint();
  const r = await analyseImageArchive(bigArchive(), {});
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const grown = process.resourceUsage().maxRSS * 1024 - before;
  const smallBytes = Array.from({ length: 2000 }, (_, i) => 700 + (i % 50)).reduce((a, b) => a + b, 0);
  assert.equal(r.totalBytes, LAYER_FILE_BYTES + smallBytes);
  assert.equal(r.layers[0].entries, 2001);
  process.stdout.write(
    `# xray memory: ${(r.totalBytes / 1e6).toFixed(0)} MB analysed in ${seconds.toFixed(2)} s ` +
      `(${(r.totalBytes / 1e6 / seconds).toFixed(0)} MB/s), peak RSS grew by ${(grown / 1e6).toFixed(1)} MB, ` +
      `live memory after collections by ${((retainedPeak - retainedBefore) / 1e6).toFixed(1)} MB\n`,
  );
  assert.ok(grown < 64 * 1e6, `peak RSS grew by ${(grown / 1e6).toFixed(1)} MB`);
  assert.ok(retainedPeak - retainedBefore < 32 * 1e6, `live memory grew by ${((retainedPeak - retainedBefore) / 1e6).toFixed(1)} MB`);
});
