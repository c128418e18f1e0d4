// Protocol tests: the bundled server over stdio, as an editor talks to it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient } from '../support/lspClient';
import { applyEdits } from '../support/analysis';

const URI = 'file:///work/project/Dockerfile';
const BAD = 'FROM golang:1.22 AS builder\nRUN go build -o /app .\nFROM scratch\nCOPY --from=buidler /app /app\n';

let client: LspClient;
before(async () => {
  client = new LspClient();
  client.settings['*'] = { rules: {} };
});
after(async () => client.shutdown());

test('server: initialize announces incremental sync and the four code action kinds', async () => {
  const result = await client.initialize({ docsUrl: 'https://example.test/rules.md' });
  assert.equal(result.capabilities.textDocumentSync, 2);
  assert.deepEqual(result.capabilities.codeActionProvider.codeActionKinds, [
    'quickfix',
    'refactor.rewrite.multistage.split',
    'refactor.rewrite.multistage.reorder',
    'source.fixAll.multistage',
  ]);
  assert.equal(result.serverInfo.name, 'multistage');
});

test('server: publishes diagnostics with rule code, source, docs link, range and fixes in data', async () => {
  client.open(URI, BAD, 1);
  const diagnostics = await client.diagnosticsFor(URI, 1);
  const d = diagnostics.find((x) => x.code === 'unknown-stage-reference');
  assert.ok(d, JSON.stringify(diagnostics));
  assert.equal(d.source, 'multistage');
  assert.equal(d.severity, 1);
  assert.equal(d.codeDescription.href, 'https://example.test/rules.md#unknown-stage-reference');
  assert.deepEqual(d.range, { start: { line: 3, character: 12 }, end: { line: 3, character: 19 } });
  assert.equal(d.data.version, 1);
  assert.equal(d.data.fixes[0].title, "Change to 'builder'");
});

test('server: the quick fix comes back as a versioned WorkspaceEdit and clears the diagnostic', async () => {
  const diagnostics = await client.diagnosticsFor(URI, 1);
  const actions = await client.request('textDocument/codeAction', {
    textDocument: { uri: URI },
    range: diagnostics[0].range,
    context: { diagnostics },
  });
  const fix = actions.find((a: any) => a.title === "Change to 'builder'");
  assert.ok(fix, JSON.stringify(actions.map((a: any) => a.title)));
  assert.equal(fix.kind, 'quickfix');
  assert.equal(fix.isPreferred, true);
  const change = fix.edit.documentChanges[0];
  assert.deepEqual(change.textDocument, { uri: URI, version: 1 });
  const fixed = applyEdits(BAD, change.edits);
  client.change(URI, 2, fixed);
  const after = await client.diagnosticsFor(URI, 2);
  assert.equal(after.filter((x) => x.code === 'unknown-stage-reference').length, 0);
});

test('server: every diagnostic offers "Ignore <rule> for this line", which silences it', async () => {
  const text = 'FROM alpine AS a\nFROM alpine\nCOPY --from=0 /x /x\n';
  client.open('file:///work/project/ignore.Dockerfile', text, 1);
  const diagnostics = await client.diagnosticsFor('file:///work/project/ignore.Dockerfile', 1);
  const d = diagnostics.find((x) => x.code === 'numeric-stage-reference');
  assert.ok(d);
  const actions = await client.request('textDocument/codeAction', {
    textDocument: { uri: 'file:///work/project/ignore.Dockerfile' },
    range: d.range,
    context: { diagnostics: [d] },
  });
  const ignore = actions.find((a: any) => a.title === 'Ignore numeric-stage-reference for this line');
  assert.ok(ignore);
  const ignored = applyEdits(text, ignore.edit.documentChanges[0].edits);
  assert.equal(ignored, 'FROM alpine AS a\nFROM alpine\n# multistage-ignore numeric-stage-reference\nCOPY --from=0 /x /x\n');
  client.change('file:///work/project/ignore.Dockerfile', 2, ignored);
  const after = await client.diagnosticsFor('file:///work/project/ignore.Dockerfile', 2);
  assert.equal(after.filter((x) => x.code === 'numeric-stage-reference').length, 0);
});

