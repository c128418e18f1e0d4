/// <reference types="mocha" />
// Diagnostics as a user sees them in VS Code: published by the bundled server, with rule ids as codes,
// `multistage` as source, exact ranges, severities and links to the rule's section of docs/rules.md.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, docsLinkOf, openFile, waitForDiagnostic, waitForNoDiagnostic, workspaceFile } from './support/workspace';

suite('diagnostics', () => {
  suiteSetup(async () => {
    await activateExtension();
  });

  test('unknown-stage-reference: a one-edit typo in --from is an error on the stage name, linked to its docs', async () => {
    await openFile('diagnostics/Dockerfile');
    const uri = workspaceFile('diagnostics/Dockerfile');
    const d = await waitForDiagnostic(uri, 'unknown-stage-reference');
    assert.equal(d.source, 'multistage');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    // `COPY --from=buidler` on line 10 (0-based 9): the range covers exactly `buidler`.
    assert.deepEqual(
      [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character],
      [9, 12, 9, 19],
    );
    assert.match(d.message, /buidler/);
    assert.match(d.message, /builder/);
    assert.match(docsLinkOf(d) ?? '', /docs\/rules\.md#unknown-stage-reference$/);
  });

  test('duplicate-stage-name: a second stage with the same name in another case is an error on its name', async () => {
    await openFile('diagnostics/Dockerfile');
    const uri = workspaceFile('diagnostics/Dockerfile');
    const d = await waitForDiagnostic(uri, 'duplicate-stage-name');
    assert.equal(d.source, 'multistage');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    // `FROM alpine:3.20 AS Builder` on line 6 (0-based 5): the range covers `Builder`.
    assert.deepEqual(
      [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character],
      [5, 20, 5, 27],
    );
    assert.match(d.message, /line 2/);
    assert.match(docsLinkOf(d) ?? '', /docs\/rules\.md#duplicate-stage-name$/);
  });

  test('diagnostics follow unsaved edits: fixing the typo in the buffer clears the error', async () => {
    const editor = await openFile('diagnostics/Dockerfile');
    const uri = editor.document.uri;
    await waitForDiagnostic(uri, 'unknown-stage-reference');
    const typo = new vscode.Range(9, 12, 9, 19);
    assert.equal(editor.document.getText(typo), 'buidler');
    await editor.edit((b) => b.replace(typo, 'builder'));
    try {
      await waitForDiagnostic(uri, 'duplicate-stage-name');
      await waitForNoDiagnostic(uri, 'unknown-stage-reference');
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });
});
