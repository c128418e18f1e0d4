// Fix all on many problems: the chosen fixes are checked together, and split in halves only to find the
// ones that break the file, so 1,000 fixes cost a few validations, not 1,000 (which took 25 s).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixAllSteps, fixAllText } from '../../server/src/analysis/fixAll';
import { validateDockerfile } from '../../server/src/analysis/builderValidation';
import type { Rule } from '../../server/src/analysis/types';
import { fixableDockerfile } from '../../bench/syntheticDockerfile';

test('fix-all: 1,000 fixable lines are all fixed, in one pass of a few validations, well within a second or two', () => {
  const text = fixableDockerfile(1000);
  fixAllText(fixableDockerfile(50)); // warm-up
  const started = performance.now();
  const { text: fixed, applied } = fixAllText(text);
  const ms = performance.now() - started;
  assert.equal(applied.length, 1000);
  assert.equal(fixAllText(fixed).applied.length, 0, 'a second fix-all finds nothing');
  assert.ok(validateDockerfile(fixed).every((d) => d.severity !== 1));
  // Per-fix validation took 25 s here (2 cores, loaded); linear work takes 0.3-3 s depending on the load.
  assert.ok(ms < 10_000, `${ms.toFixed(0)} ms`);
});

test('fix-all: among 400 fixes, the 3 that would break the file are found and left out; the other 397 are applied', () => {
  const at = (line: number, character: number) => ({ line, character });
  const bad = new Set([7, 200, 391]);
  const rule: Rule = {
    id: 'test-rule', defaultSeverity: 'warning', summary: 'test',
    check: (model) => model.text.split('\n').flatMap((line, i) => (line === 'LABEL a=b'
      ? [{ range: { start: at(i, 0), end: at(i, 9) }, message: 'x', fixes: [{ title: 'fix', safe: true, edits: [{ range: { start: at(i, 0), end: at(i, 9) }, newText: bad.has(i) ? 'FROOM x' : 'LABEL a=c' }] }] }]
      : [])),
  };
  const text = `FROM alpine\n${'LABEL a=b\n'.repeat(400)}`;
  const steps = fixAllSteps(text, {}, [rule]);
  let yields = 0;
  let result;
  for (;;) {
    const step = steps.next();
    if (step.done) {
      result = step.value;
      break;
    }
    yields++;
  }
  assert.equal(result.applied.length, 397);
  const lines = result.text.split('\n');
  for (const i of bad) assert.equal(lines[i], 'LABEL a=b', `line ${i} kept`);
  assert.equal(lines.filter((l) => l === 'LABEL a=c').length, 397);
  // Each bad fix costs about log2(400) ≈ 9 halvings: far fewer checks than 400.
  assert.ok(yields < 100, `${yields} steps`);
});

test('fix-all: it yields between steps, and no step on 1,000 fixable lines is long', () => {
  const text = fixableDockerfile(1000);
  fixAllText(text); // warm-up: the server runs warm
  const steps = fixAllSteps(text);
  const durations: number[] = [];
  let last = performance.now();
  for (;;) {
    const step = steps.next();
    const now = performance.now();
    durations.push(now - last);
    last = now;
    if (step.done) break;
  }
  assert.ok(durations.length >= 4, `${durations.length} steps`);
  const longest = Math.max(...durations);
  assert.ok(longest < 3000, `longest step ${longest.toFixed(0)} ms`);
});

test('fix-all runner (sources, no worker bundle): runs the steps with turns of the event loop, and stops when told the text is stale', async () => {
  const { FixAllRunner } = await import('../../server/src/handlers/fixAllRunner');
  const { DEFAULT_SETTINGS } = await import('../../server/src/analysis/types');
  const runner = new FixAllRunner(() => undefined);
  const text = fixableDockerfile(40);
  const ctx = { settings: DEFAULT_SETTINGS };
  assert.equal(await runner.run(text, ctx, () => false), fixAllText(text).text);
  let checks = 0;
  assert.equal(await runner.run(text, ctx, () => ++checks > 2), undefined);
  assert.ok(checks >= 3);
  runner.dispose();
});
