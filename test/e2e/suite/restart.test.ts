/// <reference types="mocha" />
// "Multistage: Restart Language Server" stops the server and starts a new one, which publishes the
// diagnostics again and keeps answering edits.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, activateExtension, codeOf, multistageDiagnostics, openFile, setText, waitForDiagnostic } from './support/workspace';

/** The part of the extension's API (activate()'s return value) this test uses. */
interface ClientHandle {
  isRunning(): boolean;
  onDidChangeState(listener: (e: { oldState: number; newState: number }) => void): vscode.Disposable;
}

// vscode-languageclient's State enum.
const STOPPED = 1;
const RUNNING = 2;

suite('restart command', () => {
  suiteSetup(async () => {
    await activateExtension();
  });

  test('multistage.restartServer: the client stops and runs again, diagnostics come back, the new server answers edits', async () => {
    const editor = await openFile('restart/Dockerfile');
    const uri = editor.document.uri;
    await waitForDiagnostic(uri, 'unknown-stage-reference');

    const api = vscode.extensions.getExtension<{ client(): ClientHandle | undefined }>(EXTENSION_ID)?.exports;
    const client = api?.client();
    assert.ok(client, 'activate() returns an API exposing the language client');
    assert.equal(client.isRunning(), true, 'the language client runs before the restart');
    // Client state changes are events of the client itself, so this sees the stop however fast the new
    // server comes up (diagnostics events are debounced and could hide it).
    const states: number[] = [];
    const listener = client.onDidChangeState((e) => states.push(e.newState));
    try {
      await vscode.commands.executeCommand('multistage.restartServer');
    } finally {
      listener.dispose();
    }
    const stopped = states.indexOf(STOPPED);
    assert.ok(stopped >= 0, `the client never stopped (states: ${states.join(',')})`);
    assert.ok(states.indexOf(RUNNING, stopped) > stopped, `the client did not run again (states: ${states.join(',')})`);
    assert.equal(client.isRunning(), true);
    await waitForDiagnostic(uri, 'unknown-stage-reference');

    // The new server follows edits: introduce a duplicate stage name and see it reported.
    const text = editor.document.getText().replace('FROM alpine:3.20\n', 'FROM alpine:3.20 AS Base\n');
    await setText(editor, text);
    const dup = await waitForDiagnostic(uri, 'duplicate-stage-name');
    assert.equal(dup.range.start.line, 3);
    assert.ok(multistageDiagnostics(uri).some((d) => codeOf(d) === 'unknown-stage-reference'));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
