// The articles the product grew from (../shared/seeds/*.txt), as fixtures: each "before" Dockerfile must
// produce the findings its article describes, and each "after" Dockerfile must be quiet at warning level
// for every rule. Where an article's own after-file leaves something the SPEC flags (most often: no USER),
// expected.json names it under knownGaps with the reason, and the test checks that it really fires, so
// the list cannot silently go stale.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyze } from '../../server/src/analysis/analyze';
import { SEVERITY_ORDER } from '../../server/src/analysis/types';
import { memoryContext } from '../support/analysis';

const SEEDS = join(__dirname, '../fixtures/seeds');

interface Expected {
  source: string;
  fires?: string[];
  why?: string;
  knownGaps?: Record<string, string>;
  extraContextFiles?: Record<string, string>;
  /** Findings the article describes that a rule does not produce yet (with the reason); checked both ways. */
  notYetDetected?: Record<string, string>;
}

function contextOf(dir: string, extra: Record<string, string> = {}) {
  const files: Record<string, string> = { ...extra };
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const full = join(folder, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name !== 'expected.json') files[relative(dir, full).split('\\').join('/')] = readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return { ...memoryContext(files, dir), dockerfile: 'Dockerfile' };
}

const fixtures = readdirSync(SEEDS).filter((name) => statSync(join(SEEDS, name)).isDirectory()).sort();

test('seeds: every article has at least one fixture, and there are before and after fixtures', () => {
  const sources = new Set(fixtures.map((name) => (JSON.parse(readFileSync(join(SEEDS, name, 'expected.json'), 'utf8')) as Expected).source));
  assert.equal(sources.size, 5);
  assert.ok(fixtures.filter((f) => f.endsWith('-before')).length >= 4);
  assert.ok(fixtures.filter((f) => f.endsWith('-after')).length >= 5);
});

for (const name of fixtures) {
  const dir = join(SEEDS, name);
  const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected;
  const text = readFileSync(join(dir, 'Dockerfile'), 'utf8');
  const run = () => {
    const result = analyze(text, { context: contextOf(dir, expected.extraContextFiles) });
    assert.deepEqual(result.ruleErrors, []);
    return result.problems;
  };

  if (name.endsWith('-before')) {
    test(`seeds: ${name} produces the findings its article describes (${expected.fires!.join(', ')})`, (t) => {
      const fired = new Set(run().map((p) => p.rule));
      for (const rule of expected.fires!) assert.ok(fired.has(rule), `${rule} should fire: the article says ${expected.why}`);
      for (const [rule, reason] of Object.entries(expected.notYetDetected ?? {})) {
        assert.ok(!fired.has(rule), `${rule} fires now: move it from notYetDetected to fires in ${name}/expected.json`);
        t.diagnostic(`not yet detected: ${rule} (${reason})`);
      }
    });
  } else {
    test(`seeds: ${name} is quiet at warning level${expected.knownGaps && Object.keys(expected.knownGaps).length ? ` apart from ${Object.keys(expected.knownGaps).join(', ')}` : ''}`, () => {
      const problems = run();
      const loud = problems.filter((p) => SEVERITY_ORDER[p.severity] >= SEVERITY_ORDER.warning && !(p.rule in (expected.knownGaps ?? {})));
      assert.deepEqual(loud.map((p) => `${p.rule} @${p.range.start.line + 1}: ${p.message}`), []);
      for (const gap of Object.keys(expected.knownGaps ?? {})) {
        assert.ok(problems.some((p) => p.rule === gap), `knownGaps lists ${gap}, which no longer fires: remove it from ${name}/expected.json`);
      }
    });
  }
}
