// The pure core stays pure: nothing under server/src/analysis/ may import IO or VS Code modules; and it
// caches the way memo.ts says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const ANALYSIS = join(ROOT, 'server', 'src', 'analysis');
const FORBIDDEN = /^(node:)?(fs|fs\/promises|child_process|http|https|net|tls|dgram|dns|worker_threads|os|vscode|vscode-languageserver|vscode-languageserver\/node|vscode-languageclient|vscode-languageclient\/node)$/;
const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

export function forbiddenImports(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (FORBIDDEN.test(spec)) found.push(spec);
  }
  return found;
}

test('architecture: no file under server/src/analysis imports fs, child_process, http(s), net or vscode*', () => {
  const offenders = sources(ANALYSIS).flatMap((file) =>
    forbiddenImports(readFileSync(file, 'utf8')).map((spec) => `${relative(ROOT, file)} imports ${spec}`),
  );
  assert.deepEqual(offenders, []);
});

test('architecture: the import check itself catches forbidden imports', () => {
  assert.deepEqual(forbiddenImports("import { readFileSync } from 'node:fs';\nimport * as v from 'vscode';"), ['node:fs', 'vscode']);
  assert.deepEqual(forbiddenImports("const cp = require('child_process');"), ['child_process']);
  assert.deepEqual(forbiddenImports("import type { Range } from 'vscode-languageserver-types';"), []);
});

// server/src/docker/ splits by folder: the files directly in it do IO (the runner, builds, inspections),
// the ones in docker/pure/ do none, so the client's panel and the unit tests can use them without Docker.
const DOCKER_PURE = join(ROOT, 'server', 'src', 'docker', 'pure');

/** Relative imports of a docker/pure/ file (its path relative to ROOT) that leave docker/pure/ and analysis/
 * (the X-ray's report shape, xray/types.ts, is plain data and may be named too). */
export function impurePureImports(file: string, source: string): string[] {
  const found = forbiddenImports(source);
  for (const m of source.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (!spec.startsWith('.')) continue;
    const target = join(dirname(file), spec);
    if (!/^server\/src\/(docker\/pure|analysis)(\/|$)|^server\/src\/xray\/types$/.test(target)) found.push(spec);
  }
  return found;
}

test('architecture: no file under server/src/docker/pure does IO or imports a docker/ module that does', () => {
  const files = sources(DOCKER_PURE);
  assert.ok(files.length >= 6, `read ${files.length} files`);
  const offenders = files.flatMap((file) =>
    impurePureImports(relative(ROOT, file), readFileSync(file, 'utf8')).map((spec) => `${relative(ROOT, file)} imports ${spec}`),
  );
  assert.deepEqual(offenders, []);
  const file = 'server/src/docker/pure/x.ts';
  assert.deepEqual(impurePureImports(file, "import { spawn } from 'node:child_process';\nimport { runDocker } from '../runner';"), ['node:child_process', '../runner']);
  assert.deepEqual(impurePureImports(file, "import type { A } from './compareTypes';\nimport { buildModel } from '../../analysis/model';"), []);
  assert.deepEqual(impurePureImports(file, "import type { XrayReport } from '../../xray/types';\nimport { xrayImage } from '../../xray/xray';"), ['../../xray/xray']);
});

test('architecture: only server.ts calls connection.onX', () => {
  const offenders = sources(join(ROOT, 'server', 'src'))
    .filter((f) => !f.endsWith(join('server', 'src', 'server.ts')))
    .filter((f) => /\bconnection\.on[A-Z]/.test(readFileSync(f, 'utf8')))
    .map((f) => relative(ROOT, f));
  assert.deepEqual(offenders, []);
});

// Both patterns kept a whole file's analysis alive through V8's young-generation collections
// (measured over the corpus: 243 ms of scavenges per pass instead of 15 ms). analysis/memo.ts explains.
test('architecture: the analysis caches with memo(), not WeakMap or per-object accessors', () => {
  const offenders = sources(ANALYSIS)
    .filter((file) => {
      const text = readFileSync(file, 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '');
      return /\bnew WeakMap\b/.test(text) || /defineProperty\([^)]*\{\s*get\s*:/.test(text);
    })
    .map((file) => relative(ROOT, file));
  assert.deepEqual(offenders, []);
});

// The import graph: relative imports (static, re-exports, dynamic, require, side-effect) resolved to files.
const ANY_IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;

export function importGraph(files: ReadonlyMap<string, string>): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const [file, text] of files) {
    const deps: string[] = [];
    for (const m of text.matchAll(ANY_IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
      if (!spec.startsWith('.')) continue;
      const base = join(dirname(file), spec).replace(/\.js$/, '');
      const target = [`${base}.ts`, join(base, 'index.ts'), base].find((c) => files.has(c));
      if (target) deps.push(target);
    }
    graph.set(file, deps);
  }
  return graph;
}

