// activate/deactivate only: the output channel, the language client, the commands.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createLanguageClient } from './languageClient';
import { registerRestartServer } from './commands/restartServer';
import { registerBuildAndCompare } from './commands/buildAndCompare';
import { registerXrayImage } from './commands/xrayImage';
import { XrayEditorAnnotations } from './xray/editorAnnotations';
import { quickFixesFor } from './serverFixes';
import { openBaselineDocument, registerBaselineDocuments } from './baselineDocuments';
import { registerLanguageStatus } from './languageStatus';
import { logSettings } from './startupLog';

let client: LanguageClient | undefined;

/** What activate() returns, for the end-to-end tests. */
export interface MultistageApi {
  client(): LanguageClient | undefined;
  output: vscode.LogOutputChannel;
  /** Opens a compare baseline's text read-only, as the compare panel's layer rows do. */
  openBaseline: typeof openBaselineDocument;
  /** The X-ray annotations shown in the editor (CodeLens and measured diagnostics). */
  xray: XrayEditorAnnotations;
}

export async function activate(context: vscode.ExtensionContext): Promise<MultistageApi> {
  const output = vscode.window.createOutputChannel('Multistage', { log: true });
  context.subscriptions.push(output);
  const version = (context.extension.packageJSON as { version?: string }).version ?? '?';
  output.info(`Multistage ${version} on VS Code ${vscode.version} (${process.platform}-${process.arch}, Node ${process.versions.node}${vscode.env.remoteName ? `, remote ${vscode.env.remoteName}` : ''}, workspace ${vscode.workspace.isTrusted ? 'trusted' : 'not trusted'})`);
  logSettings(output);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('multistage')) logSettings(output, 'Settings changed');
    }),
  );
  context.subscriptions.push(registerRestartServer(() => client, output));
  const xray = new XrayEditorAnnotations(vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules.md').toString(), output, (document, diagnostic) => quickFixesFor(client, document, diagnostic));
  context.subscriptions.push(xray);
  context.subscriptions.push(registerBuildAndCompare(context, output, xray));
  context.subscriptions.push(registerXrayImage(context, output, xray));
  context.subscriptions.push(registerBaselineDocuments());
  context.subscriptions.push(vscode.commands.registerCommand('multistage.showOutput', () => output.show(true)));
  try {
    client = createLanguageClient(context, output);
    const started = Date.now();
    output.info('Starting the language server');
    await client.start();
    const info = client.initializeResult?.serverInfo;
    output.info(`Language server ${info?.name ?? ''} ${info?.version ?? ''} started in ${Date.now() - started} ms`);
  } catch (error) {
    output.error(`Multistage failed to start: ${error instanceof Error ? error.stack : String(error)}`);
    void vscode.window.showErrorMessage(`Multistage could not start its language server: ${String(error)}`, 'Show Output').then((choice) => {
      if (choice === 'Show Output') output.show();
    });
  }
  context.subscriptions.push(registerLanguageStatus(() => client, output));
  return { client: () => client, output, openBaseline: openBaselineDocument, xray };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
