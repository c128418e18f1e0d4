// activate/deactivate only: the output channel, the language client, the commands.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createLanguageClient } from './languageClient';
import { registerRestartServer } from './commands/restartServer';
import { registerBuildAndCompare } from './commands/buildAndCompare';

let client: LanguageClient | undefined;

/** What activate() returns, for the end-to-end tests. */
export interface MultistageApi {
  client(): LanguageClient | undefined;
  output: vscode.LogOutputChannel;
}

export async function activate(context: vscode.ExtensionContext): Promise<MultistageApi> {
  const output = vscode.window.createOutputChannel('Multistage', { log: true });
  context.subscriptions.push(output);
  context.subscriptions.push(registerRestartServer(() => client, output));
  context.subscriptions.push(registerBuildAndCompare(context, output));
  try {
    client = createLanguageClient(context, output);
    await client.start();
  } catch (error) {
    output.error(`Multistage failed to start: ${error instanceof Error ? error.stack : String(error)}`);
    void vscode.window.showErrorMessage(`Multistage could not start its language server: ${String(error)}`, 'Show Output').then((choice) => {
      if (choice === 'Show Output') output.show();
    });
  }
  return { client: () => client, output };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
