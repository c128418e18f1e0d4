// The CLI where people meet it: help for every command, clear messages for missing files, colour and
// layout on a terminal (honouring NO_COLOR / FORCE_COLOR), plain output when piped, and SARIF that code
// scanning can map onto a repository. Runs the bundled server/out/cli.js as users do.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, readFileSync, existsSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { COMMAND_HELP } from '../../server/src/cli/help';
import { plural } from '../../server/src/cli/report';
import { terminalStyle } from '../../server/src/cli/terminal';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'server', 'out', 'cli.js');
const ESC = '\u001b[';
let dir: string;

/** The CLI with a clean colour environment (the test runner's own FORCE_COLOR/NO_COLOR must not leak in). */
function cli(args: string[], env: Record<string, string> = {}, cwd = dir) {
  const base = { ...process.env };
  delete base.FORCE_COLOR;
  delete base.NO_COLOR;
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd, env: { ...base, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(() => {
  spawnSync(process.execPath, ['esbuild.config.mjs'], { cwd: ROOT });
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'multistage-cli-tty-')));
  mkdirSync(join(dir, '.git')); // a checkout: SARIF URIs are relative to it
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app', 'Dockerfile'), 'FROM golang:1.22 AS builder\nFROM scratch\nCOPY --from=buidler /app /app\n');
  writeFileSync(join(dir, 'app', 'api.Dockerfile'), 'FROM alpine:3.19 AS a\nFROM alpine:3.19\nUSER nobody\nCOPY --from=0 /x /x\n');
});

test('help: every command answers --help and -h with its own options, exit 0', () => {
  for (const command of ['lint', 'fix', 'compare', 'xray'] as const) {
    for (const flag of ['--help', '-h']) {
      const r = cli([command, flag]);
      assert.equal(r.code, 0, `${command} ${flag}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^Usage: multistage ${command} `));
      for (const [option] of COMMAND_HELP[command].options) assert.ok(r.stdout.includes(option), `${command} ${flag} lists ${option}`);
    }
  }
  // -h after other arguments is still help, never a path to lint.
  const late = cli(['lint', 'app', '-h']);
  assert.equal(late.code, 0);
  assert.doesNotMatch(late.stdout, /checked/);
  assert.match(cli(['help', 'fix']).stdout, /^Usage: multistage fix FILE/);
});

test('help: the top-level help lists every option each command parses', () => {
  const top = cli(['--help']);
  assert.equal(top.code, 0);
  // The options each command really accepts, read from its parseArgs call, so a new flag without help fails here.
  for (const [command, file] of [['lint', 'lint.ts'], ['fix', 'fix.ts'], ['compare', 'compare.ts'], ['xray', 'xray.ts']] as const) {
    const source = readFileSync(join(ROOT, 'server/src/cli', file), 'utf8');
    const call = /parseArgs\(\s*[\w.]+,\s*(\[[^\]]*\]),\s*(\[[^\]]*\])/.exec(source);
    assert.ok(call, `parseArgs call in ${file}`);
    const names = [...`${call[1]}${call[2]}`.matchAll(/'([a-z-]+)'/g)].map((m) => m[1]);
    if (command === 'compare' || command === 'xray') names.push('build-arg'); // parsed apart: it repeats
    assert.ok(names.length >= 3, `${file}: ${names}`);
    const section = top.stdout.slice(top.stdout.indexOf(`multistage ${command} `));
    for (const name of names) {
      assert.ok(top.stdout.includes(`--${name}`), `top-level help names --${name} of ${command}`);
      assert.ok(COMMAND_HELP[command].options.some(([flag]) => flag.startsWith(`--${name}`)), `${command} --help names --${name}`);
      assert.ok(section.includes(`--${name}`));
    }
  }
});

