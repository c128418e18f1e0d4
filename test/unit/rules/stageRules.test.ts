import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findings, applyEdits } from '../../support/analysis';

test('stage-referenced-before-defined: fires on --from naming a later stage', () => {
  const text = 'FROM alpine AS a\nCOPY --from=b /x /x\nFROM alpine AS b\n';
  const [p] = findings(text, 'stage-referenced-before-defined');
  assert.match(p.message, /'b' is defined later \(line 3\)/);
  assert.equal(p.severity, 'error');
});

test('stage-referenced-before-defined: fires on --from naming the current stage, by name or number', () => {
  const text = 'FROM alpine AS a\nCOPY --from=a /x /x\nCOPY --from=0 /y /y\n';
  const problems = findings(text, 'stage-referenced-before-defined');
  assert.equal(problems.length, 2);
  assert.match(problems[0].message, /cannot copy from itself/);
});

test('stage-referenced-before-defined: does not fire on earlier stages or images', () => {
  const text = 'FROM alpine AS a\nFROM alpine AS b\nCOPY --from=a /x /x\nCOPY --from=0 /x /x\nCOPY --from=nginx /x /x\n';
  assert.deepEqual(findings(text, 'stage-referenced-before-defined'), []);
});

test('duplicate-stage-name: fires on the second use of a name, case-insensitively', () => {
  const text = 'FROM alpine AS build\nFROM alpine AS Build\n';
  const [p, ...rest] = findings(text, 'duplicate-stage-name');
  assert.equal(rest.length, 0);
  assert.equal(p.range.start.line, 1);
  assert.match(p.message, /already used on line 1/);
});

test('duplicate-stage-name: does not fire on distinct names', () => {
  assert.deepEqual(findings('FROM alpine AS build\nFROM alpine AS builder\nFROM alpine\n', 'duplicate-stage-name'), []);
});

test('numeric-stage-reference: names an unnamed stage and rewrites every numeric reference', () => {
  const text = 'FROM golang:1.22\nRUN go build -o /app .\nFROM scratch\nCOPY --from=0 /app /app\nCOPY --from=0 /etc/ssl/certs /etc/ssl/certs\n';
  const problems = findings(text, 'numeric-stage-reference');
  assert.equal(problems.length, 2);
  const fixed = applyEdits(text, problems[0].fixes[0].edits);
  assert.equal(fixed, 'FROM golang:1.22 AS builder\nRUN go build -o /app .\nFROM scratch\nCOPY --from=builder /app /app\nCOPY --from=builder /etc/ssl/certs /etc/ssl/certs\n');
  assert.deepEqual(findings(fixed, 'numeric-stage-reference'), []);
  assert.deepEqual(findings(fixed, 'unknown-stage-reference'), []);
});

test('numeric-stage-reference: uses the existing name and avoids taken names', () => {
  const named = 'FROM alpine AS deps\nFROM alpine\nCOPY --from=0 /x /x\n';
  assert.equal(applyEdits(named, findings(named, 'numeric-stage-reference')[0].fixes[0].edits), 'FROM alpine AS deps\nFROM alpine\nCOPY --from=deps /x /x\n');
  const taken = 'FROM alpine\nFROM alpine AS builder\nCOPY --from=0 /x /x\n';
  const fixed = applyEdits(taken, findings(taken, 'numeric-stage-reference')[0].fixes[0].edits);
  assert.equal(fixed, 'FROM alpine AS builder-2\nFROM alpine AS builder\nCOPY --from=builder-2 /x /x\n');
});

test('numeric-stage-reference: does not fire on names or images', () => {
  assert.deepEqual(findings('FROM alpine AS a\nFROM alpine\nCOPY --from=a /x /x\nCOPY --from=nginx:1 /y /y\n', 'numeric-stage-reference'), []);
});

test('unused-stage: fires on a stage that does not reach the final stage, tagged unnecessary', () => {
  const text = 'FROM alpine AS test\nRUN echo test\nFROM golang AS build\nFROM scratch\nCOPY --from=build /a /a\n';
  const problems = findings(text, 'unused-stage');
  assert.equal(problems.length, 1);
  assert.equal(problems[0].range.start.line, 0);
  assert.equal(problems[0].unnecessary, true);
  assert.equal(problems[0].severity, 'hint');
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
  assert.deepEqual(findings(text, 'unused-stage'), []);
});

test('unused-stage: honours the configured target', () => {
  const text = 'FROM alpine AS dev\nFROM alpine AS prod\n';
  const problems = findings(text, 'unused-stage', { settings: { rules: {}, syntaxDiagnostics: true, target: 'dev' } });
  assert.equal(problems.length, 1);
  assert.equal(problems[0].range.start.line, 1);
  assert.deepEqual(findings(text, 'unused-stage', { settings: { rules: {}, syntaxDiagnostics: true, target: 'missing' } }), []);
});

test('syntax-error: fires on what the builder rejects', () => {
  const problems = findings('FROM alpine\nFROOM x\nCOPY onlyone\nEXPOSE abc\n', 'syntax-error');
  assert.deepEqual(problems.map((p) => p.range.start.line), [1, 2, 3]);
  assert.match(problems[0].message, /Unknown instruction: FROOM/);
});

test('syntax-error: does not fire on style issues or valid files, nor on duplicate stage names', () => {
  assert.deepEqual(findings('from alpine\nmaintainer me\nWORKDIR app\nFROM alpine AS a\nFROM alpine AS a\n', 'syntax-error'), []);
});

test('syntax-error: turned off with syntaxDiagnostics false', () => {
  assert.deepEqual(findings('FROOM x\n', 'syntax-error', { settings: { rules: {}, syntaxDiagnostics: false } }), []);
});