test('server: source.fixAll.multistage applies every safe fix in one edit', async () => {
  const uri = 'file:///work/project/fixall.Dockerfile';
  const text = 'FROM golang:1.22\nRUN go build -o /app .\nFROM scratch\nCOPY --from=0 /app /app\nCOPY --from=0 /etc/ssl /etc/ssl\n';
  client.open(uri, text, 1);
  await client.diagnosticsFor(uri, 1);
  const actions = await client.request('textDocument/codeAction', {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [], only: ['source.fixAll.multistage'] },
  });
  assert.equal(actions.length, 1);
  assert.equal(actions[0].kind, 'source.fixAll.multistage');
  const fixed = applyEdits(text, actions[0].edit.documentChanges[0].edits);
  assert.equal(fixed, 'FROM golang:1.22 AS builder\nRUN go build -o /app .\nFROM scratch\nCOPY --from=builder /app /app\nCOPY --from=builder /etc/ssl /etc/ssl\n');
});

test('server: a settings change turns a rule off and is re-read per document', async () => {
  const uri = 'file:///work/project/settings.Dockerfile';
  client.open(uri, BAD, 1);
  assert.ok((await client.diagnosticsFor(uri, 1)).some((d) => d.code === 'unknown-stage-reference'));
  const requestsBefore = client.configurationRequests;
  client.settings['*'] = { rules: { 'unknown-stage-reference': 'off' } };
  const mark = client.notifications.length;
  client.notify('workspace/didChangeConfiguration', { settings: null });
  const republished = await client.waitFor((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri, 10_000, mark);
  assert.equal(republished.params.diagnostics.filter((d: any) => d.code === 'unknown-stage-reference').length, 0);
  assert.ok(client.configurationRequests > requestsBefore, 'settings were fetched again after the change');
  client.settings['*'] = { rules: {} };
});

test('server: severity overrides change the published severity', async () => {
  const uri = 'file:///work/project/severity.Dockerfile';
  client.settings[uri] = { rules: { 'unused-stage': 'error' } };
  client.open(uri, 'FROM alpine AS unused\nFROM alpine\n', 1);
  const d = (await client.diagnosticsFor(uri, 1)).find((x) => x.code === 'unused-stage');
  assert.equal(d.severity, 1);
  assert.deepEqual(d.tags, [1]);
});

test('server: a burst of edits is coalesced: the newest version is published and stale ones are dropped', async () => {
  const uri = 'file:///work/project/burst.Dockerfile';
  client.open(uri, 'FROM alpine\n', 1);
  await client.diagnosticsFor(uri, 1);
  const before = await client.request('multistage/stats', null);
  for (let v = 2; v <= 60; v++) client.change(uri, v, `FROM alpine\n${'RUN echo x\n'.repeat(v)}COPY --from=nope /a /a\n`);
  const last = await client.diagnosticsFor(uri, 60);
  assert.equal(last.filter((d) => d.code === 'unknown-stage-reference').length, 1);
  const stats = await client.request('multistage/stats', null);
  assert.ok(stats.droppedStaleVersions > before.droppedStaleVersions, JSON.stringify(stats));
  assert.ok(stats.analysed - before.analysed < 59, `analysed ${stats.analysed - before.analysed} of 59 versions`);
});

test('server: survives binary garbage and half-typed text, and keeps answering', async () => {
  const uri = 'file:///work/project/garbage.Dockerfile';
  const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1');
  client.open(uri, garbage, 1);
  await client.diagnosticsFor(uri, 1);
  client.change(uri, 2, 'FROM \\\nRUN --mount=type= \\\nCOPY --from=');
  await client.diagnosticsFor(uri, 2);
  const stats = await client.request('multistage/stats', null);
  assert.ok(stats.analysed > 0);
  assert.equal(client.process.exitCode, null);
});
