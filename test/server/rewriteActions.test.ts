// The rewrites over the protocol: the bundled server reads the build context from disk and offers
// "Split into builder and runtime stages" / "Reorder for layer cache" as refactorings, and as the quick
// fixes of toolchain-in-final-stage / copy-before-dependency-install, with WorkspaceEdits for the
// document version asked about; multistage.split.runtimeFlavor reaches the split.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../support/lspClient';
import { applyEdits } from '../../server/src/analysis/textEdits';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'rewrite', 'node-ts-api');
const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'multistage-rewrite-ws-'));
const uri = pathToFileURL(path.join(ws, 'Dockerfile')).toString();
const TEXT = fs.readFileSync(path.join(FIXTURE, 'Dockerfile'), 'utf8');
let client: LspClient;

before(async () => {
  spawnSync(process.execPath, ['esbuild.config.mjs'], { cwd: path.join(__dirname, '..', '..') });
  fs.cpSync(FIXTURE, ws, { recursive: true });
  client = new LspClient();
  client.settings['*'] = { rules: {}, split: { runtimeFlavor: 'slim' } };
  await client.initializeWorkspace(ws);
  client.open(uri, TEXT, 3);
});

after(async () => {
  await client.shutdown();
  fs.rmSync(ws, { recursive: true, force: true });
});

const whole = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
/** The document after the action's edits (several line-level edits, all against the text asked about). */
const newText = (action: any, text = TEXT) => applyEdits(text, action.edit.documentChanges[0].edits);

test('server rewrites: the Refactor menu lists split, reorder and the cache-mount variant with edits for this version', async () => {
  await client.diagnosticsFor(uri, 3);
  const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: whole, context: { diagnostics: [], only: ['refactor'] } });
  const byTitle = new Map(actions.map((a: any) => [a.title, a]));
  const split: any = byTitle.get('Split into builder and runtime stages');
  assert.ok(split, JSON.stringify([...byTitle.keys()]));
  assert.equal(split.kind, 'refactor.rewrite.multistage.split');
  assert.equal(split.edit.documentChanges[0].textDocument.version, 3);
  assert.match(newText(split), /FROM node:20-slim AS runtime/, 'runtimeFlavor slim from the settings');
  assert.equal(newText(split), fs.readFileSync(path.join(FIXTURE, 'Dockerfile.split'), 'utf8'), 'the golden split');
  // Minimal edits, not one whole-file replacement: unchanged lines (WORKDIR /app, COPY . .) are not rewritten.
  const edits = split.edit.documentChanges[0].edits;
  assert.ok(edits.length > 1, `several edits: ${JSON.stringify(edits)}`);
  const covers = (line: number) => edits.some((e: any) => e.range.start.line <= line && e.range.end.line > line);
  assert.deepEqual([1, 2, 3, 4].filter(covers), [], `lines 2-5 (WORKDIR … RUN npm run build) are kept as they are: ${JSON.stringify(edits)}`);
  const reorder: any = byTitle.get('Reorder for layer cache');
  assert.equal(reorder?.kind, 'refactor.rewrite.multistage.reorder');
  assert.match(newText(reorder), /\nCOPY package\.json package-lock\.json \.\/\nRUN npm ci\nCOPY \. \./, 'manifests read from the context on disk');
  assert.ok(byTitle.has('Reorder for layer cache (with BuildKit cache mounts)'));
});

test('server rewrites: with a syntax error elsewhere, the Refactor menu shows both rewrites greyed out with the reason, the light bulb none', async () => {
  const brokenUri = pathToFileURL(path.join(ws, 'Dockerfile.broken')).toString();
  client.open(brokenUri, `FROM node:20 AS deps extra\nRUN true\n\n${TEXT}`, 1);
  const diagnostics = await client.diagnosticsFor(brokenUri, 1);
  const menu = await client.request('textDocument/codeAction', { textDocument: { uri: brokenUri }, range: whole, context: { diagnostics: [], only: ['refactor'] } });
  assert.deepEqual(menu.map((a: any) => [a.title, a.kind, a.edit]), [
    ['Split into builder and runtime stages', 'refactor.rewrite.multistage.split', undefined],
    ['Reorder for layer cache', 'refactor.rewrite.multistage.reorder', undefined],
  ]);
  for (const action of menu) assert.match(action.disabled?.reason, /^Not available: the Dockerfile has a syntax error on line 1 \(FROM requires either one or three arguments\); fix it first\.$/);
  const toolchain = diagnostics.find((d: any) => d.code === 'toolchain-in-final-stage');
  assert.ok(toolchain, JSON.stringify(diagnostics.map((d: any) => d.code)));
  const bulb = await client.request('textDocument/codeAction', { textDocument: { uri: brokenUri }, range: toolchain.range, context: { diagnostics: [toolchain] } });
  assert.deepEqual(bulb.filter((a: any) => /Split|Reorder/.test(a.title)), []);
});

test('server rewrites: the light bulb on toolchain-in-final-stage offers the split once, as its preferred quick fix', async () => {
  const diagnostics = await client.diagnosticsFor(uri, 3);
  const toolchain = diagnostics.find((d: any) => d.code === 'toolchain-in-final-stage');
  assert.ok(toolchain, JSON.stringify(diagnostics.map((d: any) => d.code)));
  const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: toolchain.range, context: { diagnostics: [toolchain] } });
  const splits = actions.filter((a: any) => a.title === 'Split into builder and runtime stages');
  assert.equal(splits.length, 1, JSON.stringify(actions.map((a: any) => `${a.kind}: ${a.title}`)));
  assert.equal(splits[0].kind, 'quickfix');
  assert.equal(splits[0].isPreferred, true);
  assert.deepEqual(splits[0].diagnostics, [toolchain]);
});

test('server rewrites: where the install runs a lifecycle script that needs the sources, the Refactor menu shows the reorder greyed out with the reason', async () => {
  const dir = path.join(ws, 'yarn-postinstall');
  fs.mkdirSync(path.join(dir, 'scripts'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), '{"scripts":{"postinstall":"node scripts/gen.js"}}\n');
  fs.writeFileSync(path.join(dir, 'yarn.lock'), '');
  fs.writeFileSync(path.join(dir, 'scripts', 'gen.js'), '');
  const yarnUri = pathToFileURL(path.join(dir, 'Dockerfile')).toString();
  client.open(yarnUri, 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN yarn install --frozen-lockfile\n', 1);
  await client.diagnosticsFor(yarnUri, 1);
  const menu = await client.request('textDocument/codeAction', { textDocument: { uri: yarnUri }, range: whole, context: { diagnostics: [], only: ['refactor.rewrite.multistage.reorder'] } });
  assert.deepEqual(menu.map((a: any) => [a.title, a.edit]), [['Reorder for layer cache', undefined]]);
  assert.equal(menu[0].disabled?.reason, 'Not available: the dependency install needs the sources: package.json runs a "postinstall" script (node scripts/gen.js) during yarn install, which may read the sources; yarn cannot run them later exactly as its install does.');
});
