// The CLI as users run it: the bundled server/out/cli.js with real files.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unifiedDiff } from '../../server/src/cli/diff';

const CLI = join(__dirname, '..', '..', 'server', 'out', 'cli.js');
let dir: string;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(() => {
  spawnSync(process.execPath, ['esbuild.config.mjs'], { cwd: join(__dirname, '..', '..') });
  dir = mkdtempSync(join(tmpdir(), 'multistage-cli-'));
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app', 'Dockerfile'), 'FROM golang:1.22 AS builder\nFROM scratch\nCOPY --from=buidler /app /app\n');
  writeFileSync(join(dir, 'app', 'api.Dockerfile'), 'FROM alpine AS a\nFROM alpine\nCOPY --from=0 /x /x\n');
  writeFileSync(join(dir, 'app', 'notes.txt'), 'FROOM');
});

test('cli lint: text output names file:line:col, severity, message and rule; exit 1 on errors', () => {
  const r = cli('lint', join(dir, 'app', 'Dockerfile'));
  assert.equal(r.code, 1);
  assert.match(r.stdout, /Dockerfile:3:13 {2}error {4}COPY --from=buidler names no stage\. Did you mean 'builder'\?.*\[unknown-stage-reference\]/);
  assert.match(r.stdout, /1 file checked, \d+ problems? \(1 error, /);
});

test('cli lint: a folder is searched for Dockerfiles; --fail-on decides the exit code', () => {
  const r = cli('lint', dir, '--fail-on', 'none');
  assert.equal(r.code, 0);
  assert.match(r.stdout, /2 files checked/);
  assert.equal(cli('lint', join(dir, 'app', 'api.Dockerfile')).code, 0, 'only a warning: below the default fail-on=error');
  assert.equal(cli('lint', join(dir, 'app', 'api.Dockerfile'), '--fail-on', 'warning').code, 1);
});

test('cli lint --format json: the SPEC §6 fields, 1-based, plus help and docs url', () => {
  const r = cli('lint', '--format', 'json', join(dir, 'app', 'Dockerfile'));
  const rows = JSON.parse(r.stdout);
  const row = rows.find((x: any) => x.rule === 'unknown-stage-reference');
  assert.equal(row.file, join(dir, 'app', 'Dockerfile'));
  assert.equal(row.severity, 'error');
  assert.equal(row.line, 3);
  assert.equal(row.column, 13);
  assert.match(row.message, /Did you mean 'builder'/);
  assert.match(row.url, /docs\/rules\.md#unknown-stage-reference$/);
  assert.ok(row.help.length > 10);
});

test('cli lint --format sarif: valid SARIF 2.1.0 with every rule, help text and docs URL', () => {
  const sarif = JSON.parse(cli('lint', '--format', 'sarif', join(dir, 'app')).stdout);
  assert.equal(sarif.version, '2.1.0');
  const driver = sarif.runs[0].tool.driver;
  assert.equal(driver.name, 'multistage');
  assert.ok(driver.rules.length >= 6);
  for (const rule of driver.rules) {
    assert.ok(rule.shortDescription.text && rule.help.text && rule.helpUri.endsWith(`#${rule.id}`), rule.id);
  }
  const result = sarif.runs[0].results.find((r: any) => r.ruleId === 'unknown-stage-reference');
  assert.equal(driver.rules[result.ruleIndex].id, 'unknown-stage-reference');
  assert.equal(result.level, 'error');
  assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 3, startColumn: 13, endLine: 3, endColumn: 20 });
});

test('cli: usage errors and missing files exit 2 with a clear message', () => {
  const bad = cli('lint', '--format', 'xml', dir);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--format must be text, json or sarif/);
  const missing = cli('lint', join(dir, 'nope'));
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no such file or folder/);
  assert.equal(cli('frobnicate').code, 2);
  assert.match(cli('--help').stdout, /multistage lint/);
});

test('cli fix: prints a unified diff by default and leaves the file alone; --write writes it', () => {
  const file = join(dir, 'app', 'api.Dockerfile');
  const before = readFileSync(file, 'utf8');
  const r = cli('fix', file);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^--- a\/api\.Dockerfile\n\+\+\+ b\/api\.Dockerfile\n@@ -1,4 \+1,4 @@\n FROM alpine AS a\n FROM alpine\n-COPY --from=0 \/x \/x\n\+COPY --from=a \/x \/x\n/);
  assert.equal(readFileSync(file, 'utf8'), before);
  assert.equal(cli('fix', file, '--write').code, 0);
  assert.equal(readFileSync(file, 'utf8'), 'FROM alpine AS a\nFROM alpine\nCOPY --from=a /x /x\n');
  assert.match(cli('fix', file).stderr, /nothing to fix/);
});

test('diff: hunks carry context and correct line counts', () => {
  const a = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n');
  const b = a.replace('line 3', 'LINE 3').replace('line 18', 'LINE 18');
  const d = unifiedDiff(a, b, 'f');
  assert.equal(d.split('\n').filter((l) => l.startsWith('@@')).join('|'), '@@ -1,6 +1,6 @@|@@ -15,6 +15,6 @@');
  assert.equal(unifiedDiff(a, a, 'f'), '');
});
