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

  test('Docker missing: "Open Settings" opens multistage.docker.path where a machine setting can be set', async function () {
    this.timeout(60_000);
    const config = () => vscode.workspace.getConfiguration('multistage');
    const before = config().inspect('docker.path')?.globalValue;
    await config().update('docker.path', '/nonexistent/docker', vscode.ConfigurationTarget.Global);
    // The extension and this suite share one vscode API object: answer the message and record the command.
    const window = vscode.window as { showErrorMessage: unknown };
    const commands = vscode.commands as { executeCommand: unknown };
    const originalMessage = vscode.window.showErrorMessage;
    const originalExecute = vscode.commands.executeCommand;
    const shown: string[] = [];
    const executed: [string, unknown][] = [];
    let opened: () => void = () => {};
    const settingsOpened = new Promise<void>((resolve) => (opened = resolve));
    window.showErrorMessage = async (message: string, ...items: string[]) => {
      shown.push(message);
      return items.includes('Open Settings') ? 'Open Settings' : undefined;
    };
    commands.executeCommand = async (command: string, ...args: unknown[]) => {
      if (command.startsWith('workbench.action.open') && /Settings$/.test(command)) {
        executed.push([command, args[0]]);
        opened();
      }
      return originalExecute(command, ...args);
    };
    try {
      const editor = await openFile('ignorefiles/Dockerfile');
      await vscode.commands.executeCommand('multistage.buildAndCompare', editor.document.uri, { baseline: 'other', otherDockerfile: editor.document.uri.fsPath });
      await Promise.race([settingsOpened, new Promise((_, reject) => setTimeout(() => reject(new Error(`no settings command; messages: ${shown.join(' | ')}`)), 30_000))]);
      assert.match(shown.join(' | '), /Docker CLI "\/nonexistent\/docker" was not found/);
      const expected = vscode.env.remoteName ? 'workbench.action.openRemoteSettings' : 'workbench.action.openSettings';
      assert.deepEqual(executed, [[expected, { query: '@id:multistage.docker.path' }]]);
      // The Settings editor becomes the active tab (it takes a moment to open on a loaded machine).
      const deadline = Date.now() + 15_000;
      while (!/Settings/.test(vscode.window.tabGroups.activeTabGroup.activeTab?.label ?? '') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
      }
      const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
      assert.match(tab?.label ?? '', /Settings/, `active tab: ${tab?.label}`);
    } finally {
      window.showErrorMessage = originalMessage;
      commands.executeCommand = originalExecute;
      await config().update('docker.path', before, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
  });

  test('Build and Compare is registered (it explains itself when the workspace is not trusted)', async () => {
    assert.ok((await vscode.commands.getCommands(true)).includes('multistage.buildAndCompare'));
  });
});
