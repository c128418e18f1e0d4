// The standard runner: @vscode/test-electron starts a desktop VS Code (VSCODE_EXECUTABLE, or one it
// downloads into .vscode-test/) with the extension under development and the same mocha suite. Used on
// machines that can download VS Code; never under CI=true (CI uses code-server). The Playwright UI smoke
// test needs the browser workbench, so it runs with the code-server runner only.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { judgeSuiteRun } from './suiteResults.mjs';
import { startLocalRegistry } from './localRegistry.mjs';
import { DOCKER, copyWorkspace, makeScratch, writeUserSettings } from './workspaceSetup.mjs';

const log = (line) => process.stdout.write(`${line}\n`);

export async function runTestElectronE2e({ root, fixture, suiteIndex, skipOrFail, tally }) {
  const { runTests, downloadAndUnzipVSCode } = await import('@vscode/test-electron');
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    skipOrFail('desktop VS Code needs a display on Linux: run under xvfb-run (or use MULTISTAGE_E2E_RUNNER=code-server)');
  }
  let vscodeExecutablePath = process.env.VSCODE_EXECUTABLE;
  if (!vscodeExecutablePath) {
    try {
      vscodeExecutablePath = await downloadAndUnzipVSCode({ cachePath: join(root, '.vscode-test') });
    } catch (err) {
      skipOrFail(`VS Code could not be downloaded (${String(err?.message ?? err).split('\n')[0]})`);
    }
  }
  const scratch = makeScratch();
  const resultsFile = join(scratch, 'results.json');
  const userData = join(scratch, 'user-data');
  writeUserSettings(userData, { 'multistage.docker.path': DOCKER });
  log(`e2e: VS Code ${vscodeExecutablePath}, scratch folder ${scratch}`);
  let code = 0;
  const started = Date.now();
  const registry = await startLocalRegistry(scratch);
  try {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: root,
      extensionTestsPath: suiteIndex,
      extensionTestsEnv: { MULTISTAGE_E2E_RESULTS: resultsFile, MULTISTAGE_E2E_REGISTRY: registry?.host ?? '', MULTISTAGE_E2E_DOCKER: DOCKER },
      launchArgs: [
        copyWorkspace(fixture, scratch, 'suite-workspace'),
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        `--user-data-dir=${userData}`,
        `--extensions-dir=${join(scratch, 'extensions')}`,
      ],
    });
  } catch (err) {
    // runTests rejects when VS Code exits non-zero; the results file says why.
    const exitCode = /code (\d+)/.exec(String(err));
    code = exitCode ? Number(exitCode[1]) : 1;
    log(`e2e: ${String(err?.message ?? err)}`);
  } finally {
    await registry?.stop();
  }
  const results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : undefined;
  const ok = judgeSuiteRun({ code, results }, { inCi: process.env.CI === 'true', log, tally: tally?.tests });
  // A passing run leaves nothing behind; a failing one keeps its logs, workspace and profile to look at.
  if (ok) rmSync(scratch, { recursive: true, force: true });
  else log(`e2e: kept ${scratch} for inspection`);
  log(`e2e: suite ran in ${((Date.now() - started) / 1000).toFixed(1)} s; UI smoke test: code-server runner only`);
  return ok;
}
