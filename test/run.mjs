#!/usr/bin/env node
// The test command (`npm test`): builds the bundles, type-checks, then runs every node:test file under
// test/ (unit, grammar, server protocol, Docker, registry) and finally the VS Code end-to-end suite.
// Suites whose real parts are missing print SKIPPED; under CI=true they fail instead.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { addE2eTotals } from './e2e/runners/suiteResults.mjs';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2); // optional folder filters: unit, server, docker, registry, grammar, e2e

function run(label, command, args, env = {}) {
  process.stdout.write(`\n=== ${label}: ${[command, ...args].join(' ')}\n`);
  const started = Date.now();
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  process.stdout.write(`=== ${label}: exit ${r.status ?? r.signal} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return r.status === 0;
}

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'fixtures' || name === 'suite' || name === 'out') continue;
    if (statSync(path).isDirectory()) out.push(...findTests(path));
    else if (name.endsWith('.test.ts') || name.endsWith('.test.mjs')) out.push(path);
  }
  return out;
}

const TS_PROJECTS = ['.', 'client', 'server', 'server/src/analysis', 'server/src/docker/pure'];
const wanted = (folder) => only.length === 0 || only.includes(folder);
let ok = true;
ok = run('build', 'node', ['esbuild.config.mjs']) && ok;
// The whole program (tests and bench included), then each layer's own project: the client, the server
// and the pure analysis (no Node types). package.json's typecheck runs the same.
if (only.length === 0) for (const project of TS_PROJECTS) ok = run(`typecheck ${project}`, 'npx', ['tsc', '-p', project]) && ok;
const files = findTests(join(root, 'test'))
  .filter((f) => wanted(relative(join(root, 'test'), f).split('/')[0]))
  .sort();
const totals = { passed: 0, failed: 0, skipped: 0 };
if (files.length > 0) {
  // spec for people on stdout, TAP to a file so the totals below are exact.
  const tap = join(mkdtempSync(join(tmpdir(), 'multistage-tests-')), 'results.tap');
  ok = run(`node:test (${files.length} files)`, 'node', [
    '--import', 'tsx', '--test',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files.map((f) => relative(root, f)),
  ]) && ok;
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const count = (key) => Number(new RegExp(`^# ${key} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  totals.passed += count('pass');
  totals.failed += count('fail') + count('cancelled');
  totals.skipped += count('skipped');
}
if (wanted('e2e') && existsSync(join(root, 'test/e2e/run.mjs'))) {
  // The e2e runner writes its own counts (mocha tests and UI steps); they join the totals one by one.
  const summaryFile = join(mkdtempSync(join(tmpdir(), 'multistage-e2e-')), 'summary.json');
  const e2eOk = run('e2e (VS Code)', 'node', ['test/e2e/run.mjs'], { MULTISTAGE_E2E_SUMMARY: summaryFile });
  ok = e2eOk && ok;
  const summary = existsSync(summaryFile) ? JSON.parse(readFileSync(summaryFile, 'utf8')) : undefined;
  addE2eTotals(totals, summary, e2eOk);
}
if (!ok && totals.failed === 0) totals.failed = 1; // a build, typecheck or runner failure counts too
process.stdout.write(ok ? '\nALL TEST SUITES PASSED\n' : '\nSOME TEST SUITES FAILED\n');
process.stdout.write(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exit(ok ? 0 : 1);
