// memo(): per-object caches that die with their object (see server/src/analysis/memo.ts for why the
// analysis does not use WeakMap).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memo } from '../../server/src/analysis/memo';

test('memo: get/has/set per object, undefined and null values included', () => {
  const cache = memo<object, number | null | undefined>('test.cache');
  const a = {};
  const b = {};
  assert.equal(cache.get(a), undefined);
  assert.equal(cache.has(a), false);
  cache.set(a, 1);
  cache.set(b, null);
  assert.equal(cache.get(a), 1);
  assert.equal(cache.get(b), null);
  assert.equal(cache.has(b), true);
  cache.set(a, undefined);
  assert.equal(cache.has(a), true, 'a cached undefined is still cached');
  assert.equal(cache.get(a), undefined);
});

test('memo: two caches never share a slot, and the slot stays out of keys, for…in and JSON', () => {
  const first = memo<object, string>('same.name');
  const second = memo<object, string>('same.name');
  const owner = { x: 1 };
  first.set(owner, 'first');
  assert.equal(second.get(owner), undefined);
  assert.deepEqual(Object.keys(owner), ['x']);
  const seen: string[] = [];
  for (const key in owner) seen.push(key);
  assert.deepEqual(seen, ['x']);
  assert.equal(JSON.stringify(owner), '{"x":1}');
});
