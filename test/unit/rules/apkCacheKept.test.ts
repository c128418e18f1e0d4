import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../server/src/analysis/analyze';
import { applyEdits, findings } from '../../support/analysis';

const RULE = 'apk-cache-kept';

function fixOnce(text: string): string {
  const [p] = findings(text, RULE);
  const fixed = applyEdits(text, p.fixes[0].edits);
  assert.deepEqual(findings(fixed, RULE), [], fixed);
  assert.equal(analyze(fixed).problems.filter((x) => x.severity === 'error').length, 0);
  return fixed;
}

test('apk-cache-kept: fires on apk add without --no-cache and inserts the flag', () => {
  const text = 'FROM alpine:3.20\nRUN apk add curl git\n';
  const [p, ...rest] = findings(text, RULE);
  assert.equal(rest.length, 0);
  assert.equal(p.severity, 'warning');
  assert.equal(p.fixes[0].safe, true);
  assert.equal(fixOnce(text), 'FROM alpine:3.20\nRUN apk add --no-cache curl git\n');
});

test('apk-cache-kept: fires on apk update && apk add and the fix drops the update', () => {
  assert.equal(fixOnce('FROM alpine\nRUN apk update && apk add --virtual .deps curl\n'), 'FROM alpine\nRUN apk add --no-cache --virtual .deps curl\n');
  assert.equal(fixOnce('FROM alpine\nRUN apk update \\\n    && apk add --no-cache curl\n'), 'FROM alpine\nRUN apk add --no-cache curl\n');
  assert.equal(fixOnce('FROM alpine\nRUN apk --update add curl\n'), 'FROM alpine\nRUN apk --update add --no-cache curl\n');
});

test('apk-cache-kept: fires inside sh -c and here-documents', () => {
  assert.equal(findings("FROM alpine\nRUN sh -c 'apk add bash'\n", RULE).length, 1);
  assert.equal(findings('FROM alpine\nRUN <<EOF\napk add bash\nEOF\n', RULE).length, 1);
});

test('apk-cache-kept: does not fire with --no-cache, a cache cleanup after the add, or a cache mount', () => {
  for (const text of [
    'FROM alpine\nRUN apk add --no-cache curl\n',
    'FROM alpine\nRUN apk --no-cache add curl\n',
    'FROM alpine\nRUN apk add curl && rm -rf /var/cache/apk/*\n',
    'FROM alpine\nRUN apk add curl && apk cache clean\n',
    'FROM alpine\nRUN --mount=type=cache,target=/var/cache/apk apk add curl\n',
    'FROM alpine\nRUN apk update\n',
    'FROM alpine\nRUN echo "apk add curl"\n',
  ]) assert.deepEqual(findings(text, RULE), [], text);
});

test('apk-cache-kept: does not fire in a builder stage that is only copied from', () => {
  assert.deepEqual(findings('FROM alpine AS b\nRUN apk add build-base\nFROM scratch\nCOPY --from=b /x /x\n', RULE), []);
});

test('apk-cache-kept: apk add --no-network fetches no index (corpus: nextcloud)', () => {
  assert.deepEqual(findings('FROM alpine\nRUN apk add --no-network --virtual .rundeps $runDeps\n', RULE), []);
});
