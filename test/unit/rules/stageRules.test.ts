// The stage-graph rules that have no file of their own: stage-referenced-before-defined,
// duplicate-stage-name and numeric-stage-reference (unused-stage and syntax-error have theirs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catches, catchesNot, fixesTo } from '../../support/ruleSpec';

test('stage-referenced-before-defined: fires on --from naming a later stage', () => {
  const text = 'FROM alpine AS a\nCOPY --from=b /x /x\nFROM alpine AS b\n';
  const [p] = catches('stage-referenced-before-defined', text);
  assert.match(p.message, /'b' is defined later \(line 3\)/);
  assert.equal(p.severity, 'error');
});

test('stage-referenced-before-defined: fires on --from naming the current stage, by name or number', () => {
  const text = 'FROM alpine AS a\nCOPY --from=a /x /x\nCOPY --from=0 /y /y\n';
  const problems = catches('stage-referenced-before-defined', text, { count: 2 });
  assert.match(problems[0].message, /cannot copy from itself/);
});

test('stage-referenced-before-defined: does not fire on earlier stages or images', () => {
  catchesNot('stage-referenced-before-defined', 'FROM alpine AS a\nFROM alpine AS b\nCOPY --from=a /x /x\nCOPY --from=0 /x /x\nCOPY --from=nginx /x /x\n');
});

test('duplicate-stage-name: fires on the second use of a name, case-insensitively', () => {
  const [p] = catches('duplicate-stage-name', 'FROM alpine AS build\nFROM alpine AS Build\n');
  assert.equal(p.range.start.line, 1);
  assert.match(p.message, /already used on line 1/);
});

test('duplicate-stage-name: does not fire on distinct names', () => {
  catchesNot('duplicate-stage-name', 'FROM alpine AS build\nFROM alpine AS builder\nFROM alpine\n');
});

test('numeric-stage-reference: names an unnamed stage and rewrites every numeric reference', () => {
  const text = 'FROM golang:1.22\nRUN go build -o /app .\nFROM scratch\nCOPY --from=0 /app /app\nCOPY --from=0 /etc/ssl/certs /etc/ssl/certs\n';
  catches('numeric-stage-reference', text, { count: 2 });
  const fixed = fixesTo('numeric-stage-reference', text, 'FROM golang:1.22 AS builder\nRUN go build -o /app .\nFROM scratch\nCOPY --from=builder /app /app\nCOPY --from=builder /etc/ssl/certs /etc/ssl/certs\n');
  catchesNot('unknown-stage-reference', fixed);
});

test('numeric-stage-reference: uses the existing name and avoids taken names', () => {
  fixesTo('numeric-stage-reference', 'FROM alpine AS deps\nFROM alpine\nCOPY --from=0 /x /x\n', 'FROM alpine AS deps\nFROM alpine\nCOPY --from=deps /x /x\n');
  fixesTo('numeric-stage-reference', 'FROM alpine\nFROM alpine AS builder\nCOPY --from=0 /x /x\n', 'FROM alpine AS builder-2\nFROM alpine AS builder\nCOPY --from=builder-2 /x /x\n');
});

test('numeric-stage-reference: does not fire on names or images', () => {
  catchesNot('numeric-stage-reference', 'FROM alpine AS a\nFROM alpine\nCOPY --from=a /x /x\nCOPY --from=nginx:1 /y /y\n');
});
