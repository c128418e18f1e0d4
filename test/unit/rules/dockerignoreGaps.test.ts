import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, memoryContext } from '../../support/analysis';
import { catches, catchesNot } from '../../support/ruleSpec';

const RULE = 'dockerignore-gaps';
const TEXT = 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\nCMD ["node", "server.js"]\n';

test('dockerignore-gaps: fires when node_modules, .git and .env are in the context but not excluded', () => {
  const files = { '.dockerignore': '*.log', 'package.json': '{}', 'node_modules/a/index.js': '', '.git/HEAD': '', '.env': 'X=1', '.env.example': '' };
  const [p] = catches(RULE, TEXT, { context: memoryContext(files, '/w') });
  assert.equal(p.severity, 'info');
  assert.equal(p.range.start.line, 2);
  assert.match(p.message, /\.git \(the repository history\), node_modules .*\.env \(local secrets\)/);
  assert.doesNotMatch(p.message, /\.env\.example/);
  const change = p.fixes[0].files![0];
  assert.equal(change.path, '/w/.dockerignore');
  const updated = applyEdits(files['.dockerignore'], change.edits);
  assert.equal(updated, '*.log\n.git\nnode_modules\n.env\n');
  catchesNot(RULE, TEXT, { context: memoryContext({ ...files, '.dockerignore': updated }) });
});

test('dockerignore-gaps: finds virtualenvs, Python caches, nested node_modules and build outputs of the detected ecosystem', () => {
  const files = {
    '.dockerignore': '.git\n',
    'pyproject.toml': '', 'env/pyvenv.cfg': '', '__pycache__/a.pyc': '',
    'Cargo.toml': '', 'target/release/app': '',
    'packages/web/node_modules/x.js': '',
  };
  const [p] = catches(RULE, TEXT, { context: memoryContext(files) });
  assert.match(p.fixes[0].title, /env, \*\*\/__pycache__, target, \*\*\/node_modules/);
});

test('dockerignore-gaps: reports dist/ only when the image builds it, and never what the Dockerfile copies by name', () => {
  const files = { '.dockerignore': '.git\n', 'package.json': '{}', 'dist/main.js': '' };
  catchesNot(RULE, TEXT, { context: memoryContext(files) });
  const builds = 'FROM node:20 AS build\nCOPY . .\nRUN npm ci && npm run build\nFROM node:20-slim\nCOPY --from=build /dist /dist\n';
  assert.match(catches(RULE, builds, { context: memoryContext(files) })[0].message, /dist/);
  const copiesEnv = 'FROM node:20-slim\nCOPY .env /app/.env\nCOPY . /app\n';
  catchesNot(RULE, copiesEnv, { context: memoryContext({ '.dockerignore': '.git\n', '.env': 'A=1' }) });
});

test('dockerignore-gaps: respects Docker semantics of the existing file (dir/*, **, ! exceptions) and the Dockerfile-specific file', () => {
  const files = { '.dockerignore': 'node_modules/*\n**/.git\n.env*\n!.env\n', 'package.json': '{}', 'node_modules/a.js': '', '.git/HEAD': '', '.env': 'A=1' };
  const [p] = catches(RULE, TEXT, { context: memoryContext(files) });
  assert.equal(p.fixes[0].title, 'Add .env to .dockerignore');
  const specific = { ...memoryContext({ '.dockerignore': '', 'Dockerfile.dockerignore': '.git\n', '.git/HEAD': '' }), dockerfile: 'Dockerfile' };
  catchesNot(RULE, TEXT, { context: specific });
});

test('dockerignore-gaps: quiet without a context, without a .dockerignore (missing-dockerignore\'s case) or without a context copy', () => {
  const files = { 'node_modules/a.js': '', '.git/HEAD': '' };
  catchesNot(RULE, TEXT);
  catchesNot(RULE, TEXT, { context: memoryContext(files) });
  catchesNot(RULE, 'FROM node:20-slim\nCOPY server.js .\n', { context: memoryContext({ ...files, '.dockerignore': '' }) });
});
