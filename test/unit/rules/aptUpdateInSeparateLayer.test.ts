import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catches, catchesNot, fixesTo } from '../../support/ruleSpec';

const RULE = 'apt-update-in-separate-layer';

test('apt-update-in-separate-layer: fires on RUN apt-get update followed by a separate install, and merges them', () => {
  const text = 'FROM debian:12\n# refresh\nRUN apt-get update -qq\nENV DEBIAN_FRONTEND=noninteractive\nRUN apt-get install -y curl\n';
  const [p] = catches(RULE, text);
  assert.equal(p.range.start.line, 2);
  assert.match(p.message, /line 5/);
  fixesTo(RULE, text, 'FROM debian:12\n# refresh\nENV DEBIAN_FRONTEND=noninteractive\nRUN apt-get update -qq && apt-get install -y curl\n', { safe: true });
});

test('apt-update-in-separate-layer: merge keeps env prefixes and continuation formatting of the install', () => {
  const text = 'FROM ubuntu\nRUN apt-get update\nRUN DEBIAN_FRONTEND=noninteractive apt-get install -y \\\n    curl\n';
  fixesTo(RULE, text, 'FROM ubuntu\nRUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y \\\n    curl\n');
});

test('apt-update-in-separate-layer: fires without a fix when the update RUN does more than update', () => {
  const text = 'FROM debian\nRUN apt-get update && echo ok\nRUN apt-get install -y x\n';
  const [p] = catches(RULE, text);
  assert.equal(p.fixes.length, 0);
});

test('apt-update-in-separate-layer: no fix when a RUN in between uses apt', () => {
  const text = 'FROM debian\nRUN apt-get update\nRUN apt-cache policy curl\nRUN apt-get install -y curl\n';
  const [p] = catches(RULE, text);
  assert.equal(p.fixes.length, 0);
});

test('apt-update-in-separate-layer: does not fire when update and install share a RUN (any form)', () => {
  catchesNot(RULE, [
    'FROM debian\nRUN apt-get update && apt-get install -y x\n',
    'FROM debian\nRUN apt-get update; apt-get -y install x\n',
    "FROM debian\nRUN sh -c 'apt-get update' && apt-get install -y x\n",
    'FROM debian\nRUN <<EOF\napt-get update\napt-get install -y x\nEOF\n',
    'FROM debian\nRUN apt-get update\n',
  ]);
});

test('apt-update-in-separate-layer: does not look into stages the build skips', () => {
  const text = 'FROM debian AS unused\nRUN apt-get update\nRUN apt-get install -y x\nFROM alpine\nRUN echo hi\n';
  catchesNot(RULE, text);
});
