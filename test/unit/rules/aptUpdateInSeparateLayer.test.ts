import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../server/src/analysis/analyze';
import { applyEdits, findings } from '../../support/analysis';

const RULE = 'apt-update-in-separate-layer';

test('apt-update-in-separate-layer: fires on RUN apt-get update followed by a separate install, and merges them', () => {
  const text = 'FROM debian:12\n# refresh\nRUN apt-get update -qq\nENV DEBIAN_FRONTEND=noninteractive\nRUN apt-get install -y curl\n';
  const [p, ...rest] = findings(text, RULE);
  assert.equal(rest.length, 0);
  assert.equal(p.range.start.line, 2);
  assert.match(p.message, /line 5/);
  assert.equal(p.fixes[0].safe, true);
  const fixed = applyEdits(text, p.fixes[0].edits);
  assert.equal(fixed, 'FROM debian:12\n# refresh\nENV DEBIAN_FRONTEND=noninteractive\nRUN apt-get update -qq && apt-get install -y curl\n');
  assert.deepEqual(findings(fixed, RULE), []);
  assert.equal(analyze(fixed).problems.filter((x) => x.severity === 'error').length, 0);
});

test('apt-update-in-separate-layer: merge keeps env prefixes and continuation formatting of the install', () => {
  const text = 'FROM ubuntu\nRUN apt-get update\nRUN DEBIAN_FRONTEND=noninteractive apt-get install -y \\\n    curl\n';
  const [p] = findings(text, RULE);
  const fixed = applyEdits(text, p.fixes[0].edits);
  assert.equal(fixed, 'FROM ubuntu\nRUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y \\\n    curl\n');
});

test('apt-update-in-separate-layer: fires without a fix when the update RUN does more than update', () => {
  const text = 'FROM debian\nRUN apt-get update && echo ok\nRUN apt-get install -y x\n';
  const [p] = findings(text, RULE);
  assert.ok(p);
  assert.equal(p.fixes.length, 0);
});

test('apt-update-in-separate-layer: no fix when a RUN in between uses apt', () => {
  const text = 'FROM debian\nRUN apt-get update\nRUN apt-cache policy curl\nRUN apt-get install -y curl\n';
  const [p] = findings(text, RULE);
  assert.equal(p.fixes.length, 0);
});

test('apt-update-in-separate-layer: does not fire when update and install share a RUN (any form)', () => {
  for (const text of [
    'FROM debian\nRUN apt-get update && apt-get install -y x\n',
    'FROM debian\nRUN apt-get update; apt-get -y install x\n',
    "FROM debian\nRUN sh -c 'apt-get update' && apt-get install -y x\n",
    'FROM debian\nRUN <<EOF\napt-get update\napt-get install -y x\nEOF\n',
    'FROM debian\nRUN apt-get update\n',
  ]) assert.deepEqual(findings(text, RULE), [], text);
});

test('apt-update-in-separate-layer: does not look into stages the build skips', () => {
  const text = 'FROM debian AS unused\nRUN apt-get update\nRUN apt-get install -y x\nFROM alpine\nRUN echo hi\n';
  assert.deepEqual(findings(text, RULE), []);
});
