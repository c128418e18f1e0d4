// Bad or unusual input never breaks the rewrites: every output the actions offer parses, a split is
// never offered again on its own output, and nothing throws — over the ~3,000 real Dockerfiles of the
// shared corpus (every 3rd file, to keep the unit suite quick) and over hand-made odd inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel } from '../../../server/src/analysis/model';
import { applyTextEdits, MAX_REWRITE_LINES, refactorActions, SPLIT_TITLE } from '../../../server/src/analysis/rewrite';
import { DEFAULT_SETTINGS, type RuleContext } from '../../../server/src/analysis/types';
import { memoryContext } from '../../support/analysis';
import { newErrors } from '../../support/parseCheck';
import { corpusFiles } from '../../support/corpus';

function check(text: string, ctx: RuleContext, label: string): string[] {
  const model = buildModel(text);
  const actions = refactorActions(model, ctx);
  for (const action of actions) {
    const out = applyTextEdits(model, action.edits);
    assert.deepEqual(newErrors(text, out), [], `${label}: "${action.title}" output parses`);
    if (action.title === SPLIT_TITLE) {
      assert.equal(refactorActions(buildModel(out), ctx).some((a) => a.title === SPLIT_TITLE), false, `${label}: split is not offered on its own output`);
    }
  }
  return actions.map((a) => a.title);
}

test('rewrites: corpus Dockerfiles never throw, outputs parse, split is not offered twice', (t) => {
  const files = corpusFiles(t)?.filter((_, i) => i % 3 === 0);
  if (!files) return;
  const offered: string[] = [];
  for (const [index, { name, text }] of files.entries()) {
    // A context made of what the file copies, so the reorder has manifests to find.
    const context = memoryContext({ 'package.json': '{}', 'package-lock.json': '{}', 'requirements.txt': 'flask\n', 'go.mod': 'module x\n', 'go.sum': '', 'pom.xml': '<project/>', 'src/main.ts': '' });
    // Alternate the runtime flavor rather than doubling the work.
    const runtimeFlavor = index % 2 === 0 ? 'auto' : 'slim';
    offered.push(...check(text, { settings: { ...DEFAULT_SETTINGS, runtimeFlavor }, context }, name));
  }
  const split = offered.filter((title) => title === SPLIT_TITLE).length;
  const reorder = offered.length - split;
  t.diagnostic(`${files.length} files: ${split} splits, ${reorder} reorders checked`);
  assert.ok(split >= 5 && reorder >= 10, `both rewrites were exercised (${split} splits, ${reorder} reorders)`);
});

test('rewrites: half-typed, empty and odd Dockerfiles give no action or a parsing one', () => {
  const ctx: RuleContext = { settings: DEFAULT_SETTINGS, context: memoryContext({ 'package.json': '{}', 'go.mod': 'module a\n' }) };
  const inputs = [
    '',
    'FROM',
    'FROM golang:1.23\nRUN go build -o',
    'FROM golang:1.23\nCOPY\nRUN go build -o app .\nCMD',
    'FROM ${BASE}\nRUN make\nCMD ["x"]',
    'FROM node:20 AS a\nFROM a\nRUN npm run build\nCMD ["node","x"]',
    'FROM scratch\nCOPY . .\nCMD ["/app"]',
    '\u0000\u0001binary\uFFFD',
    'FROM golang:1.23\nCOPY . .\nRUN ["go", "build", "-o", "app", "."]\nCMD ["./app"]',
    'FROM node:20\nWORKDIR /a\nCOPY . .\nRUN npm install express && npm ci\nCMD ["node", "i.js"]',
    `FROM python:3.11\n${'RUN pip install -r requirements.txt\n'.repeat(500)}CMD ["python"]`,
  ];
  for (const text of inputs) check(text, ctx, JSON.stringify(text.slice(0, 40)));
});

test('reorder: not offered without a build context (it copies only files that exist)', () => {
  const text = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "index.js"]\n';
  const titles = refactorActions(buildModel(text), { settings: DEFAULT_SETTINGS }).map((a) => a.title);
  assert.deepEqual(titles.filter((t) => t.startsWith('Reorder')), []);
});

