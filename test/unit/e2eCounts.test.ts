// The e2e runner counts what ran (mocha tests in the extension host, UI steps in the browser) instead of
// calling the whole suite "1 passed", and test/run.mjs adds those counts to the totals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: a plain .mjs module without types
import { addE2eTotals, judgeSuiteRun, newTally } from '../e2e/runners/suiteResults.mjs';

const ROOT = join(__dirname, '..', '..');

test('judgeSuiteRun: fills the tally from the suite results', () => {
  const tally = newTally();
  const lines: string[] = [];
  const results = {
    files: ['a.test.js'],
    outcomes: [
      { title: 'a 1', state: 'passed' }, { title: 'a 2', state: 'passed' }, { title: 'a 3', state: 'failed', error: 'boom' }, { title: 'a 4', state: 'pending' },
    ],
  };
  assert.equal(judgeSuiteRun({ code: 0, results }, { inCi: false, log: (l: string) => lines.push(l), tally }), false);
  assert.deepEqual(tally, { passed: 2, failed: 1, skipped: 1 });
  const none = newTally();
  assert.equal(judgeSuiteRun({ code: 1, results: undefined }, { inCi: false, log: () => {}, tally: none }), false);
  assert.deepEqual(none, { passed: 0, failed: 1, skipped: 0 }, 'a suite that wrote nothing is a failure in the totals');
});

test('e2e runner: a skipped run says so in its summary file (test/run.mjs counts it as one skipped)', () => {
  // The desktop runner without a display skips outside CI, after building the suite.
  const summary = join(mkdtempSync(join(tmpdir(), 'multistage-e2e-count-')), 'summary.json');
  const r = spawnSync(process.execPath, ['test/e2e/run.mjs'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, CI: '', DISPLAY: '', WAYLAND_DISPLAY: '', VSCODE_EXECUTABLE: '/nonexistent/code', MULTISTAGE_E2E_RUNNER: 'electron', MULTISTAGE_E2E_SUMMARY: summary },
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /e2e: SKIPPED: desktop VS Code needs a display/);
  const written = JSON.parse(readFileSync(summary, 'utf8'));
  assert.equal(written.skippedSuite, true);
  assert.deepEqual(written.tests, { passed: 0, failed: 0, skipped: 0 });
});

test('addE2eTotals: every test and step joins the totals; a skipped or silent run counts once', () => {
  const totals = { passed: 10, failed: 0, skipped: 0 };
  addE2eTotals(totals, { tests: { passed: 21, failed: 1, skipped: 0 }, steps: { passed: 7, failed: 0, skipped: 2 } }, false);
  assert.deepEqual(totals, { passed: 38, failed: 1, skipped: 2 });
  const skipped = { passed: 0, failed: 0, skipped: 0 };
  addE2eTotals(skipped, { skippedSuite: true, tests: newTally(), steps: newTally() }, true);
  assert.deepEqual(skipped, { passed: 0, failed: 0, skipped: 1 });
  const silent = { passed: 0, failed: 0, skipped: 0 };
  addE2eTotals(silent, undefined, false);
  assert.deepEqual(silent, { passed: 0, failed: 1, skipped: 0 });
  const crashed = { passed: 0, failed: 0, skipped: 0 };
  addE2eTotals(crashed, { tests: { passed: 3, failed: 0, skipped: 0 }, steps: newTally() }, false);
  assert.deepEqual(crashed, { passed: 3, failed: 1, skipped: 0 }, 'failed without a failing test: one failure');
});
