// The compiler guards the layers: server/src/analysis/tsconfig.json has no Node types and maps the VS Code
// and language-server packages to a file that is not a module, so an IO or LSP import in the pure core is
// a compile error, not only a finding of architecture.test.ts's scan. Every tsconfig is type-checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const TSC = join(ROOT, 'node_modules', '.bin', 'tsc');

/** Type-checks `probe` (plus `include`) under a config that extends `base`; returns tsc's exit code and output. */
function compileProbe(base: string, probe: string, include: string[]): { status: number | null; output: string } {
  // Inside the repository (a hidden folder no tsconfig includes) so packages resolve as they do for real files.
  const dir = mkdtempSync(join(ROOT, '.layer-probe-'));
  try {
    writeFileSync(join(dir, 'probe.ts'), probe);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: base, files: [join(dir, 'probe.ts')], include }));
    const r = spawnSync(TSC, ['-p', join(dir, 'tsconfig.json')], { encoding: 'utf8', timeout: 120_000 });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ANALYSIS = join(ROOT, 'server', 'src', 'analysis');
// A copy of a real analysis import (the model) with IO and LSP imports added, one per line.
const PROBE = [
  `import { buildModel } from ${JSON.stringify(join(ANALYSIS, 'model'))};`,
  "import { readFileSync } from 'node:fs';",
  "import { execFile } from 'child_process';",
  "import { createConnection } from 'vscode-languageserver/node';",
  'export const used = [buildModel, readFileSync, execFile, createConnection];',
  '',
].join('\n');

test('layers: an fs, child_process or vscode-languageserver import in analysis/ fails to compile', () => {
  const { status, output } = compileProbe(join(ANALYSIS, 'tsconfig.json'), PROBE, [ANALYSIS]);
  assert.notEqual(status, 0, output);
  const errors = output.split('\n').filter((l) => /probe\.ts\(\d+,\d+\): error/.test(l));
  assert.match(errors.find((l) => l.includes('(2,')) ?? '', /TS2591: Cannot find name 'node:fs'/);
  assert.match(errors.find((l) => l.includes('(3,')) ?? '', /TS2591: Cannot find name 'child_process'/);
  assert.match(errors.find((l) => l.includes('(4,')) ?? '', /TS2306: File .*forbiddenImport\.d\.ts' is not a module/);
  assert.equal(errors.length, 3, output); // the model import (line 1) and the rest of analysis/ compile
});

test('layers: an fs, child_process or vscode-languageserver import in docker/pure/ fails to compile too', () => {
  const pure = join(ROOT, 'server', 'src', 'docker', 'pure');
  const { status, output } = compileProbe(join(pure, 'tsconfig.json'), PROBE, [pure]);
  assert.notEqual(status, 0, output);
  const errors = output.split('\n').filter((l) => /probe\.ts\(\d+,\d+\): error/.test(l));
  assert.deepEqual(errors.map((l) => /error (TS\d+)/.exec(l)?.[1]), ['TS2591', 'TS2591', 'TS2306'], output);
});

test('layers: the same probe compiles where Node is allowed (the errors come from the layer config)', () => {
  const { status, output } = compileProbe(join(ROOT, 'tsconfig.json'), PROBE, []);
  assert.equal(status, 0, output);
});

function tsconfigs(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name.startsWith('.') || name === 'out' || name === 'fixtures' || name === 'samples') return []; // sample apps' own configs
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsconfigs(path);
    return name === 'tsconfig.json' ? [relative(ROOT, dirname(path)) || '.'] : [];
  });
}

test('layers: npm run typecheck and the test runner type-check every tsconfig in the repository', () => {
  const projects = tsconfigs(ROOT).sort();
  assert.deepEqual(projects, ['.', 'client', 'server', 'server/src/analysis', 'server/src/docker/pure']);
  const script: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.typecheck;
  const run = readFileSync(join(ROOT, 'test', 'run.mjs'), 'utf8');
  for (const project of projects) {
    assert.ok(script.split('&&').some((c) => c.trim() === `tsc -p ${project}`), `package.json typecheck runs tsc -p ${project}`);
    assert.ok(run.includes(`'${project}'`), `test/run.mjs type-checks ${project}`);
  }
});
