import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ImageFacts } from '../../../server/src/analysis/types';
import { catches, catchesNot, fixesTo } from '../../support/ruleSpec';

const RULE = 'unpinned-base-image';
const DIGEST = 'sha256:1d1f3c4f0dd5f3b5b0a8c8c3d9f17d2d0e1e5f0a9b4a3c2d1e0f9a8b7c6d5e4f';

test('unpinned-base-image: fires on FROM without a tag and on :latest, on the image range', () => {
  const text = 'FROM node AS build\nRUN npm ci\nFROM nginx:latest\nCOPY --from=build /app/dist /usr/share/nginx/html\n';
  const problems = catches(RULE, text, { count: 2 });
  assert.deepEqual(problems[0].range, { start: { line: 0, character: 5 }, end: { line: 0, character: 9 } });
  assert.match(problems[0].message, /no tag/);
  assert.match(problems[1].message, /nginx:latest/);
  assert.deepEqual(problems[0].fixes, [], 'no fix without registry facts');
});

test('unpinned-base-image: resolves ARG defaults in FROM', () => {
  catches(RULE, 'ARG BASE=python\nFROM ${BASE}\n');
  catches(RULE, 'ARG TAG=latest\nFROM python:${TAG}\n');
  catchesNot(RULE, 'ARG TAG=3.12-slim\nFROM python:${TAG}\n');
});

test('unpinned-base-image: with a known digest, the fix pins it and the finding goes away', () => {
  const images = new Map<string, ImageFacts>([['node:latest', { digest: DIGEST, source: 'registry' }]]);
  const text = 'FROM node:latest\nCMD ["node"]\n';
  const [p] = catches(RULE, text, { images });
  assert.equal(p.fixes.length, 1);
  assert.match(p.fixes[0].title, /^Pin to the digest/);
  fixesTo(RULE, text, `FROM node:latest@${DIGEST}\nCMD ["node"]\n`, { images });
});

test('unpinned-base-image: a digest fix for an image named by a global ARG edits the ARG default', () => {
  const images = new Map<string, ImageFacts>([['alpine', { digest: DIGEST }]]);
  const text = 'ARG BASE=alpine\nFROM $BASE\n';
  catches(RULE, text, { images });
  fixesTo(RULE, text, `ARG BASE=alpine@${DIGEST}\nFROM $BASE\n`, { images });
});

test('unpinned-base-image: does not fire on version tags, digests, scratch, stage names or unresolvable variables', () => {
  const text = [
    'ARG VARIANT',
    'FROM golang:1.22-alpine AS build',
    'FROM build AS test',
    'FROM gcr.io/distroless/static-debian12@' + DIGEST,
    'FROM registry.example.com:5000/team/app:2.1',
    'FROM ubuntu:${VARIANT}',
    'FROM scratch',
    'COPY --from=build /out /app',
    '',
  ].join('\n');
  catchesNot(RULE, text);
});

test('unpinned-base-image: a registry port is not mistaken for a tag', () => {
  catches(RULE, 'FROM localhost:5000/app\n');
});
