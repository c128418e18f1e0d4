// dive's efficiency and wasted bytes, worked out by hand the way dive's filetree/efficiency.go computes them,
// next to the X-ray's own wasted/hidden bytes for the same layers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diveEfficiency } from '../../server/src/xray/diveEfficiency';
import { stackLayers } from '../../server/src/xray/layerStack';
import type { LayerEntry, LayerTable } from '../../server/src/xray/layerTable';
import { analyseImageArchive } from '../../server/src/xray/archive';
import { chunked, dockerArchive } from '../support/imageArchive';

function table(entries: LayerEntry[]): LayerTable {
  return { entries, addedBytes: entries.reduce((a, e) => a + e.bytes, 0), whiteouts: entries.filter((e) => e.kind === 'whiteout' || e.kind === 'opaque').length, manifests: new Map() };
}
const dir = (path: string): LayerEntry => ({ path, kind: 'directory', bytes: 0 });
const file = (path: string, bytes: number): LayerEntry => ({ path, kind: 'file', bytes });
const whiteout = (path: string): LayerEntry => ({ path, kind: 'whiteout', bytes: 0 });

// L0: /a/ (folder) with /a/x 100 and /a/y 50, /b 30, an empty folder /d/
// L1: /a/ again with /a/x 120 (rewritten), a whiteout of /b, /c/ with /c/z 10, /d/ again
// L2: a whiteout of the folder /a, /c/z 10 again (its folder only implied)
//
// dive visits each layer's leaves (folders with children are not leaves):
//   L0: /a/x 100, /a/y 50, /b 30, /d 0
//   L1: /a/x 120; /b is a whiteout of a file in the stack below, which dive sizes 0; /c/z 10; /d 0
//   L2: /a is a whiteout of a folder: its subtree in the stack of L0+L1 is /a 0 + /a/x 120 + /a/y 50 = 170;
//       /c/z 10
// Per path (cumulative, smallest, times seen):
//   /a/x 220, 100, 2   /a/y 50, 50, 1   /b 30, 0, 2   /d 0, 0, 2   /c/z 20, 10, 2   /a 170, 170, 1
// Σ smallest = 100 + 50 + 0 + 0 + 10 + 170 = 330; Σ cumulative = 220 + 50 + 30 + 0 + 20 + 170 = 490
// efficiency = 330 / 490; dive's wasted bytes = paths seen twice or more = 220 + 30 + 0 + 20 = 270.
const layers = [
  table([dir('/a'), file('/a/x', 100), file('/a/y', 50), file('/b', 30), dir('/d')]),
  table([dir('/a'), file('/a/x', 120), whiteout('/b'), dir('/c'), file('/c/z', 10), dir('/d')]),
  table([whiteout('/a'), file('/c/z', 10)]),
];

test('dive efficiency: the worked example (rewritten file, deleted file, deleted folder, repeated file)', () => {
  const dive = diveEfficiency(layers);
  assert.equal(dive.efficiency, 330 / 490);
  assert.equal(dive.wastedBytes, 270);
  assert.deepEqual(
    dive.inefficientPaths.map((p) => [p.path, p.cumulativeBytes, p.layers]),
    [['/a/x', 220, 2], ['/b', 30, 2], ['/c/z', 20, 2], ['/d', 0, 2]],
  );
});

test('dive efficiency: a folder whiteout counts 0 when the layer above only implied the folder (dive stacks implied parents as non-folders)', () => {
  // Same as above, but L1 writes /a/x without an /a/ entry: dive's stack then holds /a with empty info,
  // so the whiteout of /a in L2 sizes 0: Σ smallest 160, Σ cumulative 320, wasted still 270.
  const implied = [layers[0], table([file('/a/x', 120), whiteout('/b'), dir('/c'), file('/c/z', 10), dir('/d')]), layers[2]];
  const dive = diveEfficiency(implied);
  assert.equal(dive.efficiency, 160 / 320);
  assert.equal(dive.wastedBytes, 270);
});

test('dive efficiency: opaque markers are ignored, empty images score 1, one layer scores 1', () => {
  assert.equal(diveEfficiency([]).efficiency, 1);
  assert.deepEqual(diveEfficiency([layers[0]]), { efficiency: 1, wastedBytes: 0, inefficientPaths: [] });
  const opaque = diveEfficiency([layers[0], table([dir('/a'), { path: '/a', kind: 'opaque', bytes: 0 }, file('/a/new', 5)])]);
  // /a/x and /a/y are hidden for real, but dive does not see the opaque marker: each path appears once.
  assert.equal(opaque.wastedBytes, 0);
  assert.equal(opaque.efficiency, 1);
});

test('x-ray waste for the worked example: what each layer loses and hides', () => {
  const stack = stackLayers(layers);
  // L0 loses /a/x 100 (rewritten by L1), /b 30 (deleted by L1), /a/y 50 (deleted with /a by L2);
  // L1 loses /a/x 120 (deleted with /a by L2) and /c/z 10 (rewritten by L2).
  assert.deepEqual(stack.wasted, [180, 130, 0]);
  assert.deepEqual(stack.hides, [0, 130, 180]);
  assert.equal(stack.finalBytes, 10);
  assert.deepEqual(
    stack.hidden.map((g) => [g.kind, g.layer, g.byLayer, g.bytes, g.files, g.examples.map((e) => e.path)]),
    [
      ['deleted', 1, 2, 120, 1, ['/a/x']],
      ['overwritten', 0, 1, 100, 1, ['/a/x']],
      ['deleted', 0, 2, 50, 1, ['/a/y']],
      ['deleted', 0, 1, 30, 1, ['/b']],
      ['overwritten', 1, 2, 10, 1, ['/c/z']],
    ],
  );
});

test('dive efficiency through a real archive: the same figures from tar bytes', async () => {
  const content = (n: number, c: string) => Buffer.alloc(n, c);
  const built = dockerArchive({
    layers: [
      [{ path: 'a', type: 'dir' }, { path: 'a/x', content: content(100, 'x') }, { path: 'a/y', content: content(50, 'y') }, { path: 'b', content: content(30, 'b') }, { path: 'd', type: 'dir' }],
      [{ path: 'a', type: 'dir' }, { path: 'a/x', content: content(120, 'X') }, { path: '.wh.b' }, { path: 'c', type: 'dir' }, { path: 'c/z', content: content(10, 'z') }, { path: 'd', type: 'dir' }],
      [{ path: '.wh.a' }, { path: 'c/z', content: content(10, 'z') }],
    ],
    history: [{ createdBy: 'ADD a /' }, { createdBy: 'RUN one' }, { createdBy: 'RUN two' }],
  });
  const r = await analyseImageArchive(chunked(built.archive), {});
  assert.equal(r.efficiency, 330 / 490);
  assert.equal(r.diveWastedBytes, 270);
  assert.deepEqual(r.layers.map((l) => l.wastedBytes), [180, 130, 0]);
});
