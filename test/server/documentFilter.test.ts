// BuildKit's ignore files and the compare panel's baselines are never linted as Dockerfiles, even when
// they reach the server with the Dockerfile language (a user's files.associations, an older client).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BASELINE_SCHEME, isLintedDocument } from '../../server/src/handlers/documentFilter';
import { LspClient } from '../support/lspClient';

test('isLintedDocument: Dockerfiles yes; ignore files and baselines no', () => {
  for (const uri of ['file:///w/Dockerfile', 'file:///w/Dockerfile.prod', 'file:///w/api.Dockerfile', 'untitled:Untitled-1', 'file:///w/Containerfile']) {
    assert.equal(isLintedDocument(uri), true, uri);
  }
  for (const uri of ['file:///w/.dockerignore', 'file:///w/Dockerfile.dockerignore', 'file:///w/api.Dockerfile.dockerignore', 'file:///w/Dockerfile.DOCKERIGNORE', `${BASELINE_SCHEME}:/w/Dockerfile?side=before`]) {
    assert.equal(isLintedDocument(uri), false, uri);
  }
});

let client: LspClient;
before(async () => {
  spawnSync(process.execPath, ['esbuild.config.mjs'], { cwd: join(__dirname, '..', '..') });
  client = new LspClient();
  await client.initialize();
});
after(() => client.shutdown());

test('server: a Dockerfile.dockerignore opened as a Dockerfile gets no diagnostics and no code actions', async () => {
  const ignore = 'file:///tmp/multistage-filter/Dockerfile.dockerignore';
  const dockerfile = 'file:///tmp/multistage-filter/Dockerfile';
  // Ignore-file syntax that is a Dockerfile syntax error: a Dockerfile would get diagnostics for it.
  const text = 'node_modules\n*.log\n!keep.log\n';
  client.open(ignore, text, 1);
  client.open(dockerfile, text, 1);
  const published = await client.diagnosticsFor(dockerfile, 1);
  assert.ok(published.length > 0, 'the same text as a Dockerfile is reported (test premise)');
  assert.equal(client.notifications.filter((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === ignore).length, 0);
  const actions = await client.request('textDocument/codeAction', {
    textDocument: { uri: ignore },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [], triggerKind: 1 },
  });
  assert.deepEqual(actions, []);
});
