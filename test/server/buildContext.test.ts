// The build-context reader over the protocol: the server reads the Dockerfile's context from disk (the
// folder multistage.buildContexts maps it to), offers a fix that creates .dockerignore, and re-checks
// open Dockerfiles when the client reports watched-file changes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../support/lspClient';

const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'multistage-ws-'));
const dockerfile = path.join(ws, 'docker', 'api.Dockerfile');
const uri = pathToFileURL(dockerfile).toString();
const TEXT = 'FROM node:20-slim\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci --omit=dev\nCOPY . .\nUSER node\nCMD ["node", "server.js"]\n';
let client: LspClient;

function write(rel: string, content = ''): void {
  const file = path.join(ws, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

before(async () => {
  write('docker/api.Dockerfile', TEXT);
  write('package.json', '{"name":"api"}');
  write('server.js', '');
  write('node_modules/express/index.js', '');
  client = new LspClient();
  client.settings['*'] = { rules: {}, buildContexts: { 'docker/api.Dockerfile': '.', 'svc/Dockerfile': '.' } };
  await client.initializeWorkspace(ws, { didChangeWatchedFiles: { dynamicRegistration: false } });
});

after(async () => {
  await client.shutdown();
  fs.rmSync(ws, { recursive: true, force: true });
});

test('server: reads the mapped build context from disk and reports missing-dockerignore with a create-file fix', async () => {
  client.open(uri, TEXT, 1);
  const diagnostics = await client.diagnosticsFor(uri, 1);
  const missing = diagnostics.find((d) => d.code === 'missing-dockerignore');
  assert.ok(missing, JSON.stringify(diagnostics.map((d) => d.code)));
  assert.match(missing.message, /node_modules will be copied/, 'the context is the workspace root, as buildContexts says, not docker/');
  const actions = await client.request('textDocument/codeAction', {
    textDocument: { uri },
    range: missing.range,
    context: { diagnostics: [missing], only: ['quickfix'] },
  });
  const create = actions.find((a: any) => a.title.startsWith('Create a .dockerignore'));
  assert.ok(create, JSON.stringify(actions.map((a: any) => a.title)));
  const ignoreUri = pathToFileURL(path.join(ws, '.dockerignore')).toString();
  const [createFile, fill] = create.edit.documentChanges;
  assert.deepEqual(createFile, { kind: 'create', uri: ignoreUri, options: { ignoreIfExists: true } });
  assert.equal(fill.textDocument.uri, ignoreUri);
  assert.match(fill.edits[0].newText, /^\*\*\/node_modules$/m);
});

test('server: a watched-file event for a new .dockerignore re-publishes diagnostics from the fresh context', async () => {
  write('.dockerignore', '.git\n');
  const from = client.notifications.length;
  client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path.join(ws, '.dockerignore')).toString(), type: 1 }] });
  const published = await client.waitFor((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri, 10_000, from);
  const codes = published.params.diagnostics.map((d: any) => d.code);
  assert.ok(!codes.includes('missing-dockerignore'), JSON.stringify(codes));
  assert.ok(codes.includes('dockerignore-gaps'), 'node_modules is still not excluded');
});

test('server: changes outside every open Dockerfile\'s context do not trigger re-analysis', async () => {
  const before = await client.request('multistage/stats', null);
  client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path.join(os.tmpdir(), 'unrelated-file.txt')).toString(), type: 2 }] });
  // A request after the notification is answered after it was handled (the server reads messages in
  // order); the extra wait covers the diagnostics scheduler's 15 ms coalescing delay, which a refresh
  // would have started. Proving that nothing happens needs a bounded wait.
  await client.request('multistage/stats', null);
  await new Promise((r) => setTimeout(r, 100));
  const after = await client.request('multistage/stats', null);
  assert.equal(after.analysed, before.analysed);
});

test('server: a workspace folder added later is used to resolve multistage.buildContexts', async () => {
  const ws2 = path.join(ws, 'second');
  write('second/svc/Dockerfile', 'FROM node:20-slim\nCOPY . /app\nUSER node\n');
  write('second/node_modules/x/index.js', '');
  const svc = pathToFileURL(path.join(ws2, 'svc', 'Dockerfile')).toString();
  client.open(svc, 'FROM node:20-slim\nCOPY . /app\nUSER node\n', 1);
  const first = (await client.diagnosticsFor(svc, 1)).find((d) => d.code === 'missing-dockerignore');
  assert.ok(first);
  assert.doesNotMatch(first.message, /node_modules/, 'outside any folder the mapping cannot apply: the context is svc/');
  const from = client.notifications.length;
  client.notify('workspace/didChangeWorkspaceFolders', { event: { added: [{ uri: pathToFileURL(ws2).toString(), name: 'second' }], removed: [] } });
  const published = await client.waitFor((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === svc, 10_000, from);
  const again = published.params.diagnostics.find((d: any) => d.code === 'missing-dockerignore');
  assert.match(again.message, /node_modules will be copied/, 'the mapped context (second/) is used now');
});
