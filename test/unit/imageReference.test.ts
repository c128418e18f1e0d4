// The two readings of an image reference (server/src/analysis/imageReference.ts) share one split, so for
// any reference Docker accepts they name the same registry, repository, tag and digest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatImageRef, parseImageRef, parseImageReference, splitImageReference } from '../../server/src/analysis/imageReference';

const DIGEST = `sha256:${'a'.repeat(64)}`;

test('image reference: the split cuts where Docker cuts', () => {
  assert.deepEqual(splitImageReference('localhost:5000/app:1'), { registry: 'localhost:5000', path: 'app', tag: '1', digest: undefined });
  assert.deepEqual(splitImageReference('localhost:5000'), { registry: undefined, path: 'localhost', tag: '5000', digest: undefined });
  assert.deepEqual(splitImageReference(`GHCR.io/org/app@${DIGEST}`), { registry: 'ghcr.io', path: 'org/app', tag: undefined, digest: DIGEST });
  assert.deepEqual(splitImageReference('bitnami/redis'), { registry: undefined, path: 'bitnami/redis', tag: undefined, digest: undefined });
});

test('image reference: the lenient and the strict reading agree on every reference Docker accepts', () => {
  for (const text of ['node', 'node:20-slim', 'library/node:20', 'docker.io/library/node:20', 'index.docker.io/node', 'bitnami/redis:7',
    'ghcr.io/org/app:1.2', `ghcr.io/org/app@${DIGEST}`, `node:20@${DIGEST}`, 'localhost:5000/x', '127.0.0.1:5000/team/app:dev',
    'mcr.microsoft.com/dotnet/sdk:8.0']) {
    const strict = parseImageReference(text);
    assert.ok(strict, text);
    const lenient = parseImageRef(text);
    const hub = strict.registry === 'docker.io';
    assert.equal(lenient.registry, hub ? undefined : strict.registry, text);
    assert.equal(lenient.repository, hub ? strict.repository.replace(/^library\//, '') : strict.repository, text);
    assert.equal(lenient.tag ?? (lenient.digest ? undefined : 'latest'), strict.tag, text);
    assert.equal(lenient.digest, strict.digest, text);
  }
});

test('image reference: only the lenient reading answers for what Docker would reject', () => {
  for (const text of ['Node:20', 'node:', '${BASE}', 'node@sha256:short']) {
    assert.equal(parseImageReference(text), undefined, text);
    assert.ok(parseImageRef(text).repository, text);
  }
  assert.equal(formatImageRef(parseImageRef(' Docker.io/Library/Node: ')), 'node');
});
