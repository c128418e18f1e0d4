/// <reference types="mocha" />
// "Multistage: Restart Language Server" stops the server (its diagnostics are withdrawn) and starts a new
// one that publishes them again and keeps answering edits.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, activateExtension, codeOf, multistageDiagnostics, openFile, setText, waitForDiagnostic } from './support/workspace';

suite('restart command', () => {
  suiteSetup(async () => {
    await activateExtension();
  });

  test('multistage.restartServer: diagnostics are withdrawn, come back, and the new server answers edits', async () => {
    const editor = await openFile('restart/Dockerfile');
    const uri = editor.document.uri;
    await waitForDiagnostic(uri, 'unknown-stage-reference');

    // Record every state of this file's diagnostics while the command runs: the old server's diagnostics
    // must disappear (client stopped) before the new server publishes again.
    const states: number[] = [];
    const listener = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) states.push(multistageDiagnostics(uri).length);
    });
    try {
      await vscode.commands.executeCommand('multistage.restartServer');
      await waitForDiagnostic(uri, 'unknown-stage-reference');
    } finally {
      listener.dispose();
    }
    // The file always has a problem, so an empty state can only come from the stopped client; that the
    // diagnostics are back was shown by waitForDiagnostic above. (onDidChangeDiagnostics is debounced, so
    // the republished state may arrive after the listener is gone.)
    assert.ok(states.includes(0), `diagnostics were never withdrawn during the restart (states: ${states.join(',')})`);
    const api = vscode.extensions.getExtension<{ client(): { isRunning(): boolean } | undefined }>(EXTENSION_ID)?.exports;
    assert.equal(api?.client()?.isRunning(), true, 'the extension API reports the restarted client running');

    // The new server follows edits: introduce a duplicate stage name and see it reported.
    const text = editor.document.getText().replace('FROM alpine:3.20\n', 'FROM alpine:3.20 AS Base\n');
    await setText(editor, text);
    const dup = await waitForDiagnostic(uri, 'duplicate-stage-name');
    assert.equal(dup.range.start.line, 3);
    assert.ok(multistageDiagnostics(uri).some((d) => codeOf(d) === 'unknown-stage-reference'));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
