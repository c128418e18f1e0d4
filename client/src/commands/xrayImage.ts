// multistage.xrayImage: builds the open Dockerfile (with Build and Compare's options, under a temporary tag
// that is removed afterwards) or takes a local image built from it, reads the image's export with the
// user's Docker CLI (xray/xray.ts), and shows what each instruction added and wasted above it, with the
// measured findings as diagnostics on the lines that caused them.
import * as vscode from 'vscode';
import { engineOfCliPath, xrayDockerfile, xrayImage, type XrayOutcome, type XrayRunOptions } from '../../../server/src/xray/xray';
import { runDocker } from '../../../server/src/docker/runner';
import { imageHistory } from '../../../server/src/docker/imageFacts';
import { formatBytes } from '../../../server/src/analysis/bytes';
import { readSetting } from '../../../server/src/analysis/settings';
import { askBuildOptions, initialOptions, type BuildOptions, type OptionsPurpose } from '../compare/buildOptions';
import { annotationsFromReport, formatEfficiency, type XraySource } from '../xray/lineAnnotations';
import { matchedInstructions, parseImageList, rankImages, type RankedImage } from '../xray/imageChoice';
import type { XrayEditorAnnotations } from '../xray/editorAnnotations';
import { reportEngineFailure, showWithOutput, workspaceTrustedFor } from './engineFailure';

export const XRAY_IMAGE_COMMAND = 'multistage.xrayImage';
const TITLE = 'X-ray Image';
/** Local images (newest first) whose history is read to tell which were built from the file: one `docker history` each, four at a time, ~30 ms apiece. */
const MAX_IMAGES_EXAMINED = 100;

const XRAY_PURPOSE: OptionsPurpose = {
  title: 'X-ray Image: build options',
  start: { label: '$(play) Build and X-ray', detail: 'Builds under a temporary tag, reads the image, removes the tag' },
  comparing: false,
};

/**
 * Arguments that skip the pickers, for keybindings and the end-to-end tests:
 * `executeCommand('multistage.xrayImage', uri, { build: true, options: { target: 'runtime' } })` or `{ image: 'app:dev' }`.
 */
export interface XrayImageArgs {
  /** X-ray this local image instead of building. */
  image?: string;
  /** Build with the remembered options (and these) without asking. */
  build?: boolean;
  options?: Partial<BuildOptions>;
}

export function registerXrayImage(
  context: vscode.ExtensionContext,
  output: vscode.LogOutputChannel,
  annotations: XrayEditorAnnotations,
): vscode.Disposable {
  let running = false;
  return vscode.commands.registerCommand(XRAY_IMAGE_COMMAND, async (resource?: vscode.Uri, preset?: XrayImageArgs) => {
    if (running) {
      void vscode.window.showInformationMessage('X-ray Image is already running; cancel it from its notification first.');
      return undefined;
    }
    running = true;
    try {
      return await xrayCommand(context, output, annotations, resource, preset);
    } catch (error) {
      output.error(`X-ray Image failed: ${error instanceof Error ? error.stack : String(error)}`);
      void showWithOutput(`X-ray Image failed: ${error instanceof Error ? error.message : String(error)}`, output);
      return undefined;
    } finally {
      running = false;
    }
  });
}

async function xrayCommand(
  context: vscode.ExtensionContext,
  output: vscode.LogOutputChannel,
  annotations: XrayEditorAnnotations,
  resource: vscode.Uri | undefined,
  preset: XrayImageArgs | undefined,
): Promise<XrayOutcome | undefined> {
  if (!(await workspaceTrustedFor('X-ray Image'))) return undefined;
  const document = resource instanceof vscode.Uri
    ? await vscode.workspace.openTextDocument(resource)
    : vscode.window.activeTextEditor?.document.languageId === 'dockerfile' ? vscode.window.activeTextEditor.document : undefined;
  if (!document) {
    void vscode.window.showWarningMessage('Open a Dockerfile to X-ray the image it builds.');
    return undefined;
  }
  const dockerPath = readSetting(vscode.workspace.getConfiguration('multistage', document.uri), 'docker.path');
  const options = initialOptions(context.workspaceState, document);
  const name = vscode.workspace.asRelativePath(document.uri);

  let image = preset?.image;
  let chosen: BuildOptions | undefined = preset ? { ...options, ...preset.options } : undefined;
  if (!preset) {
    const how = await vscode.window.showQuickPick(
      [
        { id: 'build', label: '$(play) Build this Dockerfile', detail: 'With the build options of Build and Compare; the temporary tag is removed afterwards' },
        { id: 'pick', label: '$(list-unordered) Pick a local image built from it', detail: `From ${dockerPath} image ls; images whose history repeats this file's instructions come first` },
      ],
      { title: `${TITLE}: ${name}` },
    );
    if (!how) return undefined;
    if (how.id === 'pick') {
      image = await pickLocalImage(document, options.target || undefined, dockerPath, output);
      if (!image) return undefined;
      chosen = options;
    } else {
      chosen = await askBuildOptions(context.workspaceState, document, options, true, XRAY_PURPOSE);
      if (!chosen) return undefined;
    }
  }
  if (!chosen) return undefined;
  if (!image && (document.isDirty || document.isUntitled)) {
    // The build reads the file from disk; the figures must belong to the text on screen.
    if (document.isUntitled || !(await document.save())) {
      void vscode.window.showWarningMessage('X-ray Image builds the Dockerfile from disk: save it first.');
      return undefined;
    }
  }

  if (!image && chosen.platform) {
    // The X-ray reads the image the engine stores, which is the engine's own platform.
    output.warn(`X-ray Image: the platform option (${chosen.platform}) is not used; the image is built for the engine's platform.`);
  }
  annotations.clear(document.uri);
  const text = document.getText();
  const run: XrayRunOptions = {
    engine: engineOfCliPath(dockerPath),
    enginePath: dockerPath,
    dockerfileText: text,
    dockerfile: name,
    ...(chosen.target ? { target: chosen.target } : {}),
  };
  const outcome = await withProgress(image ? `${TITLE}: ${image}` : `${TITLE}: building ${name}`, output, (signal, onProgress) =>
    image
      ? xrayImage(image, { ...run, signal, onProgress })
      : xrayDockerfile(document.uri.fsPath, { ...run, signal, onProgress, context: chosen.context, buildArgs: chosen.buildArgs }));
  if (!outcome.ok) {
    void reportEngineFailure('X-ray Image', outcome.failure, image ? 'X-ray Image was cancelled.' : 'X-ray Image was cancelled: the build was stopped and its temporary tag removed.', output);
    return outcome;
  }
  const report = outcome.report;
  const source: XraySource = {
    image: image ?? report.image,
    imageId: report.imageId,
    analysedAt: report.analysedAt,
    origin: image ? 'a local image' : `built from ${name}`,
  };
  const shown = annotationsFromReport(report, text.split(/\r?\n/), source);
  annotations.show(document, shown, source);
  const summary = `${formatBytes(report.totalBytes)}, ${formatBytes(report.wastedBytes)} wasted, efficiency ${formatEfficiency(report.efficiency)}`;
  output.info(`X-ray Image: ${image ? `${image} (${report.imageId})` : `${name}, built as ${report.imageId}`}: ${summary}; ${report.findings.length} findings; export read in ${report.seconds.toFixed(1)} s`);
  const findings = report.findings.length;
  void vscode.window.showInformationMessage(
    `X-ray of ${image ?? name}: ${summary}${findings ? ` — ${findings} measured finding${findings === 1 ? '' : 's'} in Problems` : ''}.`,
  );
  return outcome;
}

