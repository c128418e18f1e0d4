/// <reference types="mocha" />
// Editor behaviour a user meets beside the rules: ignore files are not Dockerfiles, compare baselines open
// read-only (never an Untitled buffer, never linted), and Build and Compare is registered whatever the trust.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, multistageDiagnostics, openFile, waitForDiagnostic, workspaceFile } from './support/workspace';

/** Long enough for the server to publish (it does within ~100 ms of a change). */
const QUIET_MS = 2000;

suite('editor polish', () => {
  let api: { openBaseline(path: string | undefined, label: string, text: string): Promise<vscode.TextDocument> };

  suiteSetup(async () => {
    api = (await activateExtension()).exports as typeof api;
  });

  test('Dockerfile.dockerignore opens as an ignore file and gets no Dockerfile diagnostics', async () => {
    const dockerfile = await openFile('ignorefiles/Dockerfile');
    // The Dockerfile next to it is linted (the server is up and reads this folder).
    await waitForDiagnostic(dockerfile.document.uri, 'runs-as-root');
    const editor = await openFile('ignorefiles/Dockerfile.dockerignore');
    assert.equal(editor.document.languageId, 'ignore');
    await new Promise((r) => setTimeout(r, QUIET_MS));
    assert.deepEqual(multistageDiagnostics(editor.document.uri), []);
  });

  test('a compare baseline opens read-only under its own scheme, is not linted, and is reused', async () => {
    const path = workspaceFile('diagnostics/Dockerfile').fsPath;
    const text = 'FROM scratch\nCOPY --from=nowhere /a /a\n';
    const document = await api.openBaseline(path, 'HEAD', text);
    assert.equal(document.uri.scheme, 'multistage-baseline');
    assert.equal(document.isUntitled, false);
    assert.equal(document.isDirty, false);
    assert.equal(document.languageId, 'dockerfile');
    assert.equal(document.getText(), text);
    await vscode.window.showTextDocument(document);
    await new Promise((r) => setTimeout(r, QUIET_MS));
    assert.deepEqual(multistageDiagnostics(document.uri), [], 'the unknown stage in the baseline is not reported');
    assert.equal((await api.openBaseline(path, 'HEAD', text)).uri.toString(), document.uri.toString(), 'the same baseline reuses its document');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.isUntitled && d.getText() === text), 'no Untitled buffer');
  });

  test('Build and Compare is registered (it explains itself when the workspace is not trusted)', async () => {
    assert.ok((await vscode.commands.getCommands(true)).includes('multistage.buildAndCompare'));
  });
});
