import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catches, catchesNot, fixesTo } from '../../support/ruleSpec';

const RULE = 'apk-cache-kept';

test('apk-cache-kept: fires on apk add without --no-cache and inserts the flag', () => {
  const text = 'FROM alpine:3.20\nRUN apk add curl git\n';
  const [p] = catches(RULE, text);
  assert.equal(p.severity, 'warning');
  fixesTo(RULE, text, 'FROM alpine:3.20\nRUN apk add --no-cache curl git\n', { safe: true });
});

test('apk-cache-kept: fires on apk update && apk add and the fix drops the update', () => {
  fixesTo(RULE, 'FROM alpine\nRUN apk update && apk add --virtual .deps curl\n', 'FROM alpine\nRUN apk add --no-cache --virtual .deps curl\n');
  fixesTo(RULE, 'FROM alpine\nRUN apk update \\\n    && apk add --no-cache curl\n', 'FROM alpine\nRUN apk add --no-cache curl\n');
  fixesTo(RULE, 'FROM alpine\nRUN apk --update add curl\n', 'FROM alpine\nRUN apk --update add --no-cache curl\n');
});

test('apk-cache-kept: fires inside sh -c and here-documents', () => {
  catches(RULE, "FROM alpine\nRUN sh -c 'apk add bash'\n");
  catches(RULE, 'FROM alpine\nRUN <<EOF\napk add bash\nEOF\n');
});

test('apk-cache-kept: does not fire with --no-cache, a cache cleanup after the add, or a cache mount', () => {
  catchesNot(RULE, [
    'FROM alpine\nRUN apk add --no-cache curl\n',
    'FROM alpine\nRUN apk --no-cache add curl\n',
    'FROM alpine\nRUN apk add curl && rm -rf /var/cache/apk/*\n',
    'FROM alpine\nRUN apk add curl && apk cache clean\n',
    'FROM alpine\nRUN --mount=type=cache,target=/var/cache/apk apk add curl\n',
    'FROM alpine\nRUN apk update\n',
    'FROM alpine\nRUN echo "apk add curl"\n',
  ]);
});

test('apk-cache-kept: does not fire in a builder stage that is only copied from', () => {
  catchesNot(RULE, 'FROM alpine AS b\nRUN apk add build-base\nFROM scratch\nCOPY --from=b /x /x\n');
});

test('apk-cache-kept: apk add --no-network fetches no index (corpus: nextcloud)', () => {
  catchesNot(RULE, 'FROM alpine\nRUN apk add --no-network --virtual .rundeps $runDeps\n');
});