function withProgress(
  title: string,
  output: vscode.LogOutputChannel,
  body: (signal: AbortSignal, onProgress: (line: string) => void) => Promise<XrayOutcome>,
): Thenable<XrayOutcome> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const cancel = new AbortController();
    const subscription = token.onCancellationRequested(() => cancel.abort());
    let last = 0;
    try {
      return await body(cancel.signal, (line) => {
        output.info(`[xray] ${line}`);
        const now = Date.now();
        if (now - last < 250) return;
        last = now;
        progress.report({ message: line.length > 80 ? `${line.slice(0, 79)}…` : line });
      });
    } finally {
      subscription.dispose();
    }
  });
}

/** Lists local images, those built from this file first; undefined when the user backed out or none exist. */
async function pickLocalImage(document: vscode.TextDocument, target: string | undefined, dockerPath: string, output: vscode.LogOutputChannel): Promise<string | undefined> {
  const ranked = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `${TITLE}: reading local images`, cancellable: true },
    async (_progress, token): Promise<RankedImage[] | string> => {
      const cancel = new AbortController();
      const subscription = token.onCancellationRequested(() => cancel.abort());
      try {
        const run = { dockerPath, signal: cancel.signal, timeoutMs: 60_000 };
        const listed = await runDocker(['image', 'ls', '--format', '{{json .}}'], run);
        if (listed.code !== 0) return `${dockerPath} image ls failed: ${listed.stderr.trim().split('\n').pop() ?? `exit ${listed.code}`}`;
        const images = parseImageList(listed.stdout).slice(0, MAX_IMAGES_EXAMINED);
        const matched = new Map<string, number>();
        const text = document.getText();
        // A few at a time: each is a CLI start, and the engine answers them in parallel.
        for (let i = 0; i < images.length && !cancel.signal.aborted; i += 4) {
          await Promise.all(images.slice(i, i + 4).map(async (image) => {
            const history = await imageHistory(image.id, run);
            if (history.ok) matched.set(image.id, matchedInstructions(text, target, history.value));
          }));
        }
        return cancel.signal.aborted ? [] : rankImages(images, matched);
      } finally {
        subscription.dispose();
      }
    },
  );
  if (typeof ranked === 'string') {
    output.warn(`X-ray Image: ${ranked}`);
    void showWithOutput(ranked, output);
    return undefined;
  }
  if (ranked.length === 0) {
    void vscode.window.showInformationMessage('No local images to X-ray: build one, or choose "Build this Dockerfile".');
    return undefined;
  }
  const built = ranked.filter((i) => i.matchedInstructions > 0);
  const others = ranked.filter((i) => i.matchedInstructions === 0);
  const item = (i: RankedImage) => ({
    label: i.name,
    description: `${i.size} · ${i.createdSince}`,
    detail: i.matchedInstructions > 0 ? `${i.matchedInstructions} instruction${i.matchedInstructions === 1 ? '' : 's'} of this file in its history` : undefined,
    ref: i.name,
  });
  const picked = await vscode.window.showQuickPick(
    [
      ...(built.length ? [{ label: 'Built from this file', kind: vscode.QuickPickItemKind.Separator, ref: '' }, ...built.map(item)] : []),
      ...(others.length ? [{ label: 'Other local images', kind: vscode.QuickPickItemKind.Separator, ref: '' }, ...others.map(item)] : []),
    ],
    { title: `${TITLE}: which image?`, matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.ref || undefined;
}

