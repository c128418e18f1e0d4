// Bundles the extension client, the language server and the CLI into single files.
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

// Shared with the benchmarks (bench/shippedAnalysis.ts), which time the analysis bundled as it ships.
// `conditions: ["node"]` replaces esbuild's default `module` condition, which resolved dockerfile-ast's
// require('vscode-languageserver-types') to that package's ES module build: every Range.create /
// Position.create then went through an esbuild interop getter (measured: 3% of the corpus analysis).
// With it, CommonJS requires get the packages' CommonJS builds, as under plain Node.
const common = {
  ...JSON.parse(readFileSync(new URL('./esbuild.options.json', import.meta.url), 'utf8')),
  sourcemap: !production,
  minify: production,
};

const builds = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.js', external: ['vscode'] },
  { entryPoints: ['server/src/server.ts'], outfile: 'server/out/server.js' },
  // Fix all runs in a worker thread beside the server (server/src/handlers/fixAllRunner.ts).
  { entryPoints: ['server/src/fixAllWorker.ts'], outfile: 'server/out/fixAllWorker.js' },
  { entryPoints: ['server/src/cli.ts'], outfile: 'server/out/cli.js', banner: { js: '#!/usr/bin/env node' } },
];

if (watch) {
  for (const b of builds) (await esbuild.context({ ...common, ...b })).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build({ ...common, ...b })));
}
