/// <reference types="mocha" />
// "Split into builder and runtime stages" and "Reorder for layer cache" in VS Code: the actions come
// with their WorkspaceEdit, turn the document into exactly the golden output of the rewrite fixtures
// (test/fixtures/rewrite/<case>/Dockerfile.split|.reorder|.reorder-cache), and clear the rule they fix.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from './support/wait';
import {
  EXTENSION_ID, activateExtension, codeActionsAt, openFile, setSetting, waitForDiagnostic, waitForNoDiagnostic, workspaceFile,
} from './support/workspace';

const SPLIT = 'Split into builder and runtime stages';
const REORDER = 'Reorder for layer cache';
const SPLIT_KIND = vscode.CodeActionKind.Refactor.append('rewrite.multistage.split');
const REORDER_KIND = vscode.CodeActionKind.Refactor.append('rewrite.multistage.reorder');

let copies = 0;

/** Copies a rewrite fixture (Dockerfile and its build context) into the workspace under a fresh name. */
async function useRewriteFixture(name: string): Promise<{ folder: string; expected(file: string): Promise<string> }> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
  const source = vscode.Uri.joinPath(extension.extensionUri, 'test', 'fixtures', 'rewrite', name);
  const folder = `rewrite/${name}-${++copies}`;
  await vscode.workspace.fs.copy(source, workspaceFile(folder), { overwrite: true });
  return {
    folder,
    expected: async (file) => Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(source, file))).toString('utf8'),
  };
}

function wholeDocument(document: vscode.TextDocument): vscode.Range {
  return new vscode.Range(0, 0, document.lineCount, 0);
}

suite('rewrites', () => {
  suiteSetup(async () => {
    await activateExtension();
  });

  test('split: the quick fix of toolchain-in-final-stage turns a Go image into the golden two-stage file', async () => {
    const fixture = await useRewriteFixture('go-basic');
    const editor = await openFile(`${fixture.folder}/Dockerfile`);
    const uri = editor.document.uri;
    const diagnostic = await waitForDiagnostic(uri, 'toolchain-in-final-stage');

    const actions = await codeActionsAt(uri, diagnostic.range, vscode.CodeActionKind.QuickFix);
    const split = actions.find((a) => a.title === SPLIT);
    assert.ok(split?.edit, `no "${SPLIT}" quick fix among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(split.isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(split.edit));

    assert.equal(editor.document.getText(), await fixture.expected('Dockerfile.split'));
    await waitForNoDiagnostic(uri, 'toolchain-in-final-stage');
    // Applying it twice changes nothing: once split, the action is no longer offered.
    const again = await codeActionsAt(uri, wholeDocument(editor.document), SPLIT_KIND);
    assert.deepEqual(again.map((a) => a.title), []);
  });

  test('split: the Refactor menu entry honours multistage.split.runtimeFlavor (Node/TypeScript API, slim)', async () => {
    const fixture = await useRewriteFixture('node-ts-api');
    const restore = await setSetting('split.runtimeFlavor', 'slim');
    try {
      const editor = await openFile(`${fixture.folder}/Dockerfile`);
      const uri = editor.document.uri;
      await waitForDiagnostic(uri, 'toolchain-in-final-stage');
      const expected = await fixture.expected('Dockerfile.split');
      // The setting reaches the server asynchronously: ask until the offered edit is the slim one.
      let offered = '(no split action)';
      const split = await waitFor('a split action producing the slim golden output', async () => {
        const actions = await codeActionsAt(uri, wholeDocument(editor.document), SPLIT_KIND);
        const action = actions.find((a) => a.title === SPLIT);
        if (!action?.edit) return undefined;
        assert.ok(action.kind && SPLIT_KIND.contains(action.kind), `kind ${action.kind?.value}`);
        offered = applyTextEdits(editor.document, action.edit.get(uri));
        return offered === expected ? action : undefined;
      }, { describe: () => firstDifference(offered, expected) });
      assert.ok(await vscode.workspace.applyEdit(split.edit!));
      assert.equal(editor.document.getText(), expected);
      await waitForNoDiagnostic(uri, 'toolchain-in-final-stage');
    } finally {
      await restore();
    }
  });

  test('reorder: copies the manifests before the install, as the golden files (plain and cache-mount variant)', async () => {
    const fixture = await useRewriteFixture('go-basic');
    const editor = await openFile(`${fixture.folder}/Dockerfile`);
    const uri = editor.document.uri;
    // (copy-before-dependency-install does not fire on this Go file; the Refactor menu offers the reorder anyway.)
    await waitForDiagnostic(uri, 'toolchain-in-final-stage'); // the server has analysed this file

    const actions = await codeActionsAt(uri, wholeDocument(editor.document), REORDER_KIND);
    const titles = actions.map((a) => a.title);
    const reorder = actions.find((a) => a.title === REORDER);
    assert.ok(reorder?.edit, `no "${REORDER}" among: ${titles.join(' | ')}`);
    const withCache = actions.find((a) => a.title !== REORDER && a.title.startsWith(REORDER));
    assert.ok(withCache?.edit, `no cache-mount variant among: ${titles.join(' | ')}`);
    assert.equal(applyTextEdits(editor.document, withCache.edit.get(uri)), await fixture.expected('Dockerfile.reorder-cache'));

    assert.ok(await vscode.workspace.applyEdit(reorder.edit));
    assert.equal(editor.document.getText(), await fixture.expected('Dockerfile.reorder'));
    const again = await codeActionsAt(uri, wholeDocument(editor.document), REORDER_KIND);
    assert.ok(!again.some((a) => a.title === REORDER), 'once reordered, the reorder is not offered again');
  });

  test('reorder: the quick fix of copy-before-dependency-install (Python/pip) gives the golden file and the warning goes away', async () => {
    const fixture = await useRewriteFixture('python-flask');
    const editor = await openFile(`${fixture.folder}/Dockerfile`);
    const uri = editor.document.uri;
    const diagnostic = await waitForDiagnostic(uri, 'copy-before-dependency-install');

    const actions = await codeActionsAt(uri, diagnostic.range, vscode.CodeActionKind.QuickFix);
    const reorder = actions.find((a) => a.title === REORDER);
    assert.ok(reorder?.edit, `no "${REORDER}" quick fix among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(reorder.edit));

    assert.equal(editor.document.getText(), await fixture.expected('Dockerfile.reorder'));
    await waitForNoDiagnostic(uri, 'copy-before-dependency-install');
  });
});

/** Where two texts part, for failure messages. */
function firstDifference(actual: string, expected: string): string {
  const a = actual.split('\n');
  const e = expected.split('\n');
  const i = a.findIndex((line, n) => line !== e[n]);
  const at = i < 0 ? Math.min(a.length, e.length) : i;
  return `line ${at + 1}: offered ${JSON.stringify(a[at])}, golden ${JSON.stringify(e[at])}`;
}

/** The text a list of edits would produce, without touching the document (to compare variants). */
function applyTextEdits(document: vscode.TextDocument, edits: vscode.TextEdit[]): string {
  const text = document.getText();
  const sorted = [...edits].sort((a, b) => document.offsetAt(b.range.start) - document.offsetAt(a.range.start));
  let out = text;
  for (const e of sorted) {
    out = out.slice(0, document.offsetAt(e.range.start)) + e.newText + out.slice(document.offsetAt(e.range.end));
  }
  return out;
}
