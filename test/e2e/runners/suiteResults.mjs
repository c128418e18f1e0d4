// How both runners judge a suite run: the extension host's exit code alone is not enough (a suite that
// loaded no tests also exits 0), so the summary the suite wrote must exist, list passing tests and no
// failures; pending (skipped) tests fail under CI=true.

/** Counts of one part of the run (mocha tests or UI steps), filled in as the run goes. */
export function newTally() {
  return { passed: 0, failed: 0, skipped: 0 };
}

export function judgeSuiteRun({ code, results }, { inCi, log, tally }) {
  const problems = [];
  if (code !== 0) problems.push(`the extension host exited with ${code}`);
  if (!results) {
    problems.push('the suite wrote no results file (did it load at all?)');
  } else {
    const by = (state) => results.outcomes.filter((o) => o.state === state);
    const passed = by('passed');
    const failed = by('failed');
    const pending = by('pending');
    if (tally) Object.assign(tally, { passed: passed.length, failed: failed.length, skipped: pending.length });
    log(`e2e suite: ${passed.length} passed, ${failed.length} failed, ${pending.length} skipped (files: ${results.files.join(', ')})`);
    for (const o of failed) log(`  FAILED ${o.title}\n    ${String(o.error).split('\n').slice(0, 8).join('\n    ')}`);
    for (const o of pending) log(`  SKIPPED ${o.title}`);
    if (passed.length === 0) problems.push('no test passed');
    if (failed.length > 0) problems.push(`${failed.length} test(s) failed`);
    if (pending.length > 0 && inCi) problems.push(`${pending.length} test(s) skipped under CI=true`);
  }
  // A suite that never reported counts as one failed test, so the totals cannot read as all green.
  if (tally && !results) tally.failed = Math.max(tally.failed, 1);
  for (const p of problems) log(`e2e suite: ${p}`);
  return problems.length === 0;
}

/**
 * Adds what the e2e run reported (its summary file, or undefined when it wrote none) to npm test's
 * totals: each mocha test and each UI step counts once; a run that skipped as a whole counts as one
 * skipped; a runner that died silently, or failed without a failing test, as one failure.
 */
export function addE2eTotals(totals, summary, e2eOk) {
  if (!summary) {
    totals.failed++;
    return;
  }
  if (summary.skippedSuite) {
    totals.skipped++;
    return;
  }
  for (const part of [summary.tests, summary.steps]) {
    totals.passed += part.passed;
    totals.failed += part.failed;
    totals.skipped += part.skipped;
  }
  if (!e2eOk && summary.tests.failed + summary.steps.failed === 0) totals.failed++;
}
