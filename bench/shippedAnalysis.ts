// The benchmarks time Multistage's analysis as it ships: bundled by esbuild with the options of
// esbuild.config.mjs (esbuild.options.json), not the TypeScript sources run through tsx, whose transform keeps function names
// with a wrapper on every closure (measured: the sources ran 5–9% slower over the corpus). The peers
// run as their npm packages ship them.
//
// The bundle also keeps Multistage's faster argument scanner (analysis/argumentScanner.ts) on its own
// copy of dockerfile-ast: importing the sources here would install it on node_modules' copy, which
// the parse floor and dockerfile-utils use, and make the peers faster than they ship. assertStockPeers
// checks that this did not happen.
import { buildSync, type BuildOptions } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Instruction } from 'dockerfile-ast';

const ROOT = join(__dirname, '..');
const BUNDLE = join(__dirname, 'results', 'analyze.bundle.js');

export type Shipped = typeof import('./shippedEntry');

let shipped: Shipped | undefined;

export function loadShipped(): Shipped {
  if (shipped) return shipped;
  buildSync({
    entryPoints: [join(__dirname, 'shippedEntry.ts')],
    ...(JSON.parse(readFileSync(join(ROOT, 'esbuild.options.json'), 'utf8')) as BuildOptions),
    outfile: BUNDLE,
  });
  shipped = require(BUNDLE) as Shipped;
  assertStockPeers();
  return shipped;
}

export function loadShippedAnalyze(): Shipped['analyze'] {
  return loadShipped().analyze;
}

/** Throws when node_modules' dockerfile-ast (the floor's and the peers') carries Multistage's scanner. */
export function assertStockPeers(): void {
  const method = (Instruction.prototype as unknown as { getRawArguments?: { installedBy?: string } }).getRawArguments;
  if (method?.installedBy === 'multistage') {
    throw new Error("node_modules' dockerfile-ast carries Multistage's argument scanner: the parse floor and the peers would not run as they ship. Import Multistage through loadShipped().");
  }
}
