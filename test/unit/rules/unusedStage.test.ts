import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catches, catchesNot } from '../../support/ruleSpec';

const RULE = 'unused-stage';
const TARGET = (target: string) => ({ settings: { rules: {}, syntaxDiagnostics: true, target } });

test('unused-stage: fires on a stage that does not reach the final stage, tagged unnecessary on its whole FROM line', () => {
  const text = 'FROM alpine AS test\nRUN echo test\nFROM golang AS build\nFROM scratch\nCOPY --from=build /a /a\n';
  const [p] = catches(RULE, text);
  assert.deepEqual(p.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 19 } });
  assert.equal(p.unnecessary, true);
  assert.equal(p.severity, 'hint');
  assert.match(p.message, /^Stage 'test' is not used by the final stage; BuildKit skips it/);
});

test('unused-stage: does not fire on a stage the final stage copies from', () => {
  catchesNot(RULE, 'FROM golang AS build\nFROM scratch\nCOPY --from=build /a /a\n');
});

test('unused-stage: follows FROM <stage>, COPY --from and RUN --mount from= transitively', () => {
  const text = [
    'FROM alpine AS base',
    'FROM base AS deps',
    'FROM alpine AS assets',
    'FROM alpine AS tools',
    'FROM deps',
    'COPY --from=assets /a /a',
    'RUN --mount=type=bind,from=tools,target=/t ls /t',
    '',
  ].join('\n');
  catchesNot(RULE, text);
});

test('unused-stage: a stage used only by an unused stage is unused too, each reported at its FROM line', () => {
  const text = 'FROM alpine AS gen\nFROM alpine AS docs\nCOPY --from=gen /g /g\nFROM alpine\nRUN true\n';
  const problems = catches(RULE, text, { count: 2 });
  assert.deepEqual(problems.map((p) => p.range.start.line), [0, 1]);
});

test('unused-stage: names an unnamed stage by its index', () => {
  const [p] = catches(RULE, 'FROM alpine\nRUN echo scratchpad\nFROM debian:12\n');
  assert.match(p.message, /^Stage 0 is not used by the final stage/);
});

test('unused-stage: does not fire on a single-stage file or a stage referenced by index', () => {
  catchesNot(RULE, ['FROM alpine\nRUN true\n', 'FROM golang:1.22\nRUN go build -o /app .\nFROM scratch\nCOPY --from=0 /app /app\n']);
});

test('unused-stage: honours the configured target, and says nothing when the target names no stage', () => {
  const text = 'FROM alpine AS dev\nFROM alpine AS prod\n';
  const [p] = catches(RULE, text, TARGET('dev'));
  assert.equal(p.range.start.line, 1);
  assert.match(p.message, /not used by 'dev'/);
  catchesNot(RULE, text, TARGET('missing'));
  assert.equal(catches(RULE, text, TARGET('prod'))[0].range.start.line, 0);
});

test('unused-stage: a multistage-ignore comment above the FROM silences it', () => {
  catches(RULE, 'FROM alpine AS test\nFROM alpine\n');
  catchesNot(RULE, '# multistage-ignore unused-stage\nFROM alpine AS test\nFROM alpine\n');
});
