// What the compare panel shows a person: legacy-builder rows read as the Dockerfile instruction instead of
// a content hash, and the smaller image's bar stays visible beside a much larger one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createdByText, renderComparePanel } from '../../client/src/compare/panel';
import { mapHistoryToDockerfile } from '../../server/src/docker/pure/layerMapping';
import { sampleResult } from '../fixtures/compare-panel/sampleResult';

const entry = (createdBy: string, sizeBytes = 0) => ({ createdBy, sizeBytes, hasFilesystemLayer: sizeBytes > 0 });
const env = { nonce: 'n', cspSource: 'vscode-webview://x', revealable: { before: true, after: true } };

test('panel rows: a legacy COPY file:<hash> row shows the Dockerfile instruction; BuildKit rows keep their history text', () => {
  const dockerfile = 'FROM busybox:1.36\nWORKDIR /app\nCOPY  server.js   ./\nRUN echo hi > /x\n';
  const rows = mapHistoryToDockerfile(dockerfile, undefined, [
    entry('/bin/sh -c #(nop) ADD file:7b1e3f0d2c9a4b5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081 in / ', 4_000_000),
    entry('/bin/sh -c #(nop) WORKDIR /app'),
    entry('/bin/sh -c #(nop) COPY file:b177a2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d in ./ ', 1_200),
    entry('/bin/sh -c echo hi > /x', 3),
  ]);
  const copy = rows[2];
  assert.equal(copy.line, 3);
  assert.equal(copy.source, 'COPY server.js ./');
  assert.equal(createdByText(copy), 'COPY server.js ./');
  assert.equal(createdByText(rows[3]), '/bin/sh -c echo hi > /x', 'a RUN row already says what it ran');
  assert.equal(createdByText(rows[0]), rows[0].createdBy, 'base-image rows are not from this Dockerfile');
  assert.equal(createdByText({ ...copy, createdBy: 'COPY server.js ./ # buildkit' }), 'COPY server.js ./ # buildkit');
});

test('panel chart: the smaller bar never shrinks below a visible width, and its value is labelled', () => {
  const tiny = {
    ...sampleResult,
    before: { ...sampleResult.before, sizeBytes: 900_000_000 },
    after: { ...sampleResult.after, sizeBytes: 1_000_000 },
  };
  const html = renderComparePanel(tiny, env);
  const width = Number(/id="after-bar"[^>]*width="(\d+)"/.exec(html)?.[1]);
  assert.ok(width >= 6, `after bar ${width}px`);
  assert.match(html, /<text [^>]*class="value">1(\.0)? MB<\/text>/);
});
