// X-ray Image's "pick an existing local image": which images count as built from the open Dockerfile
// (their history repeats its instructions' text, not only their keywords) and the order they are offered in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchedInstructions, parseImageList, rankImages } from '../../client/src/xray/imageChoice';
import { SAMPLE_DOCKERFILE } from '../fixtures/xray-editor/sampleReport';

const entry = (createdBy: string, sizeBytes = 0) => ({ createdBy, sizeBytes, hasFilesystemLayer: sizeBytes > 0 || /^(RUN|COPY|ADD)/.test(createdBy) });
const base = [entry('/bin/sh -c #(nop) ADD file:0d4e in / ', 74_800_000), entry('/bin/sh -c #(nop)  CMD ["bash"]')];

test('xray image choice: a BuildKit history of this file matches its RUN and COPY instructions by their text', () => {
  const history = [
    ...base,
    entry('RUN /bin/sh -c apt-get update &&     apt-get install -y --no-install-recommends curl # buildkit', 312_400_000),
    entry('COPY big.bin /opt/big.bin # buildkit', 41_000_000),
    entry('RUN /bin/sh -c rm /opt/big.bin # buildkit', 0),
    entry('CMD ["curl", "--version"]'),
  ];
  assert.equal(matchedInstructions(SAMPLE_DOCKERFILE, undefined, history), 4);
});

test('xray image choice: the legacy builder\'s history matches by its RUN commands', () => {
  const history = [
    ...base,
    entry('/bin/sh -c apt-get update &&     apt-get install -y --no-install-recommends curl', 312_400_000),
    entry('/bin/sh -c #(nop) COPY file:9f2c in /opt/big.bin ', 41_000_000),
    entry('/bin/sh -c rm /opt/big.bin', 0),
    entry('/bin/sh -c #(nop)  CMD ["curl" "--version"]'),
  ];
  assert.equal(matchedInstructions(SAMPLE_DOCKERFILE, undefined, history), 2);
});

test('xray image choice: another image with the same keywords (RUN, COPY, CMD) is not built from this file', () => {
  const history = [
    ...base,
    entry('RUN /bin/sh -c pip install flask # buildkit', 9_000_000),
    entry('COPY app.py /app/ # buildkit', 1_000),
    entry('RUN /bin/sh -c python -m compileall /app # buildkit', 10),
    entry('CMD ["python", "/app/app.py"]'),
  ];
  assert.equal(matchedInstructions(SAMPLE_DOCKERFILE, undefined, history), 0);
});

test('xray image choice: image list parsing skips dangling images; ranking puts matching images first, newest first', () => {
  const listed = parseImageList([
    '{"Repository":"app","Tag":"latest","ID":"aaa","CreatedSince":"2 minutes ago","Size":"80MB"}',
    '{"Repository":"<none>","Tag":"<none>","ID":"bbb","CreatedSince":"3 minutes ago","Size":"1MB"}',
    'WARNING: not JSON',
    '{"Repository":"other","Tag":"1","ID":"ccc","CreatedSince":"1 hour ago","Size":"5MB"}',
    '{"Repository":"mine","Tag":"dev","ID":"ddd","CreatedSince":"2 hours ago","Size":"90MB"}',
  ].join('\n'));
  assert.deepEqual(listed.map((i) => i.name), ['app:latest', 'other:1', 'mine:dev']);
  const ranked = rankImages(listed, new Map([['ddd', 3], ['aaa', 1]]));
  assert.deepEqual(ranked.map((i) => [i.name, i.matchedInstructions]), [['app:latest', 1], ['mine:dev', 3], ['other:1', 0]]);
});
