// The code-server runner (used here and in CI): one code-server and one chromium for the whole run;
// first the mocha suite in the extension host, then the Playwright UI smoke test in a fresh workbench,
// then a few UI steps in a second code-server with workspace trust on, in a folder it does not trust.
// Everything listens on 127.0.0.1 and is stopped (process groups, browser.close) in finally blocks.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, locateCodeServer, runSuiteInCodeServer, startCodeServer, workbenchUrl } from './codeServerProcess.mjs';
import { DOCKER, copyWorkspace, makeScratch } from './workspaceSetup.mjs';
import { judgeSuiteRun } from './suiteResults.mjs';
import { startLocalRegistry } from './localRegistry.mjs';
import { UI_SMOKE, UI_UNTRUSTED } from '../build.mjs';

const IN_CI = process.env.CI === 'true';
const log = (line) => process.stdout.write(`${line}\n`);

export async function runCodeServerE2e({ root, fixture, suiteIndex, screenshots, ui, skipOrFail, tally }) {
  const found = locateCodeServer();
  if (!found.ok) skipOrFail(`${found.missing.join(', ')} missing; run test/setup/e2e.sh`);

  const scratch = makeScratch();
  const resultsFile = join(scratch, 'results.json');
  log(`e2e: scratch folder ${scratch}`);
  let server;
  let browser;
  let registry;
  let keepScratch = true;
  try {
    registry = await startLocalRegistry(scratch);
    log(registry ? `e2e: docker-registry on ${registry.host}` : 'e2e: no docker-registry (test/setup/registry.sh): size hover tests cannot run');
    const t0 = Date.now();
    server = await startCodeServer({
      node: found.node,
      entry: found.entry,
      scratch,
      // Read by test/e2e/suite/index.ts inside the extension host, which inherits code-server's environment.
      env: { MULTISTAGE_E2E_RESULTS: resultsFile, MULTISTAGE_E2E_REGISTRY: registry?.host ?? '', MULTISTAGE_E2E_DOCKER: DOCKER },
      userSettings: { 'multistage.docker.path': DOCKER },
    });
    log(`e2e: code-server listening on 127.0.0.1:${server.port} after ${Date.now() - t0} ms (log: ${server.logFile})`);
    browser = await launchChromium();

    const t1 = Date.now();
    const suiteRun = await runSuiteInCodeServer({
      browser,
      port: server.port,
      folder: copyWorkspace(fixture, scratch, 'suite-workspace'),
      extensionPath: root,
      testsPath: suiteIndex,
      resultsFile,
      consoleFile: join(scratch, 'workbench-console.log'),
      timeoutMs: Number(process.env.MULTISTAGE_E2E_SUITE_TIMEOUT_MS ?? 600_000),
      log: (line) => log(`  ${line}`),
    });
    let ok = judgeSuiteRun(suiteRun, { inCi: IN_CI, log, tally: tally?.tests });
    if (!ok) log(`e2e: workbench console: ${join(scratch, 'workbench-console.log')}, code-server log: ${server.logFile}`);
    log(`e2e: suite ran in ${((Date.now() - t1) / 1000).toFixed(1)} s`);

    if (ui) {
      mkdirSync(screenshots, { recursive: true });
      const { runUiSmoke } = await import(UI_SMOKE);
      const t2 = Date.now();
      const uiOk = await runUiSmoke({
        browser,
        root,
        docker: DOCKER,
        registryHost: registry?.host,
        workbenchUrl: (folder) => workbenchUrl(server.port, { folder, extensionPath: root }),
        folder: copyWorkspace(fixture, scratch, 'ui-workspace'),
        screenshots,
        inCi: IN_CI,
        log,
        tally: tally?.steps,
      });
      log(`e2e: UI smoke test ${uiOk ? 'passed' : 'FAILED'} in ${((Date.now() - t2) / 1000).toFixed(1)} s`);
      const t3 = Date.now();
      const untrustedOk = await runUntrustedPass({ found, scratch, browser, root, fixture, screenshots, tally });
      log(`e2e: untrusted-workspace UI steps ${untrustedOk ? 'passed' : 'FAILED'} in ${((Date.now() - t3) / 1000).toFixed(1)} s`);
      ok = ok && uiOk && untrustedOk;
    } else {
      log('e2e: UI smoke test not run (MULTISTAGE_E2E_UI=0)');
    }
    if (ok) keepScratch = false;
    return ok;
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop();
    await registry?.stop();
    // A passing run leaves nothing behind; a failing one keeps its logs, workspace and profile to look at.
    if (keepScratch) log(`e2e: kept ${scratch} for inspection`);
    else rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The first code-server trusts every folder (--disable-workspace-trust), so Restricted Mode needs its own
 * server: same extension, workspace trust on, and a folder that nobody has trusted in its fresh profile.
 */
async function runUntrustedPass({ found, scratch, browser, root, fixture, screenshots, tally }) {
  let server;
  try {
    server = await startCodeServer({
      node: found.node,
      entry: found.entry,
      scratch,
      name: 'code-server-untrusted',
      workspaceTrust: true,
      smokeTestDriver: false,
      installed: [root],
      userSettings: { 'multistage.docker.path': DOCKER },
    });
    log(`e2e: code-server with workspace trust on 127.0.0.1:${server.port} (log: ${server.logFile})`);
    const { runUntrustedSteps } = await import(UI_UNTRUSTED);
    return await runUntrustedSteps({
      browser,
      root,
      workbenchUrl: (folder) => `http://127.0.0.1:${server.port}/?folder=${encodeURIComponent(folder)}`,
      folder: copyWorkspace(fixture, scratch, 'untrusted-workspace'),
      screenshots,
      log,
      tally: tally?.steps,
    });
  } finally {
    await server?.stop();
  }
}
