// How both runners judge a suite run: the extension host's exit code alone is not enough (a suite that
// loaded no tests also exits 0), so the summary the suite wrote must exist, list passing tests and no
// failures; pending (skipped) tests fail under CI=true.

export function judgeSuiteRun({ code, results }, { inCi, log }) {
  const problems = [];
  if (code !== 0) problems.push(`the extension host exited with ${code}`);
  if (!results) {
    problems.push('the suite wrote no results file (did it load at all?)');
  } else {
    const by = (state) => results.outcomes.filter((o) => o.state === state);
    const passed = by('passed');
    const failed = by('failed');
    const pending = by('pending');
    log(`e2e suite: ${passed.length} passed, ${failed.length} failed, ${pending.length} skipped (files: ${results.files.join(', ')})`);
    for (const o of failed) log(`  FAILED ${o.title}\n    ${String(o.error).split('\n').slice(0, 8).join('\n    ')}`);
    for (const o of pending) log(`  SKIPPED ${o.title}`);
    if (passed.length === 0) problems.push('no test passed');
    if (failed.length > 0) problems.push(`${failed.length} test(s) failed`);
    if (pending.length > 0 && inCi) problems.push(`${pending.length} test(s) skipped under CI=true`);
  }
  for (const p of problems) log(`e2e suite: ${p}`);
  return problems.length === 0;
}
