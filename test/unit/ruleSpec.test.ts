// The shared rule-spec helpers must be able to fail: each check is shown catching what it exists for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allRules } from '../../server/src/analysis/rules';
import { assertStillParses, catches, catchesNot, fixesTo } from '../support/ruleSpec';

const TWO_INSTALLS = 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN apt-get update && apt-get install -y git\n';

test('ruleSpec: catches demands the exact number of findings, catchesNot none', () => {
  assert.equal(catches('apt-lists-not-removed', TWO_INSTALLS, { count: 2 }).length, 2);
  assert.throws(() => catches('apt-lists-not-removed', TWO_INSTALLS), /should report 1 finding/);
  assert.throws(() => catchesNot('apt-lists-not-removed', ['FROM debian:12\n', TWO_INSTALLS]), /should not report anything/);
  catchesNot('apt-lists-not-removed', 'FROM debian:12\n');
});

test('ruleSpec: fixesTo fails when the rule still reports after the fix, or when a second pass would fix more', () => {
  assert.throws(() => fixesTo('apt-lists-not-removed', TWO_INSTALLS), /still reports after the fix/);
  // Expecting the second RUN's finding to remain is not enough: its fix would change the text again.
  assert.throws(() => fixesTo('apt-lists-not-removed', TWO_INSTALLS, undefined, { remaining: 1 }), /a second time changed the text/);
  fixesTo('apt-lists-not-removed', TWO_INSTALLS, /curl && rm -rf \/var\/lib\/apt\/lists\/\*\nRUN .* git && rm -rf/, { finding: 'all' });
});

test('ruleSpec: fixesTo checks the expected text, the safe flag, and that there is a fix to apply', () => {
  const text = 'FROM alpine:3.20\nRUN apk add curl\n';
  assert.throws(() => fixesTo('apk-cache-kept', text, 'FROM alpine:3.20\nRUN apk add curl\n'));
  assert.throws(() => fixesTo('apk-cache-kept', text, /--no-cache-dir/));
  assert.throws(() => fixesTo('apk-cache-kept', text, undefined, { safe: false }), /safe flag/);
  assert.throws(() => fixesTo('apk-cache-kept', 'FROM alpine:3.20\n'), /should report a finding to fix/);
  assert.throws(() => fixesTo('apk-cache-kept', text, undefined, { fix: 3 }), /should offer fix #3/);
});

test('ruleSpec: assertStillParses rejects a new builder error, a new error finding, or a changed stage count', () => {
  const text = 'FROM alpine AS build\nRUN true\nFROM alpine\nCOPY --from=build /a /a\n';
  assertStillParses(text, text.replace('RUN true', 'RUN false'));
  assert.throws(() => assertStillParses(text, text.replace('RUN true', 'RUNN true')), /builder error/);
  assert.throws(() => assertStillParses(text, text.replace('--from=build', '--from=buidl')), /introduced an error/);
  assert.throws(() => assertStillParses(text, `${text}FROM alpine\n`), /number of stages/);
  // An error the input already had is not the edit's fault.
  assertStillParses('FROOM x\nFROM alpine\n', 'FROOM x\nFROM alpine\nRUN true\n');
});

test('ruleSpec: every registered rule has a spec under test/unit/rules that both catches and does not catch', () => {
  const dir = join(__dirname, 'rules');
  const called = new Set<string>(); // "helper rule-id" for every call found
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.test.ts'))) {
    const spec = readFileSync(join(dir, file), 'utf8');
    const constant = /^const RULE = '([a-z-]+)';$/m.exec(spec)?.[1];
    for (const [, helper, rule] of spec.matchAll(/\b(catches|catchesNot)\((RULE|'[a-z-]+'),/g)) {
      called.add(`${helper} ${rule === 'RULE' ? constant : rule.slice(1, -1)}`);
    }
  }
  const missing = allRules.flatMap(({ id }) => ['catches', 'catchesNot'].filter((h) => !called.has(`${h} ${id}`)).map((h) => `${id}: no ${h}`));
  assert.deepEqual(missing, []);
});
