/// <reference types="mocha" />
// `source.fixAll.multistage` through `editor.codeActionsOnSave`: saving applies every safe fix, and the
// saved file on disk is the fixed text.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from './support/wait';
import { activateExtension, multistageDiagnostics, codeOf, openFile, waitForDiagnostic, waitForNoDiagnostic } from './support/workspace';

const FIXED = [
  'FROM debian:12-slim AS builder',
  'RUN echo build > /out.txt',
  '',
  'FROM debian:12-slim',
  'RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*',
  'COPY --from=builder /out.txt /out.txt',
  'USER nobody',
  '',
].join('\n');

suite('fix all on save', () => {
  suiteSetup(async () => {
    await activateExtension();
  });

  test('source.fixAll.multistage: with editor.codeActionsOnSave, saving applies the safe fixes', async () => {
    const config = vscode.workspace.getConfiguration('editor', { languageId: 'dockerfile' });
    const before = config.inspect('codeActionsOnSave')?.workspaceValue;
    await config.update('codeActionsOnSave', { 'source.fixAll.multistage': 'explicit' }, vscode.ConfigurationTarget.Workspace);
    try {
      const editor = await openFile('fixall/Dockerfile');
      const uri = editor.document.uri;
      await waitForDiagnostic(uri, 'numeric-stage-reference');
      await waitForDiagnostic(uri, 'apt-lists-not-removed');
      // The user types the last line, then saves; the fixes run as part of the save.
      assert.equal(editor.document.lineCount, 7);
      await editor.edit((b) => b.insert(new vscode.Position(6, 0), 'USER nobody\n'));
      assert.ok(editor.document.isDirty);
      assert.ok(await editor.document.save(), 'save failed');

      assert.equal(editor.document.getText(), FIXED);
      const onDisk = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
      assert.equal(onDisk, FIXED);
      await waitForNoDiagnostic(uri, 'numeric-stage-reference');
      await waitForNoDiagnostic(uri, 'apt-lists-not-removed');
      // apt-recommends-installed has no safe fix: it stays for the user to decide.
      await waitFor('apt-recommends-installed to remain', () =>
        multistageDiagnostics(uri).some((d) => codeOf(d) === 'apt-recommends-installed'));
    } finally {
      await config.update('codeActionsOnSave', before, vscode.ConfigurationTarget.Workspace);
    }
  });
});