test('usage: an unknown short option is an error, not a path; a missing file is said plainly', () => {
  const short = cli(['lint', '-x']);
  assert.equal(short.code, 2);
  assert.match(short.stderr, /^multistage: unknown option -x\n\nUsage: multistage lint/);
  const missing = cli(['fix', 'missing-file']);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, 'multistage: missing-file: no such file\n');
  assert.doesNotMatch(missing.stderr, /ENOENT/);
});

test('plurals: one of a kind is singular, info has no plural', () => {
  assert.equal(plural(1, 'hint'), '1 hint');
  assert.equal(plural(2, 'hint'), '2 hints');
  assert.equal(plural(0, 'error'), '0 errors');
  assert.equal(plural(3, 'info'), '3 info');
  const r = cli(['lint', '--fail-on', 'none', join(dir, 'app', 'Dockerfile')]);
  assert.match(r.stdout, /^1 file checked, 2 problems \(1 error, 1 hint\)$/m);
});

test('colour: chosen from the terminal, NO_COLOR and FORCE_COLOR', () => {
  assert.deepEqual(terminalStyle({}, true), { color: true, grouped: true });
  assert.deepEqual(terminalStyle({}, false), { color: false, grouped: false });
  assert.deepEqual(terminalStyle({ NO_COLOR: '1' }, true), { color: false, grouped: true });
  assert.deepEqual(terminalStyle({ FORCE_COLOR: '1' }, false), { color: true, grouped: true });
  assert.deepEqual(terminalStyle({ FORCE_COLOR: '0' }, true), { color: false, grouped: true });
  assert.deepEqual(terminalStyle({ FORCE_COLOR: '1', NO_COLOR: '1' }, false), { color: true, grouped: true });
  assert.deepEqual(terminalStyle({ TERM: 'dumb' }, true), { color: false, grouped: true });
});

test('piped: plain file:line:col lines without escape codes', () => {
  const r = cli(['lint', '--fail-on', 'none', 'app']);
  assert.ok(!r.stdout.includes(ESC), 'no ANSI codes when piped');
  assert.match(r.stdout, /^app\/Dockerfile:3:13 {2}error {4}COPY --from=buidler/m);
  assert.ok(!cli(['lint', 'app'], { NO_COLOR: '1', FORCE_COLOR: '0' }).stdout.includes(ESC));
});

test('FORCE_COLOR: a header per file, coloured severities and a summary line', () => {
  const r = cli(['lint', '--fail-on', 'none', 'app'], { FORCE_COLOR: '1' });
  const lines = r.stdout.split('\n');
  assert.equal(lines[0], `${ESC}4mapp/Dockerfile${ESC}24m`, 'underlined file header');
  assert.ok(lines.some((l) => l.includes(`${ESC}31merror  ${ESC}39m`) && l.includes('buidler')), 'errors in red');
  assert.ok(lines.some((l) => l.includes(`${ESC}33mwarning${ESC}39m`)), 'warnings in yellow');
  assert.ok(lines.some((l) => l.startsWith(`${ESC}1m${ESC}31m✖ 2 files checked`)), 'red bold summary: there is an error');
  assert.ok(!lines.some((l) => l.startsWith('app/Dockerfile:')), 'no file:line:col lines in the grouped layout');
});

test('a real terminal (script(1) gives the CLI a pty) gets colour; NO_COLOR there keeps the layout without colour', { skip: !existsSync('/usr/bin/script') && 'util-linux script(1) missing' }, () => {
  const run = (env: string) => spawnSync('/usr/bin/script', ['-qec', `${env} ${process.execPath} ${CLI} lint --fail-on none app`, '/dev/null'], { cwd: dir, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '', NO_COLOR: '' } });
  const tty = run('env -u FORCE_COLOR -u NO_COLOR');
  assert.equal(tty.status, 0, tty.stderr);
  assert.ok(tty.stdout.includes(`${ESC}31merror`), 'coloured on a terminal');
  assert.ok(tty.stdout.includes('✖ 2 files checked'));
  const plain = run('env -u FORCE_COLOR NO_COLOR=1');
  assert.ok(!plain.stdout.includes(ESC), 'NO_COLOR: no escape codes');
  assert.match(plain.stdout, /^app\/Dockerfile\r?$/m, 'still grouped under a file header');
});

