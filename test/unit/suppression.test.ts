import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findings } from '../support/analysis';
import { analyze } from '../../server/src/analysis/analyze';

const BAD = 'FROM alpine AS a\nFROM alpine\nCOPY --from=0 /x /x\n';

test('suppression: # multistage-ignore above an instruction silences that rule there only', () => {
  const text = 'FROM alpine AS a\nFROM alpine\n# multistage-ignore numeric-stage-reference\nCOPY --from=0 /x /x\nCOPY --from=0 /y /y\n';
  const problems = findings(text, 'numeric-stage-reference');
  assert.deepEqual(problems.map((p) => p.range.start.line), [4]);
});

test('suppression: a list of ids, and other rules on the same line still fire', () => {
  const text = 'FROM alpine AS a\nFROM alpine\n# multistage-ignore unknown-stage-reference, numeric-stage-reference\nCOPY --from=0 /x /x\n';
  assert.deepEqual(findings(text, 'numeric-stage-reference'), []);
  const other = 'FROM alpine AS a\nFROM alpine\n# multistage-ignore unknown-stage-reference\nCOPY --from=0 /x /x\n';
  assert.equal(findings(other, 'numeric-stage-reference').length, 1);
});

test('suppression: # multistage-ignore-file silences a rule in the whole file', () => {
  assert.deepEqual(findings('# multistage-ignore-file numeric-stage-reference\n' + BAD, 'numeric-stage-reference'), []);
});

test('suppression: # hadolint ignore= silences the mapped rule, and global ignore the file', () => {
  const text = 'FROM alpine AS a\nFROM alpine AS A\n';
  assert.equal(findings(text, 'duplicate-stage-name').length, 1);
  assert.deepEqual(findings('FROM alpine AS a\n# hadolint ignore=DL3024\nFROM alpine AS A\n', 'duplicate-stage-name'), []);
  assert.deepEqual(findings('# hadolint global ignore=DL3008,DL3024\n' + text, 'duplicate-stage-name'), []);
  assert.equal(findings('FROM alpine AS a\n# hadolint ignore=DL3008\nFROM alpine AS A\n', 'duplicate-stage-name').length, 1);
});

test('suppression: ignore comments apply across continuation lines of one instruction', () => {
  const text = 'FROM alpine AS a\nFROM alpine\n# multistage-ignore numeric-stage-reference\nCOPY \\\n  --from=0 /x /x\n';
  assert.deepEqual(findings(text, 'numeric-stage-reference'), []);
});

test('severity overrides: off removes a rule, a severity replaces the default', () => {
  assert.deepEqual(analyze(BAD, { settings: { rules: { 'numeric-stage-reference': 'off' }, syntaxDiagnostics: true } }).problems.filter((p) => p.rule === 'numeric-stage-reference'), []);
  const [p] = analyze(BAD, { settings: { rules: { 'numeric-stage-reference': 'error' }, syntaxDiagnostics: true } }).problems.filter((x) => x.rule === 'numeric-stage-reference');
  assert.equal(p.severity, 'error');
});

test('analyze: a file above the size limit gets one informational problem, quickly', () => {
  const huge = 'RUN echo x\n'.repeat(250_000);
  const started = Date.now();
  const { problems } = analyze(huge);
  assert.equal(problems.length, 1);
  assert.equal(problems[0].rule, 'file-too-large');
  assert.equal(problems[0].severity, 'info');
  assert.ok(Date.now() - started < 1000);
});

test('hadolint pragmas: an ignore applies only to the instruction that starts on the very next line', () => {
  const untagged = 'FROM debian\n';
  assert.deepEqual(findings(`# hadolint ignore=DL3006\n${untagged}`, 'unpinned-base-image'), []);
  // A blank line, or another comment, between the pragma and the instruction: hadolint ignores nothing.
  assert.equal(findings(`# hadolint ignore=DL3006\n\n${untagged}`, 'unpinned-base-image').length, 1);
  assert.equal(findings(`# hadolint ignore=DL3006\n# why\n${untagged}`, 'unpinned-base-image').length, 1);
  // Only that instruction: the next one is reported again.
  const two = 'FROM debian:12\n# hadolint ignore=DL3009\nRUN apt-get update && apt-get install -y a\nRUN apt-get update && apt-get install -y b\n';
  assert.deepEqual(findings(two, 'apt-lists-not-removed').map((p) => p.range.start.line), [3]);
  // A finding on a continuation line belongs to its instruction (hadolint reports on the first line).
  assert.deepEqual(findings('FROM debian:12\n# hadolint ignore=DL3009\nRUN apt-get update && \\\n  apt-get install -y a\n', 'apt-lists-not-removed'), []);
});

