import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel } from '../../server/src/analysis/model';
import { substituteVariables } from '../../server/src/analysis/variables';
import { lineStartsOf } from '../../server/src/analysis/textEdits';
import { corpusFiles } from '../support/corpus';

test('model: resolves ARG defaults declared before FROM in base images and platforms', () => {
  const m = buildModel('ARG GO=1.22\nARG PLATFORM=linux/arm64\nFROM --platform=$PLATFORM golang:${GO}-bookworm AS build\nFROM gcr.io/distroless/static:${TAG:-nonroot}\n');
  assert.equal(m.stages[0].image, 'golang:1.22-bookworm');
  assert.equal(m.stages[0].imageRaw, 'golang:${GO}-bookworm');
  assert.equal(m.stages[0].platform, 'linux/arm64');
  assert.equal(m.stages[1].image, 'gcr.io/distroless/static:nonroot');
  assert.equal(m.stages[1].imageUnresolved, false);
});

test('model: an ARG without default leaves the image marked unresolved', () => {
  const m = buildModel('ARG BASE\nFROM ${BASE}\n');
  assert.equal(m.stages[0].imageUnresolved, true);
});

test('model: stage graph records who uses whom and what reaches the final stage', () => {
  const m = buildModel('FROM node:20 AS deps\nFROM deps AS build\nFROM alpine AS lint\nCOPY --from=build /a /a\nFROM nginx\nCOPY --from=build /app /usr/share/nginx/html\n');
  assert.equal(m.stages[1].baseStage, 0);
  assert.deepEqual(m.stages[1].usedBy.sort(), [2, 3]);
  assert.deepEqual(m.stages.map((s) => s.reachesTarget), [true, true, false, true]);
  assert.equal(m.targetIndex, 3);
  assert.equal(m.stageByName('BUILD')?.index, 1);
  assert.equal(m.stageAt(3)?.index, 2);
});

test('model: the configured target decides what reaches it', () => {
  const m = buildModel('FROM alpine AS base\nFROM base AS test\nFROM base AS prod\n', { target: 'test' });
  assert.equal(m.targetIndex, 1);
  assert.deepEqual(m.stages.map((s) => s.reachesTarget), [true, true, false]);
  assert.equal(buildModel('FROM alpine\n', { target: 'nope' }).missingTarget, 'nope');
});

test('model: copes with text that has no FROM at all', () => {
  const m = buildModel('RUN echo hi\n');
  assert.equal(m.stages.length, 0);
  assert.equal(m.targetIndex, -1);
});

test('variables: the substitution forms Docker supports', () => {
  const vars = new Map<string, string | undefined>([['A', 'a'], ['E', ''], ['U', undefined]]);
  assert.equal(substituteVariables('$A-${A}', vars).text, 'a-a');
  assert.equal(substituteVariables('${E:-d}|${E-d}|${X:-d}', vars).text, 'd||d');
  assert.equal(substituteVariables('${A:+alt}|${E:+alt}|${E+alt}', vars).text, 'alt||alt');
  assert.deepEqual(substituteVariables('x${U}y', vars), { text: 'xy', unresolved: true });
});

test('model: line starts (taken from the parser when it has them) are those of lineStartsOf over the corpus and odd line ends', (t) => {
  const files = corpusFiles(t);
  if (!files) return;
  const texts = files.map((f) => f.text);
  assert.ok(texts.length > 2000, `${texts.length} corpus files`);
  const odd = ['', '\n', '\r', '\r\n', 'FROM a\r\rRUN b\r\n\nRUN c\r', 'FROM a\n\r\nRUN x \\\r\n  y\r'];
  for (const text of [...texts, ...texts.slice(0, 200).map((t) => t.replace(/\n/g, '\r\n')), ...texts.slice(0, 200).map((t) => t.replace(/\n/g, '\r')), ...odd]) {
    assert.deepEqual(buildModel(text).lineStarts, lineStartsOf(text));
  }
});
