// Compiles what the end-to-end runs load: the extension bundles (esbuild.config.mjs) and the mocha suite
// (test/e2e/suite/*.ts → test/e2e/out/*.js, one CommonJS file per test file, `vscode` and mocha left
// to the extension host's require), and the Playwright UI steps (ui/smoke.ts → out/ui/smoke.mjs,
// ui/untrusted.ts → out/ui/untrusted.mjs).
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

export const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
export const SUITE_OUT = join(ROOT, 'test/e2e/out');
export const UI_SMOKE = join(SUITE_OUT, 'ui/smoke.mjs');
export const UI_UNTRUSTED = join(SUITE_OUT, 'ui/untrusted.mjs');

export async function buildForE2e() {
  const bundles = spawnSync(process.execPath, ['esbuild.config.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (bundles.status !== 0) throw new Error('building the extension bundles (node esbuild.config.mjs) failed');

  const suiteDir = join(ROOT, 'test/e2e/suite');
  const entries = readdirSync(suiteDir)
    .filter((name) => name === 'index.ts' || name.endsWith('.test.ts'))
    .map((name) => join(suiteDir, name));
  rmSync(SUITE_OUT, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: entries,
    outdir: SUITE_OUT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha', 'mocha/*'],
    logLevel: 'warning',
  });
  // The UI steps run in this Node process (they drive the browser), so they are ES modules.
  await esbuild.build({
    entryPoints: [join(ROOT, 'test/e2e/ui/smoke.ts'), join(ROOT, 'test/e2e/ui/untrusted.ts')],
    outdir: join(SUITE_OUT, 'ui'),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return { suiteIndex: join(SUITE_OUT, 'index.js'), testFiles: entries.filter((e) => e.endsWith('.test.ts')).length };
}
