import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catches, catchesNot, fixesTo } from '../../support/ruleSpec';

const RULE = 'unknown-stage-reference';

test('unknown-stage-reference: fires as an error on a one-edit typo and offers the stage name', () => {
  const text = 'FROM golang:1.22 AS builder\nRUN go build -o /app .\nFROM scratch\nCOPY --from=buidler /app /app\n';
  const [p] = catches(RULE, text);
  assert.equal(p.severity, 'error');
  assert.deepEqual(p.range, { start: { line: 3, character: 12 }, end: { line: 3, character: 19 } });
  assert.equal(p.fixes[0].title, "Change to 'builder'");
  fixesTo(RULE, text, /COPY --from=builder \/app/);
});

test('unknown-stage-reference: fires as a warning on a name far from every stage', () => {
  const text = 'FROM golang:1.22 AS builder\nFROM scratch\nCOPY --from=compiler /app /app\n';
  const [p] = catches(RULE, text);
  assert.equal(p.severity, 'warning');
  assert.equal(p.fixes.length, 0);
});

test('unknown-stage-reference: fires on RUN --mount from= naming no stage', () => {
  const text = 'FROM node:20 AS deps\nFROM node:20\nRUN --mount=type=bind,from=dpes,target=/d ls /d\n';
  catches(RULE, text);
});

test('unknown-stage-reference: does not fire on stage names in any case, images, indexes or variables', () => {
  const text = [
    'ARG BASE=builder',
    'FROM golang:1.22 AS Builder',
    'FROM scratch',
    'COPY --from=builder /a /a',
    'COPY --from=nginx:1.25 /etc/nginx /etc/nginx',
    'COPY --from=nginx /etc/nginx /etc/nginx2',
    'COPY --from=gcr.io/distroless/static /etc/passwd /etc/passwd',
    'COPY --from=0 /b /b',
    'COPY --from=${BASE} /c /c',
    '',
  ].join('\n');
  catchesNot(RULE, text);
});

test('unknown-stage-reference: transposition counts as one edit', () => {
  const text = 'FROM alpine AS assets\nFROM alpine\nCOPY --from=asstes /x /x\n';
  assert.equal(catches(RULE, text)[0].severity, 'error');
});

test('unknown-stage-reference: does not fire when an earlier stage is named by a variable', () => {
  const text = 'ARG STAGE=first\nFROM alpine AS ${STAGE}\nFROM alpine\nCOPY --from=first /x /x\n';
  catchesNot(RULE, text);
});

test('unknown-stage-reference: COPY --from with an index past the last stage is an error (the builder says "invalid stage index")', () => {
  const [p] = catches('unknown-stage-reference', 'FROM debian:12\nCOPY --from=1 /etc/hostname /x\n');
  assert.equal(p.severity, 'error');
  assert.match(p.message, /invalid stage index, this file has 1 stage/);
  assert.equal(catches('unknown-stage-reference', 'FROM debian:12\nFROM debian:12\nCOPY --from=7 /a /b\n')[0].severity, 'error');
});

test('unknown-stage-reference: a number in RUN --mount from= is an image name to BuildKit, never a stage index', () => {
  for (const text of ['FROM debian:12\nRUN --mount=from=5,target=/m true\n', 'FROM debian:12 AS a\nFROM debian:12\nRUN --mount=from=0,target=/m ls /m\n']) {
    const [p] = catches('unknown-stage-reference', text);
    assert.equal(p.severity, 'error', text);
    assert.match(p.message, /names an image called '\d', not a stage/);
  }
});

test('unknown-stage-reference: does not catch an index that names an earlier stage', () => {
  catchesNot('unknown-stage-reference', 'FROM debian:12\nFROM debian:12\nCOPY --from=0 /a /b\n');
});

test('unknown-stage-reference: the typo correction is offered but not safe (it changes what is copied)', () => {
  const [p] = catches('unknown-stage-reference', 'FROM debian:12 AS builder\nFROM debian:12\nCOPY --from=buidler /a /b\n');
  assert.equal(p.fixes[0].safe, undefined);
});
