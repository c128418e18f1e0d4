// The three byte formats (server/src/analysis/bytes.ts): where each one's edges lie.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBinaryBytes, formatBytes, formatMegabytes } from '../../server/src/analysis/bytes';

test('bytes: formatBytes scales decimal units and keeps the sign', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(999), '999 B');
  assert.equal(formatBytes(1000), '1.0 kB');
  assert.equal(formatBytes(999_949), '999.9 kB');
  assert.equal(formatBytes(-3_000), '-3.0 kB');
  assert.equal(formatBytes(2_500_000_000_000), '2.5 TB');
});

test('bytes: formatMegabytes stays in MB from 0.1 MB up, with a thousands separator', () => {
  assert.equal(formatMegabytes(99_999), '100.0 kB');
  assert.equal(formatMegabytes(346_700_000), '346.7 MB');
  assert.equal(formatMegabytes(12_345_678_901), '12,345.7 MB');
});

test('bytes: formatBinaryBytes counts 1024 to the KB and drops a trailing .0', () => {
  assert.equal(formatBinaryBytes(1023), '1023 bytes');
  assert.equal(formatBinaryBytes(512 * 1024), '512 KB');
  assert.equal(formatBinaryBytes(32 * 1024 * 1024), '32 MB');
  assert.equal(formatBinaryBytes(1.5 * 1024 * 1024), '1.5 MB');
});
