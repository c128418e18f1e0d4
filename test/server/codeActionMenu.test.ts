// What the light bulb and the quick-fix menu show, over the protocol: rewrites come with the light bulb
// (triggerKind Automatic) only where a diagnostic they fix is under the cursor, never on comment or clean
// lines; explicit requests (Ctrl+., triggerKind Invoked) list them everywhere. In the menu the real fixes
// come first with one preferred, "Ignore <rule> for this line" last.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../support/lspClient';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'rewrite', 'node-ts-api');
const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'multistage-menu-ws-'));
const uri = pathToFileURL(path.join(ws, 'Dockerfile')).toString();
// Line 0 a comment, line 2 the final stage (toolchain-in-final-stage and more), line 3 a clean WORKDIR;
// line 9 copies from a stage by number (numeric-stage-reference, with a safe fix).
const TEXT = [
  '# The API image',
  'FROM node:20.11-bookworm AS deps',
  'FROM node:20',
  'WORKDIR /app',
  'COPY . .',
  'RUN npm ci',
  'RUN npm run build',
  'ENV PORT=3000',
  'EXPOSE 3000',
  'COPY --from=0 /app/package.json /tmp/package.json',
  'CMD ["node", "dist/server.js"]',
  '',
].join('\n');
const AUTOMATIC = 2;
const INVOKED = 1;
let client: LspClient;
let diagnostics: any[];

before(async () => {
  spawnSync(process.execPath, ['esbuild.config.mjs'], { cwd: path.join(__dirname, '..', '..') });
  fs.cpSync(FIXTURE, ws, { recursive: true });
  client = new LspClient();
  client.settings['*'] = { rules: {} };
  await client.initializeWorkspace(ws);
  client.open(uri, TEXT, 1);
  diagnostics = await client.diagnosticsFor(uri, 1);
});

after(async () => {
  await client.shutdown();
  fs.rmSync(ws, { recursive: true, force: true });
});

const at = (line: number, character = 0) => ({ start: { line, character }, end: { line, character } });
const onLine = (line: number) => diagnostics.filter((d) => d.range.start.line <= line && d.range.end.line >= line);
const ask = (line: number, triggerKind: number, only?: string[]) =>
  client.request('textDocument/codeAction', { textDocument: { uri }, range: at(line, 1), context: { diagnostics: onLine(line), triggerKind, ...(only ? { only } : {}) } });
const titles = (actions: any[]) => actions.map((a: any) => `${a.kind}: ${a.title}`);

test('light bulb: nothing on a comment line or a clean instruction; the same lines list the rewrites on Ctrl+.', async () => {
  for (const line of [0, 3]) {
    assert.deepEqual(onLine(line).map((d) => d.code), [], `line ${line} has no diagnostic (test premise)`);
    assert.deepEqual(await ask(line, AUTOMATIC), [], `no light bulb on line ${line}`);
    const explicit = titles(await ask(line, INVOKED));
    assert.ok(explicit.includes('refactor.rewrite.multistage.split: Split into builder and runtime stages'), `Ctrl+. on line ${line}: ${explicit}`);
    assert.ok(explicit.includes('refactor.rewrite.multistage.reorder: Reorder for layer cache'), `Ctrl+. on line ${line}: ${explicit}`);
  }
});

test('light bulb: on the diagnostic the split fixes, the split is its preferred quick fix', async () => {
  const line = diagnostics.find((d) => d.code === 'toolchain-in-final-stage').range.start.line;
  const actions = await ask(line, AUTOMATIC);
  const split = actions.filter((a: any) => /Split/.test(a.title));
  assert.equal(split.length, 1, titles(actions).join(' | '));
  assert.equal(split[0].kind, 'quickfix');
  assert.equal(split[0].isPreferred, true);
  assert.ok(!actions.some((a: any) => a.kind.startsWith('refactor')), 'no refactor entries in the light bulb');
});

test('menu: the real fix first and preferred, "Ignore …" after every fix', async () => {
  const actions = await ask(9, INVOKED, ['quickfix']);
  const list = titles(actions);
  const fix = list.indexOf("quickfix: Use the stage name 'deps'");
  assert.equal(fix, 0, list.join(' | '));
  assert.equal(actions[0].isPreferred, true);
  const firstIgnore = list.findIndex((t) => t.startsWith('quickfix: Ignore '));
  assert.ok(firstIgnore > 0, list.join(' | '));
  assert.ok(list.slice(firstIgnore).every((t) => t.startsWith('quickfix: Ignore ')), `ignores last: ${list.join(' | ')}`);
  assert.equal(actions.filter((a: any) => a.isPreferred).length, 1, 'one preferred fix for one diagnostic');
});

test('menu: with several diagnostics on a line, every fix comes before any "Ignore …"', async () => {
  // Line 2 (FROM node:20) carries several findings; some have fixes, all have an Ignore.
  const actions = await ask(2, INVOKED);
  const list = titles(actions);
  assert.ok(onLine(2).length >= 2, `premise: several diagnostics on line 2: ${onLine(2).map((d) => d.code)}`);
  const firstIgnore = list.findIndex((t) => t.includes(': Ignore '));
  assert.ok(firstIgnore > 0, list.join(' | '));
  assert.equal(list.slice(firstIgnore).filter((t) => !t.includes(': Ignore ')).length, 0, `nothing after the first Ignore but Ignores: ${list.join(' | ')}`);
});
