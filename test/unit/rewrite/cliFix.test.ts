// `multistage fix FILE --split / --reorder` as users run it: the bundled CLI on a real folder. The
// Dockerfile is only changed with --write; without it the rewrite is printed as a diff.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const CLI = join(ROOT, 'server', 'out', 'cli.js');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'rewrite');
let dir: string;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(() => {
  spawnSync(process.execPath, ['esbuild.config.mjs'], { cwd: ROOT });
  dir = mkdtempSync(join(tmpdir(), 'multistage-fix-'));
  cpSync(join(FIXTURES, 'node-ts-api'), join(dir, 'node'), { recursive: true });
  cpSync(join(FIXTURES, 'go-basic'), join(dir, 'go'), { recursive: true });
});

test('cli fix --split: prints the split as a diff and leaves the file alone', () => {
  const file = join(dir, 'node', 'Dockerfile');
  const before = readFileSync(file, 'utf8');
  const r = cli('fix', file, '--split', '--runtime-flavor', 'slim');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /applied: Split into builder and runtime stages/);
  assert.match(r.stdout, /^\+FROM node:20-slim AS runtime$/m);
  assert.match(r.stdout, /^-FROM node:20$/m);
  assert.equal(readFileSync(file, 'utf8'), before);
});

test('cli fix --reorder --split --write: writes the golden results of both rewrites', () => {
  const file = join(dir, 'go', 'Dockerfile');
  const r = cli('fix', file, '--reorder', '--split', '--write');
  assert.equal(r.code, 0, r.stderr);
  const written = readFileSync(file, 'utf8');
  // Reorder first (manifests before sources), then the split keeps that order in the builder.
  assert.match(written, /FROM golang:1\.23 AS build\nWORKDIR \/src\nCOPY go\.mod \.\/\nRUN go mod download\nCOPY \. \.\n/);
  assert.match(written, /FROM gcr\.io\/distroless\/static-debian12:nonroot AS runtime\n/);
  // Applying both again finds nothing left to rewrite.
  const again = cli('fix', file, '--reorder', '--split');
  assert.match(again.stderr, /Split into builder and runtime stages: not applicable/);
  assert.match(again.stderr, /Reorder for layer cache: not applicable/);
});

test('cli fix --split: a file the builder rejects is left alone, and the message says which line to fix', () => {
  const file = join(dir, 'node', 'Dockerfile');
  const broken = `FROM node:20 extra\n${readFileSync(file, 'utf8')}`;
  writeFileSync(file, broken);
  const r = cli('fix', file, '--split');
  assert.match(r.stderr, /Split into builder and runtime stages: not applicable \(the Dockerfile has a syntax error on line 1 \(FROM requires either one or three arguments\); fix it first\)/);
  assert.doesNotMatch(r.stdout, /AS runtime/);
  assert.equal(readFileSync(file, 'utf8'), broken);
  // Without the error the same stage splits.
  writeFileSync(file, broken.replace('FROM node:20 extra\n', ''));
  assert.match(cli('fix', file, '--split').stderr, /applied: Split into builder and runtime stages/);
});

test('cli fix: an unknown --runtime-flavor is a usage error', () => {
  const r = cli('fix', join(dir, 'node', 'Dockerfile'), '--split', '--runtime-flavor', 'tiny');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--runtime-flavor is one of auto, distroless, slim, alpine/);
});

test('cli fix --reorder: says why the reorder is withheld when the install needs the sources (pip install . of a setup.py project)', () => {
  const project = join(dir, 'pip-project');
  cpSync(join(ROOT, 'test', 'fixtures', 'reorder-safety', 'pip-install-dot-setup-py'), project, { recursive: true });
  const file = join(project, 'Dockerfile');
  const r = cli('fix', file, '--reorder');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Reorder for layer cache: not applicable \(the dependency install needs the sources: `pip install \.` builds and installs the project from its sources, and pyproject\.toml has no \[project\] table that lists its dependencies\)/);
});
