// Entry point VS Code loads as `extensionTestsPath`: runs every compiled *.test.js next to it with mocha
// inside the extension host. Both runners (code-server and @vscode/test-electron) use this same file.
// Besides the console (which the runners forward), it writes a JSON summary to MULTISTAGE_E2E_RESULTS so
// the runner can check that tests really ran and passed, not only that the host exited with 0.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';

/** Marks the reporter's lines so the runner can tell them from the workbench's own console chatter. */
export const REPORTER_PREFIX = '[mocha] ';

interface TestOutcome {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export async function run(): Promise<void> {
  // mocha 12 is an ES module package whose CommonJS build we load directly: the extension host
  // intercepts `require`, and this keeps mocha's own `require` of the test files on that path.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Mocha = require('mocha/lib/mocha.cjs') as typeof import('mocha');
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => {
    for (const line of format(...args).split('\n')) console.log(REPORTER_PREFIX + line);
  };
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    timeout: Number(process.env.MULTISTAGE_E2E_TEST_TIMEOUT_MS ?? 60_000),
    grep: process.env.MULTISTAGE_E2E_GREP || undefined,
  });
  const here = __dirname;
  const files = fs.readdirSync(here).filter((name) => name.endsWith('.test.js')).sort();
  for (const name of files) mocha.addFile(path.join(here, name));

  const outcomes: TestOutcome[] = [];
  const failures = await new Promise<number>((resolve, reject) => {
    try {
      const runner = mocha.run((count) => resolve(count));
      runner.on('pass', (t) => outcomes.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration }));
      runner.on('fail', (t, err: Error) =>
        outcomes.push({ title: t.fullTitle(), state: 'failed', error: String(err?.stack ?? err) }));
      runner.on('pending', (t) => outcomes.push({ title: t.fullTitle(), state: 'pending' }));
    } catch (err) {
      reject(err);
    }
  });

  const resultsFile = process.env.MULTISTAGE_E2E_RESULTS;
  if (resultsFile) {
    fs.writeFileSync(resultsFile, JSON.stringify({ files, failures, outcomes }, null, 2));
  }
  if (failures > 0) throw new Error(`${failures} end-to-end test(s) failed`);
}
