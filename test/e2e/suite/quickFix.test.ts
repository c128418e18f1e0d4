/// <reference types="mocha" />
// Quick fixes as the lightbulb offers them: gathered through vscode.executeCodeActionProvider, applied
// with workspace.applyEdit (each action carries its WorkspaceEdit), after which the diagnostic is gone.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, codeActionsAt, openFile, waitForDiagnostic, waitForNoDiagnostic } from './support/workspace';

suite('quick fixes', () => {
  suiteSetup(async () => {
    await activateExtension();
  });

  test("unknown-stage-reference: \"Change to 'builder'\" rewrites --from and the error goes away", async () => {
    const editor = await openFile('quickfix/Dockerfile');
    const uri = editor.document.uri;
    const diagnostic = await waitForDiagnostic(uri, 'unknown-stage-reference');

    const actions = await codeActionsAt(uri, diagnostic.range, vscode.CodeActionKind.QuickFix);
    const change = actions.find((a) => a.title === "Change to 'builder'");
    assert.ok(change, `no "Change to 'builder'" among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(change.kind && vscode.CodeActionKind.QuickFix.contains(change.kind), `kind is ${change.kind?.value}`);
    assert.equal(change.isPreferred, true);
    assert.ok(change.edit, 'the action must carry its WorkspaceEdit (no command round trip)');

    assert.ok(await vscode.workspace.applyEdit(change.edit));
    assert.equal(editor.document.lineAt(5).text, 'COPY --from=builder /out/app /app');
    await waitForNoDiagnostic(uri, 'unknown-stage-reference');
  });

  test('every diagnostic offers "Ignore <rule> for this line", which inserts the comment and silences it', async () => {
    const editor = await openFile('quickfix/ignore.Dockerfile');
    const uri = editor.document.uri;
    const diagnostic = await waitForDiagnostic(uri, 'duplicate-stage-name');
    const actions = await codeActionsAt(uri, diagnostic.range, vscode.CodeActionKind.QuickFix);
    const ignore = actions.find((a) => a.title === 'Ignore duplicate-stage-name for this line');
    assert.ok(ignore?.edit, `no ignore action among: ${actions.map((a) => a.title).join(' | ')}`);

    assert.ok(await vscode.workspace.applyEdit(ignore.edit));
    assert.equal(editor.document.lineAt(3).text, '# multistage-ignore duplicate-stage-name');
    assert.equal(editor.document.lineAt(4).text, 'FROM alpine:3.20 AS Base');
    await waitForNoDiagnostic(uri, 'duplicate-stage-name');
  });
});