test('hadolint pragmas: a code silences only the findings hadolint reports under it, not the rest of the rule', () => {
  // DL3007 is `:latest`; an untagged FROM is DL3006.
  assert.equal(findings('# hadolint ignore=DL3007\nFROM debian\n', 'unpinned-base-image').length, 1);
  assert.deepEqual(findings('# hadolint ignore=DL3007\nFROM debian:latest\n', 'unpinned-base-image'), []);
  // DL3060 is yarn's: the dnf finding in the same RUN stays (hadolint reports it as DL3040).
  const text = 'FROM fedora:40\n# hadolint ignore=DL3060\nRUN dnf install -y nodejs && yarn install\n';
  const problems = findings(text, 'package-cache-kept');
  assert.equal(problems.length, 1);
  assert.match(problems[0].message, /^dnf /);
  // npm has no hadolint code: no hadolint pragma silences it.
  assert.equal(findings('FROM node:20\n# hadolint ignore=DL3060,DL3040,DL3032,DL3036\nRUN npm ci\n', 'package-cache-kept').length, 1);
  // runs-as-root without any USER is not hadolint's DL3002 (which is about a USER root line).
  assert.equal(findings('# hadolint global ignore=DL3002\nFROM debian:12\nCMD ["bash"]\n', 'runs-as-root').length, 1);
  assert.deepEqual(findings('FROM debian:12\n# hadolint ignore=DL3002\nUSER root\n', 'runs-as-root'), []);
});

test('hadolint pragmas: unknown or malformed codes are treated as hadolint treats them', () => {
  // A well-formed but unknown code silences nothing, and does not spoil the known ones beside it.
  assert.deepEqual(findings('# hadolint ignore=DL9999,DL3006\nFROM debian\n', 'unpinned-base-image'), []);
  // Anything but D, L, S, C and digits makes the whole comment no pragma (hadolint's parser fails).
  assert.equal(findings('# hadolint ignore=DL3006,foo\nFROM debian\n', 'unpinned-base-image').length, 1);
  assert.equal(findings('# hadolint ignore=dl3006\nFROM debian\n', 'unpinned-base-image').length, 1);
  assert.equal(findings('# hadolint ignore=DL3006 because\nFROM debian\n', 'unpinned-base-image').length, 1);
  // Spaces and tabs around the parts, and a trailing # note, are fine.
  assert.deepEqual(findings('#hadolint   ignore = DL3008 ,\tDL3006 # old base\nFROM debian\n', 'unpinned-base-image'), []);
});

test('hadolint pragmas: stage ignore covers the stage below it until the next FROM', () => {
  const text = [
    '# hadolint stage ignore=DL3009',
    'FROM debian:12 AS build',
    'RUN apt-get update && apt-get install -y a',
    'RUN apt-get update && apt-get install -y b',
    'FROM build',
    'RUN apt-get update && apt-get install -y c',
    '',
  ].join('\n');
  assert.deepEqual(findings(text, 'apt-lists-not-removed').map((p) => p.range.start.line), [5]);
  // Mid-stage: from the instruction after the next line on (hadolint's reach, kept).
  const mid = 'FROM debian:12\nRUN apt-get update && apt-get install -y a\n# hadolint stage ignore=DL3009\nRUN apt-get update && apt-get install -y b\nRUN apt-get update && apt-get install -y c\n';
  assert.deepEqual(findings(mid, 'apt-lists-not-removed').map((p) => p.range.start.line), [1, 3]);
});

test('hadolint pragmas: a # hadolint line in a here-document is its content, not a pragma', () => {
  assert.equal(findings('FROM debian:12\nCOPY <<EOF /etc/x\n# hadolint global ignore=DL3006\nEOF\nFROM ubuntu\n', 'unpinned-base-image').length, 1);
  assert.deepEqual(findings('FROM debian:12\n# hadolint global ignore=DL3006\nFROM ubuntu\n', 'unpinned-base-image'), []);
});

test('multistage-ignore keeps its behaviour: any comment line of the block above, by rule id', () => {
  const text = 'FROM debian:12\n# multistage-ignore apt-lists-not-removed\n# why: the lists are needed later\nRUN apt-get update && apt-get install -y a\n';
  assert.deepEqual(findings(text, 'apt-lists-not-removed'), []);
});
