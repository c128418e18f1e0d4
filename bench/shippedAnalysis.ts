// The benchmarks time Multistage's analysis as it ships: bundled by esbuild with the options of
// esbuild.config.mjs, not the TypeScript sources run through tsx, whose transform keeps function names
// with a wrapper on every closure (measured: the sources ran 5–9% slower over the corpus). The peers
// run as their npm packages ship them.
import { buildSync } from 'esbuild';
import { join } from 'node:path';
import type { analyze } from '../server/src/analysis/analyze';

const ROOT = join(__dirname, '..');
const BUNDLE = join(__dirname, 'results', 'analyze.bundle.js');

export function loadShippedAnalyze(): typeof analyze {
  buildSync({
    entryPoints: [join(ROOT, 'server', 'src', 'analysis', 'analyze.ts')],
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    outfile: BUNDLE,
    logLevel: 'warning',
  });
  return (require(BUNDLE) as { analyze: typeof analyze }).analyze;
}
