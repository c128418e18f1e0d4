// Helpers for the fixture workspace the runners open (a fresh temporary copy of
// test/fixtures/e2e-workspace, so tests may edit and save files freely).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from './wait';

export const EXTENSION_ID = 'multistage.multistage';

export function workspaceFile(relPath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the runner must open the e2e fixture workspace as a folder');
  return vscode.Uri.joinPath(folder.uri, ...relPath.split('/'));
}

export async function openFile(relPath: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceFile(relPath));
  return vscode.window.showTextDocument(document, { preview: false });
}

/** The diagnostic code as a plain string, whether VS Code holds it as a string or as { value, target }. */
export function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

export function docsLinkOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  return typeof code === 'object' ? code.target.toString(true) : undefined;
}

export function multistageDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'multistage');
}

function summary(uri: vscode.Uri): string {
  const list = multistageDiagnostics(uri).map((d) => `${codeOf(d)}@${d.range.start.line}:${d.range.start.character}`);
  return `[${list.join(', ')}]`;
}

/** Waits for a multistage diagnostic with this code (and matching `where`, when given) on the file. */
export function waitForDiagnostic(
  uri: vscode.Uri,
  code: string,
  where: (d: vscode.Diagnostic) => boolean = () => true,
): Promise<vscode.Diagnostic> {
  return waitFor(`diagnostic ${code} on ${uri.path}`, () => multistageDiagnostics(uri).find((d) => codeOf(d) === code && where(d)), {
    describe: () => summary(uri),
  });
}

/** Waits until no multistage diagnostic with this code is left on the file. */
export async function waitForNoDiagnostic(uri: vscode.Uri, code: string): Promise<void> {
  await waitFor(`no ${code} diagnostic on ${uri.path}`, () => !multistageDiagnostics(uri).some((d) => codeOf(d) === code), {
    describe: () => summary(uri),
  });
}

/** Replaces the whole text of the editor's document (unsaved), as a user typing would. */
export async function setText(editor: vscode.TextEditor, text: string): Promise<void> {
  const document = editor.document;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), text);
  assert.ok(await vscode.workspace.applyEdit(edit), 'applyEdit refused the replacement');
}

/** Code actions VS Code gathers for a range, as the lightbulb would (optionally only one kind). */
export async function codeActionsAt(uri: vscode.Uri, range: vscode.Range, kind?: vscode.CodeActionKind): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider',
    uri,
    range,
    kind?.value,
  );
  return (actions ?? []).filter((a): a is vscode.CodeAction => 'title' in a && !('command' in a && typeof a.command === 'string'));
}

/** Sets `multistage.<key>` for the workspace folder and returns a function that puts the old value back. */
export async function setSetting(key: string, value: unknown): Promise<() => Promise<void>> {
  const config = vscode.workspace.getConfiguration('multistage', vscode.workspace.workspaceFolders?.[0]);
  const before = config.inspect(key)?.workspaceValue;
  await config.update(key, value, vscode.ConfigurationTarget.Workspace);
  return async () => {
    await vscode.workspace.getConfiguration('multistage', vscode.workspace.workspaceFolders?.[0])
      .update(key, before, vscode.ConfigurationTarget.Workspace);
  };
}

export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not loaded (extensionDevelopmentPath wrong?)`);
  await extension.activate();
  return extension;
}