test('reorder: an install of named packages (npm install express) is not moved', () => {
  const text = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm install express\nCMD ["node", "index.js"]\n';
  const ctx = { settings: DEFAULT_SETTINGS, context: memoryContext({ 'package.json': '{}' }) };
  assert.deepEqual(refactorActions(buildModel(text), ctx).filter((a) => a.title.startsWith('Reorder')), []);
});

test('reorder: an install after a step that may read the sources stays where it is', () => {
  const text = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN ./scripts/generate-lockfile.sh\nRUN npm ci\nCMD ["node", "index.js"]\n';
  const ctx = { settings: DEFAULT_SETTINGS, context: memoryContext({ 'package.json': '{}', 'scripts/generate-lockfile.sh': '' }) };
  assert.deepEqual(refactorActions(buildModel(text), ctx).filter((a) => a.title.startsWith('Reorder')), []);
});

test('split: not offered for a final stage that only runs an app (no toolchain, no build)', () => {
  const text = 'FROM node:20-slim\nWORKDIR /app\nCOPY dist ./dist\nCMD ["node", "dist/index.js"]\n';
  assert.equal(refactorActions(buildModel(text), { settings: DEFAULT_SETTINGS }).some((a) => a.title === SPLIT_TITLE), false);
});

test('split: not offered for an SDK image without a start command (a CI/tooling image)', () => {
  const text = 'FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build ./...\n';
  assert.equal(refactorActions(buildModel(text), { settings: DEFAULT_SETTINGS }).some((a) => a.title === SPLIT_TITLE), false);
});

test('split: respects the configured --target stage and leaves later stages alone', () => {
  const text = 'FROM golang:1.23 AS app\nWORKDIR /src\nCOPY . .\nRUN go build -o server .\nCMD ["./server"]\n\nFROM debian:bookworm-slim AS tools\nRUN echo tools\n';
  const ctx: RuleContext = { settings: { ...DEFAULT_SETTINGS, target: 'app' } };
  const model = buildModel(text, { target: 'app' });
  const split = refactorActions(model, ctx).find((a) => a.title === SPLIT_TITLE);
  assert.ok(split);
  const out = applyTextEdits(model, split.edits);
  assert.match(out, /FROM golang:1\.23 AS build\n/);
  assert.match(out, /FROM gcr\.io\/distroless\/static-debian12:nonroot AS app\n/);
  assert.match(out, /\nFROM debian:bookworm-slim AS tools\nRUN echo tools\n$/);
});

test('rewrites: a CRLF Dockerfile keeps CRLF line endings in the rewritten text', () => {
  const text = 'FROM golang:1.23\r\nWORKDIR /src\r\nCOPY . .\r\nRUN go build -o server .\r\nCMD ["./server"]\r\n';
  const ctx: RuleContext = { settings: DEFAULT_SETTINGS, context: memoryContext({ 'go.mod': 'module a\n', 'go.sum': '' }) };
  const model = buildModel(text);
  const actions = refactorActions(model, ctx);
  assert.deepEqual(actions.map((a) => a.title), [SPLIT_TITLE, 'Reorder for layer cache', 'Reorder for layer cache (with BuildKit cache mounts)']);
  for (const action of actions) {
    const out = applyTextEdits(model, action.edits);
    assert.equal(out.replace(/\r\n/g, '').includes('\n'), false, `${action.title}: no bare LF`);
  }
});

test('reorder: a heredoc RUN is left alone', () => {
  const text = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN <<EOF\nnpm ci\nEOF\nCMD ["node", "index.js"]\n';
  const ctx = { settings: DEFAULT_SETTINGS, context: memoryContext({ 'package.json': '{}' }) };
  assert.deepEqual(refactorActions(buildModel(text), ctx).filter((a) => a.title.startsWith('Reorder')), []);
});