/** Strongly connected components with more than one file (or a file importing itself): the import cycles. */
export function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

function sourceMap(...dirs: string[]): Map<string, string> {
  return new Map(dirs.flatMap((dir) => sources(join(ROOT, dir))).map((f) => [relative(ROOT, f), readFileSync(f, 'utf8')]));
}

test('architecture: no import cycle among the files of server/src and client/src', () => {
  const files = sourceMap(join('server', 'src'), join('client', 'src'));
  assert.ok(files.size > 100, `read ${files.size} source files`);
  assert.deepEqual(importCycles(importGraph(files)), []);
});

test('architecture: the cycle finder finds a cycle through a re-export and ignores a diamond', () => {
  const cyclic = new Map([
    ['a.ts', "export { b } from './sub/b';"],
    ['sub/b.ts', "import type { C } from './c';\nexport const b = 1;"],
    ['sub/c.ts', "import { a } from '../a';"],
    ['d.ts', "import './sub/c';"],
  ]);
  assert.deepEqual(importCycles(importGraph(cyclic)), [['a.ts', 'sub/b.ts', 'sub/c.ts']]);
  const diamond = new Map([
    ['a.ts', "import { b } from './b';\nimport { c } from './c';"],
    ['b.ts', "import { d } from './d';"],
    ['c.ts', "import { d } from './d';"],
    ['d.ts', 'export const d = 1;'],
  ]);
  assert.deepEqual(importCycles(importGraph(diamond)), []);
});

// Layers, lowest first: 0 the pure core (analysis/, and docsUrl.ts, a constant); 1 the IO services
// (images/, docker/, workspace/), which may use each other; 2 the front ends (handlers/ with the fix-all
// worker whose messages they exchange, cli/), which never use each other; 3 the entry points (server.ts,
// cli.ts) and the client. An import never points to a higher layer.
const FOLDER_RANKS: Record<string, number> = { analysis: 0, images: 1, docker: 1, workspace: 1, xray: 1, handlers: 2, cli: 2 };
const FILE_RANKS: Record<string, number> = { 'docsUrl.ts': 0, 'fixAllWorker.ts': 2, 'server.ts': 3, 'cli.ts': 3 };

export function layerOf(file: string): { rank: number; name: string } | undefined {
  if (file.startsWith('client/')) return { rank: 3, name: 'client' };
  const folder = /^server\/src\/(\w+)\//.exec(file)?.[1];
  if (folder !== undefined) return folder in FOLDER_RANKS ? { rank: FOLDER_RANKS[folder], name: folder } : undefined;
  const name = /^server\/src\/([\w.]+)$/.exec(file)?.[1];
  return name !== undefined && name in FILE_RANKS ? { rank: FILE_RANKS[name], name } : undefined;
}

export function upwardImports(graph: ReadonlyMap<string, readonly string[]>): string[] {
  return [...graph].flatMap(([file, deps]) => {
    const from = layerOf(file);
    if (!from) return [];
    return deps
      .filter((dep) => {
        const to = layerOf(dep);
        if (!to || to.name === from.name) return false;
        return to.rank > from.rank || (to.rank === 2 && from.rank === 2 && (from.name === 'cli' || to.name === 'cli'));
      })
      .map((dep) => `${file} imports ${dep}`);
  });
}

