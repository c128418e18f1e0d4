// The language server's wiring: the only file that calls connection.onX. Each handler lives in
// handlers/; this file creates the shared services and connects them, nothing else.
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type InitializeResult } from 'vscode-languageserver/node';
// require(), not import: it resolves to the package's CommonJS build, the one dockerfile-ast and
// vscode-languageserver require, so the bundle carries a single copy (esbuild.options.json).
import textDocumentModule = require('vscode-languageserver-textdocument');
import { CODE_ACTION_KINDS, createCodeActionHandler } from './handlers/codeActions';
import { DiagnosticsService } from './handlers/diagnostics';
import { SettingsStore, imageSettingsOf, type ServerOptions } from './handlers/settings';
import { DEFAULT_DOCS_URL } from './docsUrl';
import { createHoverHandler } from './handlers/hover';
import type { ImageHandlerDeps } from './handlers/imageLookups';
import { createInlayHintHandler, refreshWhenImagesLearned } from './handlers/inlayHints';
import { ImageSizes } from './images/imageSizes';
import { BuildContextProvider, WorkspaceFolderList } from './workspace/buildContext';
import { ContextFilesCache } from './workspace/contextFiles';
import { FixAllRunner } from './handlers/fixAllRunner';
import snapshotJson from './images/snapshot/snapshot.json';
import { version } from '../../package.json';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(textDocumentModule.TextDocument);
let settings: SettingsStore;
let diagnostics: DiagnosticsService;
let codeActions: ReturnType<typeof createCodeActionHandler>;
let imageSizes: ImageSizes;
let hover: ReturnType<typeof createHoverHandler>;
let inlayHints: ReturnType<typeof createInlayHintHandler>;
let buildContexts: BuildContextProvider;
let workspaceFolders: WorkspaceFolderList;
let watchesWorkspaceFolders = false;

connection.onInitialize((params): InitializeResult => {
  const init = (params.initializationOptions ?? {}) as Partial<ServerOptions>;
  const options: ServerOptions = {
    otherSyntaxProvider: init.otherSyntaxProvider === true,
    docsUrl: typeof init.docsUrl === 'string' && init.docsUrl ? init.docsUrl : DEFAULT_DOCS_URL,
    storagePath: typeof init.storagePath === 'string' ? init.storagePath : undefined,
  };
  settings = new SettingsStore(connection, options, params.capabilities.workspace?.configuration === true);
  imageSizes = new ImageSizes(options.storagePath, (message) => connection.console.warn(message));
  workspaceFolders = new WorkspaceFolderList((params.workspaceFolders ?? []).map((f) => f.uri).concat(params.rootUri ? [params.rootUri] : []));
  watchesWorkspaceFolders = params.capabilities.workspace?.workspaceFolders === true;
  buildContexts = new BuildContextProvider(new ContextFilesCache(undefined, (message) => connection.console.warn(message)), () => workspaceFolders.paths());
  diagnostics = new DiagnosticsService(connection, documents, settings, {
    imagesFor: (_uri, s) => imageSizes.factsFor(imageSettingsOf(s)),
    requestImages: (_uri, model, s) => imageSizes.request(model, imageSettingsOf(s)),
    contextFor: (uri, s) => buildContexts.contextFor(uri, s),
  });
  const imageDeps: ImageHandlerDeps = { connection, documents, settings, images: imageSizes };
  hover = createHoverHandler(imageDeps);
  inlayHints = createInlayHintHandler(imageDeps);
  refreshWhenImagesLearned(imageDeps, () => diagnostics.refreshAll(), params.capabilities.workspace?.inlayHint?.refreshSupport === true);
  codeActions = createCodeActionHandler(connection, documents, diagnostics, new FixAllRunner((message) => connection.console.error(message)));
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeActionProvider: { codeActionKinds: CODE_ACTION_KINDS, resolveProvider: false },
      hoverProvider: true,
      inlayHintProvider: true,
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      // For the client's language status item: how old the bundled base-image sizes are.
      experimental: { multistage: { snapshotDate: String(snapshotJson.generatedAt).slice(0, 10) } },
    },
    serverInfo: { name: 'multistage', version },
  };
});

connection.onDidChangeConfiguration(() => {
  settings.clear();
  diagnostics.refreshAll();
});
documents.onDidOpen((e) => diagnostics.schedule(e.document.uri));
documents.onDidChangeContent((e) => diagnostics.schedule(e.document.uri));
documents.onDidClose((e) => {
  settings.forget(e.document.uri);
  diagnostics.forget(e.document.uri);
});
// Build contexts are resolved against the workspace folders (multistage.buildContexts is relative to
// them), so a folder added or removed re-checks the open Dockerfiles.
connection.onInitialized(() => {
  if (!watchesWorkspaceFolders) return;
  connection.workspace.onDidChangeWorkspaceFolders((e) => {
    workspaceFolders.update(e.added.map((f) => f.uri), e.removed.map((f) => f.uri));
    diagnostics.refreshAll();
  });
});
// The client watches context files (.dockerignore, manifests, node_modules, .git…): forget what was
// cached about them and re-check open Dockerfiles whose context they are in.
connection.onDidChangeWatchedFiles((params) => {
  if (buildContexts.invalidate(params.changes.map((c) => c.uri))) diagnostics.refreshAll();
});
connection.onCodeAction((params, token) => codeActions(params, token));
connection.onHover((params) => hover(params));
connection.languages.inlayHint.on((params) => inlayHints(params));
connection.onRequest('multistage/stats', () => ({ ...diagnostics.stats }));

process.on('uncaughtException', (error) => connection.console.error(`Uncaught: ${error.stack ?? String(error)}`));
process.on('unhandledRejection', (error) => connection.console.error(`Unhandled rejection: ${String(error)}`));

documents.listen(connection);
connection.listen();
