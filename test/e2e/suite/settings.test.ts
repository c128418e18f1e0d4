/// <reference types="mocha" />
// `multistage.rules` changes reach the server through workspace/configuration and re-publish
// diagnostics for open documents without reopening them.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, openFile, setSetting, waitForDiagnostic, waitForNoDiagnostic } from './support/workspace';

suite('settings', () => {
  suiteSetup(async () => {
    await activateExtension();
  });

  test('multistage.rules: "off" removes a rule\'s diagnostics and removing the override brings them back', async () => {
    const editor = await openFile('settings/Dockerfile');
    const uri = editor.document.uri;
    const before = await waitForDiagnostic(uri, 'duplicate-stage-name');
    assert.equal(before.severity, vscode.DiagnosticSeverity.Error);

    const restore = await setSetting('rules', { 'duplicate-stage-name': 'off' });
    try {
      await waitForNoDiagnostic(uri, 'duplicate-stage-name');
    } finally {
      await restore();
    }
    await waitForDiagnostic(uri, 'duplicate-stage-name');
  });

  test('multistage.rules: a severity override changes the published severity', async () => {
    const editor = await openFile('settings/Dockerfile');
    const uri = editor.document.uri;
    await waitForDiagnostic(uri, 'duplicate-stage-name', (d) => d.severity === vscode.DiagnosticSeverity.Error);

    const restore = await setSetting('rules', { 'duplicate-stage-name': 'hint' });
    try {
      await waitForDiagnostic(uri, 'duplicate-stage-name', (d) => d.severity === vscode.DiagnosticSeverity.Hint);
    } finally {
      await restore();
    }
    await waitForDiagnostic(uri, 'duplicate-stage-name', (d) => d.severity === vscode.DiagnosticSeverity.Error);
  });
});