test('architecture: no import points to a higher layer (analysis never reaches handlers, images, docker, workspace, cli)', () => {
  const graph = importGraph(sourceMap(join('server', 'src'), join('client', 'src')));
  assert.deepEqual(upwardImports(graph), []);
  const bad = importGraph(new Map([
    ['server/src/analysis/x.ts', "import { imagesOf } from '../images/documentImages';"],
    ['server/src/images/documentImages.ts', "import { y } from '../handlers/hover';"],
    ['server/src/handlers/hover.ts', "import { z } from '../cli/images';\nimport { w } from '../docker/runner';"],
    ['server/src/cli/images.ts', "import { runDocker } from '../docker/runner';"],
    ['server/src/docker/runner.ts', "import { a } from '../analysis/x';\nimport { s } from '../images/documentImages';"],
    ['server/src/cli/lint.ts', "import { main } from '../cli';"],
    ['server/src/cli.ts', "import { runLint } from './cli/lint';"],
  ]));
  assert.deepEqual(upwardImports(bad), [
    'server/src/analysis/x.ts imports server/src/images/documentImages.ts',
    'server/src/images/documentImages.ts imports server/src/handlers/hover.ts',
    'server/src/handlers/hover.ts imports server/src/cli/images.ts',
    'server/src/cli/lint.ts imports server/src/cli.ts',
  ]);
});

// The LSP boundary: the protocol library is known to server.ts and handlers/ only; the rest of the server
// (analysis, images, docker, workspace, the CLI) speaks plain data and runs without a connection.
const LSP_LIBRARY = /^vscode-languageserver(\/node)?$|^vscode-languageserver-textdocument$/;

export function lspImports(files: ReadonlyMap<string, string>): string[] {
  return [...files].flatMap(([file, text]) =>
    /^server\/src\/(server\.ts$|handlers\/)/.test(file)
      ? []
      : [...text.matchAll(ANY_IMPORT)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]).filter((s) => LSP_LIBRARY.test(s)).map((s) => `${file} imports ${s}`),
  );
}

test('architecture: only server/src/server.ts and server/src/handlers/ import the language-server library', () => {
  assert.deepEqual(lspImports(sourceMap(join('server', 'src'), join('client', 'src'))), []);
  assert.deepEqual(lspImports(new Map([['server/src/images/x.ts', "import { Connection } from 'vscode-languageserver/node';"]])), [
    'server/src/images/x.ts imports vscode-languageserver/node',
  ]);
  assert.deepEqual(lspImports(new Map([['server/src/handlers/x.ts', "import { Connection } from 'vscode-languageserver/node';"]])), []);
});

// Child processes get argv arrays: child_process is used through spawn/execFile only (never exec or
// execSync, which take a shell string), and no spawn passes `shell: true`.
export function shellSpawns(files: ReadonlyMap<string, string>): string[] {
  const found: string[] = [];
  for (const [file, text] of files) {
    for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*['"](?:node:)?child_process['"]/g)) {
      for (const name of m[1].split(',').map((n) => n.trim().split(/\s+as\s+/)[0]).filter(Boolean)) {
        if (!['spawn', 'execFile', 'type ChildProcess', 'type SpawnOptions'].includes(name)) found.push(`${file} imports ${name} from child_process`);
      }
    }
    if (/import\s+\*\s+as\s+\w+\s+from\s*['"](?:node:)?child_process['"]|require\(\s*['"](?:node:)?child_process['"]\s*\)/.test(text)) found.push(`${file} imports all of child_process`);
    if (/\bshell\s*:\s*true\b/.test(text)) found.push(`${file} passes shell: true`);
  }
  return found;
}

test('architecture: child processes are started with argv arrays (spawn/execFile, never a shell)', () => {
  assert.deepEqual(shellSpawns(sourceMap(join('server', 'src'), join('client', 'src'))), []);
  assert.deepEqual(shellSpawns(new Map([['a.ts', "import { exec, spawn } from 'node:child_process';\nspawn('x', [], { shell: true });"]])), [
    'a.ts imports exec from child_process',
    'a.ts passes shell: true',
  ]);
  assert.deepEqual(shellSpawns(new Map([['a.ts', "import { execFile } from 'child_process';"]])), []);
});

// Files are replaced atomically: a file of server/src that writes one also renames (temp file, then
// rename: cli/replaceFile.ts, the image-facts disk cache, the snapshot scripts) or writes only inside a
// private mkdtemp folder (the compare baselines).
test('architecture: every server file that writes a file writes a temp file and renames it, or writes in its own mkdtemp folder', () => {
  const offenders = [...sourceMap(join('server', 'src'))]
    .filter(([file, text]) => !file.startsWith('server/src/analysis/') && /\bwriteFile(Sync)?\(/.test(text) && !/\brename(Sync)?\(|\bmkdtemp(Sync)?\(/.test(text))
    .map(([file]) => file);
  assert.deepEqual(offenders, []);
});
