// Build contexts with known waste for the X-ray tests against real engines, and the numbers an X-ray of the
// built image must report, computed from the bytes written here (never read back from the engine).
//
// The image is FROM scratch, so every byte in it is one this file wrote, plus busybox's binary (copied
// from busybox:latest so a RUN can delete a file), whose size the test measures by running busybox.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import type { XrayReport } from '../../server/src/xray/types';

export const WASTE_SIZES = {
  deleted: 300_000,
  overwrittenFirst: 40_000,
  overwrittenSecond: 25_000,
  aptLists: [12_345, 6_789],
  pipCache: 23_456,
  duplicate: 50_000,
} as const;

/** Dockerfile lines (1-based) as written below. */
export const WASTE_LINES = {
  busybox: 3,
  addBig: 4,
  removeBig: 5,
  configFirst: 6,
  configSecond: 7,
  aptLists: 8,
  pipCache: 9,
  dupA: 10,
  dupB: 11,
  cmd: 12,
} as const;

export const WASTE_DOCKERFILE = [
  'FROM busybox:latest AS tools',
  'FROM scratch',
  'COPY --from=tools /bin/busybox /bin/busybox',
  'COPY big.bin /data/big.bin',
  'RUN ["/bin/busybox", "rm", "/data/big.bin"]',
  'COPY v1.bin /data/config.bin',
  'COPY v2.bin /data/config.bin',
  'COPY lists/ /var/lib/apt/lists/',
  'COPY pipcache/ /root/.cache/pip/',
  'COPY dup.bin /opt/a/dup.bin',
  'COPY dup.bin /opt/b/dup.bin',
  'CMD ["/bin/busybox", "true"]',
  '',
].join('\n');

/** Writes the context (random bytes, so nothing is a duplicate by accident) and its Dockerfile. */
export function writeWasteContext(dir: string): void {
  const write = (path: string, size: number, bytes = randomBytes(size)) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), bytes);
  };
  write('big.bin', WASTE_SIZES.deleted);
  write('v1.bin', WASTE_SIZES.overwrittenFirst);
  write('v2.bin', WASTE_SIZES.overwrittenSecond);
  write('lists/deb.debian.org_debian_dists_bookworm_InRelease', WASTE_SIZES.aptLists[0]);
  write('lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4', WASTE_SIZES.aptLists[1]);
  write('pipcache/http/ab/cd/0123456789abcdef', WASTE_SIZES.pipCache);
  write('dup.bin', WASTE_SIZES.duplicate);
  writeFileSync(join(dir, 'Dockerfile'), WASTE_DOCKERFILE);
}

/**
 * Checks an X-ray of the image built from writeWasteContext against the numbers written there.
 * busyboxBytes: the size of /bin/busybox, measured by the test.
 */
