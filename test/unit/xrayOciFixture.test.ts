// The OCI image layout as an engine writes it (Podman's oci-archive: index.json → manifest → config, gzip
// layer blobs), read from the committed fixture. Expected numbers come from the sizes of the context files
// the image was built from (test/fixtures/xray/README.md says how the fixture was made).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { analyseImageArchive } from '../../server/src/xray/archive';

const DIR = join(__dirname, '..', 'fixtures', 'xray', 'oci-podman');
const size = (name: string) => statSync(join(DIR, 'context', name)).size;

test('xray: the engine-made OCI archive fixture gives the bytes of its context files per layer and line', async () => {
  const notes = size('notes.txt');
  const v1 = size('app-v1.conf');
  const v2 = size('app-v2.conf');
  const lists = size('lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages');
  const dup = size('dup.txt');
  const analysis = await analyseImageArchive(createReadStream(join(DIR, 'image.oci.tar')), {
    dockerfileText: readFileSync(join(DIR, 'Dockerfile'), 'utf8'),
    minFindingBytes: 0,
  });
  assert.equal(analysis.layout, 'oci');
  assert.match(analysis.imageId, /^sha256:[0-9a-f]{64}$/);
  assert.deepEqual(
    analysis.layers.map((l) => [l.line, l.instruction, l.addedBytes, l.wastedBytes, l.hidesBytes, l.whiteouts, l.fromBaseImage]),
    [
      [2, 'COPY', notes, notes, 0, 0, false],
      [3, 'RUN', 0, 0, notes, 1, false],
      [4, 'COPY', v1, v1, 0, 0, false],
      [5, 'COPY', v2, 0, v1, 0, false],
      [6, 'COPY', lists, 0, 0, 0, false],
      [7, 'COPY', dup, 0, 0, 0, false],
      [8, 'COPY', dup, 0, 0, 0, false],
    ],
  );
  assert.ok(analysis.layers.every((l) => /^sha256:[0-9a-f]{64}$/.test(l.diffId ?? '')), 'diff ids from the config');
  const total = notes + v1 + v2 + lists + 2 * dup;
  assert.equal(analysis.totalBytes, total);
  assert.equal(analysis.wastedBytes, notes + v1);
  assert.equal(analysis.finalBytes, total - notes - v1);
  assert.equal(analysis.diveWastedBytes, notes + v1 + v2);
  assert.equal(analysis.efficiency, (total - notes - Math.max(v1, v2)) / total);

  const byKind = (kind: string) => analysis.findings.filter((f) => f.kind === kind);
  assert.deepEqual(byKind('deleted').map((f) => [f.layerIndex, f.line, f.bytes]), [[0, 2, notes]]);
  assert.deepEqual(byKind('overwritten').map((f) => [f.layerIndex, f.line, f.bytes]), [[2, 4, v1]]);
  assert.deepEqual(byKind('duplicate').map((f) => [f.layerIndex, f.line, f.bytes]), [[6, 8, dup]]);
  const apt = byKind('known-waste');
  assert.deepEqual(apt.map((f) => f.kind === 'known-waste' && [f.waste, f.bytes, f.files, f.layerIndex, f.line]), [['apt-lists', lists, 1, 4, 6]]);
});