test('reorder: manifests that .dockerignore leaves out of the context are not copied', () => {
  const text = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm install\nCMD ["node", "index.js"]\n';
  const ctx = { settings: DEFAULT_SETTINGS, context: memoryContext({ 'package.json': '{}', 'package-lock.json': '{}', '.npmrc': '', '.dockerignore': 'package-lock.json\n.npmrc\n' }) };
  const model = buildModel(text);
  const reorder = refactorActions(model, ctx).find((a) => a.title === 'Reorder for layer cache');
  assert.ok(reorder);
  assert.match(applyTextEdits(model, reorder.edits), /\nCOPY package\.json \.\/\nRUN npm install\nCOPY \. \.\n/);
});

test('split: a pinned --platform stays on the runtime stage, $BUILDPLATFORM stays with the builder', () => {
  const split = (from: string) => {
    const model = buildModel(`FROM ${from}\nWORKDIR /src\nCOPY . .\nRUN go build -o app .\nCMD ["./app"]\n`);
    const action = refactorActions(model, { settings: DEFAULT_SETTINGS }).find((a) => a.title === SPLIT_TITLE)!;
    return applyTextEdits(model, action.edits);
  };
  assert.match(split('--platform=linux/arm64 golang:1.23'), /\nFROM --platform=linux\/arm64 gcr\.io\/distroless\/static-debian12:nonroot AS runtime\n/);
  assert.match(split('--platform=$BUILDPLATFORM golang:1.23'), /\nFROM gcr\.io\/distroless\/static-debian12:nonroot AS runtime\n/);
});

test('reorder: an install chained after `cd` keeps the rest of the chain in that folder', () => {
  const text = 'FROM node:20\nWORKDIR /repo\nCOPY . .\nRUN cd web && npm ci && npm run build\nCMD ["node", "web/dist/index.js"]\n';
  const ctx = { settings: DEFAULT_SETTINGS, context: memoryContext({ 'web/package.json': '{}', 'web/package-lock.json': '{}' }) };
  const model = buildModel(text);
  const reorder = refactorActions(model, ctx).find((a) => a.title === 'Reorder for layer cache');
  assert.ok(reorder);
  assert.equal(applyTextEdits(model, reorder.edits),
    'FROM node:20\nWORKDIR /repo\nCOPY web/package.json web/package-lock.json ./web/\nRUN cd web && npm ci\nCOPY . .\nRUN cd web && npm run build\nCMD ["node", "web/dist/index.js"]\n');
});

test('reorder: an install whose manifests are missing is not carried above the sources with another one', () => {
  const text = 'FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install -r missing.txt\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n';
  const ctx = { settings: DEFAULT_SETTINGS, context: memoryContext({ 'requirements.txt': 'flask\n' }) };
  const model = buildModel(text);
  const reorder = refactorActions(model, ctx).find((a) => a.title === 'Reorder for layer cache');
  // missing.txt is not in the context: that install cannot move, and the other must not jump over it.
  assert.equal(reorder, undefined);
});

test('rewrites: none are offered past MAX_REWRITE_LINES (generated files), so code actions stay quick', () => {
  const stage = 'FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o app .\n';
  const text = `${stage}${'ENV A=1\n'.repeat(MAX_REWRITE_LINES)}CMD ["./app"]\n`;
  assert.deepEqual(refactorActions(buildModel(text), { settings: DEFAULT_SETTINGS }), []);
  assert.equal(refactorActions(buildModel(`${stage}CMD ["./app"]\n`), { settings: DEFAULT_SETTINGS }).length, 1);
});

test('reorder: manifests already copied alone, a source folder before the install: the install moves above the folder', () => {
  const text = 'FROM python:3.11\nWORKDIR /srv\nCOPY requirements.txt .\nCOPY app ./app\nRUN pip install -r requirements.txt\nCMD ["python", "-m", "app"]\n';
  const ctx = { settings: DEFAULT_SETTINGS, context: memoryContext({ 'requirements.txt': 'flask\n', 'app/__init__.py': '' }) };
  const model = buildModel(text);
  const reorder = refactorActions(model, ctx).find((a) => a.title === 'Reorder for layer cache');
  assert.ok(reorder);
  assert.equal(applyTextEdits(model, reorder.edits), 'FROM python:3.11\nWORKDIR /srv\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY app ./app\nCMD ["python", "-m", "app"]\n');
});