test('SARIF: repository-relative URIs with originalUriBaseIds, also for absolute inputs', () => {
  const r = cli(['lint', '--format', 'sarif', join(dir, 'app')], {}, join(dir, 'app'));
  const run = JSON.parse(r.stdout).runs[0];
  assert.deepEqual(run.originalUriBaseIds, { SRCROOT: { uri: `${pathToFileURL(dir).href}/` } });
  const uris = new Set(run.results.map((x: any) => JSON.stringify(x.locations[0].physicalLocation.artifactLocation)));
  assert.deepEqual([...uris].sort(), [
    JSON.stringify({ uri: 'app/Dockerfile', uriBaseId: 'SRCROOT' }),
    JSON.stringify({ uri: 'app/api.Dockerfile', uriBaseId: 'SRCROOT' }),
  ]);
  // Outside any checkout the URI is an absolute file: URI, never a bare /tmp/… path.
  const outside = realpathSync(mkdtempSync(join(tmpdir(), 'multistage-sarif-outside-')));
  writeFileSync(join(outside, 'Dockerfile'), 'FROM scratch\nCOPY --from=nope /a /a\n');
  const far = JSON.parse(cli(['lint', '--format', 'sarif', join(outside, 'Dockerfile')]).stdout).runs[0];
  assert.equal(far.results[0].locations[0].physicalLocation.artifactLocation.uri, pathToFileURL(join(outside, 'Dockerfile')).href);
});

test('SARIF: invocations with the command line, times and unreadable files', () => {
  const r = cli(['lint', '--format', 'sarif', 'app/Dockerfile', 'app/gone.Dockerfile']);
  assert.equal(r.code, 2);
  const invocation = JSON.parse(r.stdout).runs[0].invocations[0];
  assert.equal(invocation.commandLine, 'multistage lint --format sarif app/Dockerfile app/gone.Dockerfile');
  assert.ok(Date.parse(invocation.startTimeUtc) <= Date.parse(invocation.endTimeUtc));
  assert.equal(invocation.workingDirectory.uri, `${pathToFileURL(dir).href}/`);
  const ok = JSON.parse(cli(['lint', '--format', 'sarif', 'app']).stdout).runs[0].invocations[0];
  assert.equal(ok.executionSuccessful, true);
  assert.deepEqual(ok.toolExecutionNotifications, []);
});

test('SARIF: a finding with a safe fix carries it as replacements that give the fixed file', () => {
  const file = join(dir, 'app', 'api.Dockerfile');
  const text = readFileSync(file, 'utf8');
  const run = JSON.parse(cli(['lint', '--format', 'sarif', 'app/api.Dockerfile']).stdout).runs[0];
  const numeric = run.results.find((x: any) => x.ruleId === 'numeric-stage-reference');
  assert.equal(numeric.fixes.length, 1);
  const [change] = numeric.fixes[0].artifactChanges;
  assert.deepEqual(change.artifactLocation, { uri: 'app/api.Dockerfile', uriBaseId: 'SRCROOT' });
  // Apply the 1-based replacements to the file: the result is what `multistage fix` writes for this rule.
  const lines = text.split('\n');
  const offset = (line: number, column: number) => lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
  let fixed = text;
  for (const rep of [...change.replacements].reverse()) {
    const { startLine, startColumn, endLine, endColumn } = rep.deletedRegion;
    fixed = fixed.slice(0, offset(startLine, startColumn)) + rep.insertedContent.text + fixed.slice(offset(endLine, endColumn));
  }
  assert.equal(fixed, text.replace('--from=0', '--from=a'));
  // Findings without a safe fix carry none.
  for (const result of run.results.filter((x: any) => x.ruleId === 'unpinned-base-image')) assert.equal(result.fixes, undefined);
});
