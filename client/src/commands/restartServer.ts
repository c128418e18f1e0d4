import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export function registerRestartServer(getClient: () => LanguageClient | undefined, output: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand('multistage.restartServer', async () => {
    const client = getClient();
    if (!client) return;
    output.info('Restarting the Multistage language server');
    try {
      await client.restart();
      output.info('Multistage language server restarted');
    } catch (error) {
      output.error(`Restart failed: ${String(error)}`);
      void vscode.window.showErrorMessage(`Multistage: restarting the language server failed: ${String(error)}`);
    }
  });
}
