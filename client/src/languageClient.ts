// How the client starts and talks to the language server: server module, document selector,
// initialization options and configuration synchronisation.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { rememberTextBeforeRewrites } from './compare/rewriteHistory';

/** Extensions that already report Dockerfile syntax errors; `syntaxDiagnostics: auto` defers to them. */
const SYNTAX_PROVIDERS = ['docker.docker', 'ms-azuretools.vscode-containers', 'ms-azuretools.vscode-docker'];

export const DOCUMENT_SELECTOR = [
  { language: 'dockerfile', scheme: 'file' },
  { language: 'dockerfile', scheme: 'untitled' },
];

export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('server/out/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio },
    debug: { module, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const contextWatcher = vscode.workspace.createFileSystemWatcher('**/*');
  context.subscriptions.push(contextWatcher);
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
    traceOutputChannel: output,
    synchronize: {
      configurationSection: 'multistage',
      // Every file, not a list of names: the context rules depend on folders appearing and disappearing
      // (node_modules, dist, .venv, .git) as much as on .dockerignore and manifests. The server only
      // drops cache entries for paths inside a cached build context, and re-analysis costs ~1 ms.
      fileEvents: contextWatcher,
    },
    // Build and Compare's "before the last Multistage rewrite" baseline (see compare/rewriteHistory.ts).
    middleware: { provideCodeActions: rememberTextBeforeRewrites },
    initializationOptions: {
      otherSyntaxProvider: SYNTAX_PROVIDERS.some((id) => vscode.extensions.getExtension(id) !== undefined),
      docsUrl: vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules.md').toString(),
      storagePath: context.globalStorageUri.fsPath,
    },
  };
  return new LanguageClient('multistage', 'Multistage', serverOptions, clientOptions);
}
