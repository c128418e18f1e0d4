// Properties over generated inputs: the layer stacking agrees with a plain reference model of overlay
// semantics on random layers (crowded into a few names so rewrites, deletions, opaque folders and files
// turned into folders happen often), and damaged archives are rejected with a format error, never a hang
// or a stray exception.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { stackLayers, forEachNode } from '../../server/src/xray/layerStack';
import type { LayerEntry, LayerTable } from '../../server/src/xray/layerTable';
import { analyseImageArchive } from '../../server/src/xray/archive';
import { chunked, dockerArchive, ociArchive, type TestImage } from '../support/imageArchive';

const NAMES = ['a', 'b', 'c'];
const pathArb = fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 3 }).map((parts) => `/${parts.join('/')}`);
const entryArb: fc.Arbitrary<LayerEntry> = fc.oneof(
  fc.record({ path: pathArb, kind: fc.constant('file' as const), bytes: fc.integer({ min: 0, max: 1000 }) }),
  fc.record({ path: pathArb, kind: fc.constant('directory' as const), bytes: fc.constant(0) }),
  fc.record({ path: pathArb, kind: fc.constant('whiteout' as const), bytes: fc.constant(0) }),
  fc.record({ path: pathArb, kind: fc.constant('opaque' as const), bytes: fc.constant(0) }),
  // Symlinks only under names nothing is put below, so "a symlink in the way" needs no special case here.
  fc.record({ path: pathArb.map((p) => `${p}-link`), kind: fc.constant('symlink' as const), bytes: fc.integer({ min: 1, max: 50 }) }),
);
const layersArb = fc.array(fc.array(entryArb, { maxLength: 8 }), { minLength: 1, maxLength: 5 });

function table(entries: LayerEntry[]): LayerTable {
  // Fresh objects: the reference model tells entries apart by identity.
  const own = entries.map((e) => ({ ...e }));
  return { entries: own, addedBytes: own.reduce((a, e) => a + e.bytes, 0), whiteouts: 0, manifests: new Map() };
}

interface Held {
  entry: LayerEntry | undefined;
  layer: number;
}

/** Overlay semantics spelled out on a flat map of paths. */
function reference(layers: LayerTable[]): Map<string, Held> {
  const fs = new Map<string, Held>();
  const isDir = (h: Held | undefined) => h !== undefined && (h.entry === undefined || h.entry.kind === 'directory');
  const dropBelow = (p: string) => {
    for (const key of [...fs.keys()]) if (key.startsWith(`${p}/`)) fs.delete(key);
  };
  layers.forEach((t, layer) => {
    for (const e of t.entries) {
      if (e.kind === 'whiteout') {
        fs.delete(e.path);
        dropBelow(e.path);
      } else if (e.kind === 'opaque') dropBelow(e.path);
    }
    for (const e of t.entries) {
      if (e.kind === 'whiteout' || e.kind === 'opaque') continue;
      const parts = e.path.split('/').slice(1, -1);
      for (let i = 1; i <= parts.length; i++) {
        const ancestor = `/${parts.slice(0, i).join('/')}`;
        const held = fs.get(ancestor);
        if (held && !isDir(held) && held.entry?.kind !== 'symlink') fs.delete(ancestor);
        if (!fs.has(ancestor)) fs.set(ancestor, { entry: undefined, layer });
      }
      const existing = fs.get(e.path);
      if (existing && isDir(existing) && e.kind === 'directory') {
        fs.set(e.path, { entry: e, layer });
        continue;
      }
      if (existing) dropBelow(e.path);
      fs.set(e.path, { entry: e, layer });
    }
  });
  return fs;
}

test('layer stacking agrees with the reference overlay model on random layers', () => {
  fc.assert(
    fc.property(layersArb, (raw) => {
      const layers = raw.map(table);
      const expected = reference(layers);
      const stack = stackLayers(layers);
      const actual = new Map<string, Held>();
      forEachNode(stack.root, '', (node, path) => {
        if (path !== '') actual.set(path, { entry: node.entry, layer: node.layer });
      });
      assert.deepEqual(
        [...actual].map(([p, h]) => [p, h.entry ?? 'implied', h.entry ? h.layer : -1]).sort(),
        [...expected].map(([p, h]) => [p, h.entry ?? 'implied', h.entry ? h.layer : -1]).sort(),
      );
      const survivors = new Set([...expected.values()].map((h) => h.entry));
      const wasted = layers.map((t) => t.entries.filter((e) => e.bytes > 0 && !survivors.has(e)).reduce((a, e) => a + e.bytes, 0));
      assert.deepEqual(stack.wasted, wasted);
      const total = layers.reduce((a, t) => a + t.addedBytes, 0);
      assert.equal(stack.finalBytes, total - wasted.reduce((a, b) => a + b, 0));
      assert.equal(stack.hides.reduce((a, b) => a + b, 0), stack.wasted.reduce((a, b) => a + b, 0));
    }),
    { numRuns: 400 },
  );
});

const small: TestImage = {
  layers: [
    [{ path: 'etc', type: 'dir' }, { path: 'etc/conf', content: 'x'.repeat(700) }],
    [{ path: `usr/${'long-name-'.repeat(15)}`, content: 'y'.repeat(2000) }, { path: 'etc/.wh.conf' }],
  ],
  history: [{ createdBy: 'ADD etc /' }, { createdBy: 'RUN y' }],
};

test('damaged archives (bytes flipped, cut, or both) end in a format error or a result, promptly, in both layouts', async () => {
  const archives = [dockerArchive(small).archive, ociArchive(small, { gzip: true }).archive, ociArchive(small).archive];
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(0, 1, 2),
      fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 6 }),
      fc.option(fc.nat(), { nil: undefined }),
      fc.integer({ min: 1, max: 5000 }),
      async (which, flips, cut, chunk) => {
        const damaged = Buffer.from(archives[which]);
        for (const f of flips) damaged[f.at % damaged.length] = f.value;
        const input = cut === undefined ? damaged : damaged.subarray(0, cut % damaged.length);
        let timer: NodeJS.Timeout | undefined;
        const hang = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no answer within 5 s')), 5000)));
        try {
          await Promise.race([analyseImageArchive(chunked(input, chunk), {}), hang]);
        } catch (error) {
          assert.ok(
            error instanceof Error && ['TarFormatError', 'ArchiveError'].includes(error.name),
            `unexpected ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
          );
        } finally {
          clearTimeout(timer);
        }
      },
    ),
    { numRuns: 300 },
  );
});
