#!/usr/bin/env node
// `npm run test:e2e` (and the last step of `npm test`): the end-to-end suite inside a real VS Code.
// Picks the runner the machine can use and says which:
//   code-server  (runners/codeServer.mjs)  always under CI=true; here, where VS Code cannot be downloaded
//   electron     (runners/testElectron.mjs) with VSCODE_EXECUTABLE, or when update.code.visualstudio.com answers
// MULTISTAGE_E2E_RUNNER=code-server|electron forces one (outside CI). MULTISTAGE_E2E_UI=0 skips the UI
// smoke test (outside CI). A missing part is SKIPPED loudly outside CI and a failure under CI=true.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:https';
import { buildForE2e, ROOT } from './build.mjs';
import { newTally } from './runners/suiteResults.mjs';

const IN_CI = process.env.CI === 'true';

function canDownloadVsCode() {
  return new Promise((resolve) => {
    const req = request('https://update.code.visualstudio.com/api/releases/stable', { method: 'HEAD', timeout: 3000 }, (res) => {
      res.resume();
      resolve((res.statusCode ?? 500) < 400);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
    req.end();
  });
}

async function chooseRunner() {
  const forced = process.env.MULTISTAGE_E2E_RUNNER;
  if (IN_CI) {
    if (forced && forced !== 'code-server') throw new Error(`CI=true runs the e2e suite in code-server, not ${forced}`);
    return { name: 'code-server', why: 'CI=true always uses code-server' };
  }
  if (forced === 'code-server' || forced === 'electron') return { name: forced, why: 'MULTISTAGE_E2E_RUNNER' };
  if (forced) throw new Error(`MULTISTAGE_E2E_RUNNER must be code-server or electron, not ${forced}`);
  if (process.env.VSCODE_EXECUTABLE) return { name: 'electron', why: `VSCODE_EXECUTABLE=${process.env.VSCODE_EXECUTABLE}` };
  if (await canDownloadVsCode()) return { name: 'electron', why: 'VS Code can be downloaded (update.code.visualstudio.com answers)' };
  return { name: 'code-server', why: 'VS Code cannot be downloaded here (update.code.visualstudio.com unreachable)' };
}

// What ran, for the closing line and for test/run.mjs (MULTISTAGE_E2E_SUMMARY names a JSON file to write).
const tally = { tests: newTally(), steps: newTally() };
const count = (t, noun) => `${t.passed + t.failed + t.skipped} ${noun} (${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped)`;
function writeSummary(extra) {
  if (process.env.MULTISTAGE_E2E_SUMMARY) writeFileSync(process.env.MULTISTAGE_E2E_SUMMARY, JSON.stringify({ ...tally, ...extra }));
}

function skipOrFail(message) {
  writeSummary({ skippedSuite: !IN_CI, reason: message });
  if (IN_CI) {
    process.stderr.write(`\ne2e: FAILED: ${message} (CI=true: a missing part is a failure)\n`);
    process.exit(1);
  }
  process.stderr.write(`\n*** e2e: SKIPPED: ${message} ***\n*** The VS Code end-to-end suite did NOT run. ***\n`);
  process.exit(0);
}

const started = Date.now();
const runner = await chooseRunner().catch((err) => {
  process.stderr.write(`e2e: FAILED: ${err.message}\n`);
  process.exit(1);
});
process.stdout.write(`e2e: runner ${runner.name} (${runner.why})\n`);

const options = {
  root: ROOT,
  fixture: join(ROOT, 'test/fixtures/e2e-workspace'),
  screenshots: join(ROOT, 'test/e2e/screenshots'),
  ui: IN_CI || process.env.MULTISTAGE_E2E_UI !== '0',
  skipOrFail,
  tally,
};
let ok;
try {
  const built = await buildForE2e();
  options.suiteIndex = built.suiteIndex;
  if (runner.name === 'code-server') {
    const { runCodeServerE2e } = await import('./runners/codeServer.mjs');
    ok = await runCodeServerE2e(options);
  } else {
    const { runTestElectronE2e } = await import('./runners/testElectron.mjs');
    ok = await runTestElectronE2e(options);
  }
} catch (err) {
  process.stderr.write(`e2e: ${err?.stack ?? err}\n`);
  ok = false;
}
writeSummary({ ok });
process.stdout.write(
  `e2e: ${ok ? 'PASSED' : 'FAILED'} with ${runner.name} in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
    `${count(tally.tests, 'tests')}, ${count(tally.steps, 'UI steps')}\n`,
);
process.exit(ok ? 0 : 1);