export function assertWasteReport(report: XrayReport, busyboxBytes: number): void {
  const s = WASTE_SIZES;
  const aptBytes = s.aptLists[0] + s.aptLists[1];
  // One layer per COPY/RUN, oldest first; CMD adds none.
  const expectedLayers = [
    { line: WASTE_LINES.busybox, instruction: 'COPY', addedBytes: busyboxBytes, wastedBytes: 0, hidesBytes: 0, whiteouts: 0 },
    { line: WASTE_LINES.addBig, instruction: 'COPY', addedBytes: s.deleted, wastedBytes: s.deleted, hidesBytes: 0, whiteouts: 0 },
    { line: WASTE_LINES.removeBig, instruction: 'RUN', addedBytes: 0, wastedBytes: 0, hidesBytes: s.deleted, whiteouts: 1 },
    { line: WASTE_LINES.configFirst, instruction: 'COPY', addedBytes: s.overwrittenFirst, wastedBytes: s.overwrittenFirst, hidesBytes: 0, whiteouts: 0 },
    { line: WASTE_LINES.configSecond, instruction: 'COPY', addedBytes: s.overwrittenSecond, wastedBytes: 0, hidesBytes: s.overwrittenFirst, whiteouts: 0 },
    { line: WASTE_LINES.aptLists, instruction: 'COPY', addedBytes: aptBytes, wastedBytes: 0, hidesBytes: 0, whiteouts: 0 },
    { line: WASTE_LINES.pipCache, instruction: 'COPY', addedBytes: s.pipCache, wastedBytes: 0, hidesBytes: 0, whiteouts: 0 },
    { line: WASTE_LINES.dupA, instruction: 'COPY', addedBytes: s.duplicate, wastedBytes: 0, hidesBytes: 0, whiteouts: 0 },
    { line: WASTE_LINES.dupB, instruction: 'COPY', addedBytes: s.duplicate, wastedBytes: 0, hidesBytes: 0, whiteouts: 0 },
  ];
  assert.deepEqual(
    report.layers.map((l) => ({ line: l.line, instruction: l.instruction, addedBytes: l.addedBytes, wastedBytes: l.wastedBytes, hidesBytes: l.hidesBytes, whiteouts: l.whiteouts })),
    expectedLayers,
  );
  assert.deepEqual(report.layers.map((l) => l.index), expectedLayers.map((_, i) => i));
  assert.ok(report.layers.every((l) => !l.fromBaseImage), 'FROM scratch: no layer comes from a base image');

  const total = expectedLayers.reduce((sum, l) => sum + l.addedBytes, 0);
  const wasted = s.deleted + s.overwrittenFirst;
  assert.equal(report.totalBytes, total);
  assert.equal(report.wastedBytes, wasted);
  assert.equal(report.finalBytes, total - wasted);
  assert.equal(report.userWastedRatio, wasted / total);
  // dive: every leaf path keeps its sizes per layer; a whiteout of a file counts 0, so /data/big.bin is
  // (300000, 0) and /data/config.bin (40000, 25000); all other paths appear once.
  assert.equal(report.diveWastedBytes, s.deleted + s.overwrittenFirst + s.overwrittenSecond);
  assert.equal(report.efficiency, (total - s.deleted - Math.max(s.overwrittenFirst, s.overwrittenSecond)) / total);

  // Per line: each instruction's layer, nothing for CMD.
  assert.deepEqual(
    report.lines.filter((l) => l.layers.length > 0).map((l) => [l.line, l.instruction, l.addedBytes, l.wastedBytes, l.layers]),
    expectedLayers.map((l, i) => [l.line, l.instruction, l.addedBytes, l.wastedBytes, [i]]),
  );

  const deleted = report.findings.filter((f) => f.kind === 'deleted');
  assert.equal(deleted.length, 1, JSON.stringify(deleted));
  assert.deepEqual(pick(deleted[0], ['layerIndex', 'line', 'byLayerIndex', 'byLine', 'bytes', 'files', 'examples']), {
    layerIndex: 1, line: WASTE_LINES.addBig, byLayerIndex: 2, byLine: WASTE_LINES.removeBig, bytes: s.deleted, files: 1, examples: ['/data/big.bin'],
  });
  const overwritten = report.findings.filter((f) => f.kind === 'overwritten');
  assert.equal(overwritten.length, 1, JSON.stringify(overwritten));
  assert.deepEqual(pick(overwritten[0], ['layerIndex', 'line', 'byLayerIndex', 'byLine', 'bytes', 'files', 'examples']), {
    layerIndex: 3, line: WASTE_LINES.configFirst, byLayerIndex: 4, byLine: WASTE_LINES.configSecond, bytes: s.overwrittenFirst, files: 1, examples: ['/data/config.bin'],
  });
  const known = report.findings.filter((f) => f.kind === 'known-waste');
  const apt = known.find((f) => f.kind === 'known-waste' && f.waste === 'apt-lists');
  const pip = known.find((f) => f.kind === 'known-waste' && f.waste === 'pip-cache');
  assert.ok(apt && pip, JSON.stringify(known));
  assert.deepEqual(pick(apt, ['bytes', 'files', 'layerIndex', 'line']), { bytes: aptBytes, files: 2, layerIndex: 5, line: WASTE_LINES.aptLists });
  assert.deepEqual(pick(pip, ['bytes', 'files', 'layerIndex', 'line']), { bytes: s.pipCache, files: 1, layerIndex: 6, line: WASTE_LINES.pipCache });
  assert.equal(known.length, 2, `no other known waste in an image made only of these files: ${JSON.stringify(known)}`);
  const duplicates = report.findings.filter((f) => f.kind === 'duplicate');
  assert.equal(duplicates.length, 1, JSON.stringify(duplicates));
  assert.equal(duplicates[0].bytes, s.duplicate, 'one copy of dup.bin would do');
  // The second copy is the redundant one; its example names the first.
  assert.deepEqual(pick(duplicates[0], ['layerIndex', 'line', 'files']), { layerIndex: 8, line: WASTE_LINES.dupB, files: 1 });
  const named = duplicates[0].kind === 'duplicate' ? duplicates[0].examples.join(' ') : '';
  assert.ok(named.includes('/opt/a/dup.bin') && named.includes('/opt/b/dup.bin'), JSON.stringify(duplicates[0]));
}

function pick<T extends object>(value: T, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, (value as Record<string, unknown>)[k]]));
}
