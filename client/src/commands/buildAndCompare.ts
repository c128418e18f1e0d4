// multistage.buildAndCompare: choose a baseline and build options, build both images with the user's
// Docker CLI (through the runner shared with `multistage compare`), then show the results panel.
import * as vscode from 'vscode';
import { runComparison, type CompareSideInput } from '../../../server/src/docker/compare';
import { describeStep, type BuildStep } from '../../../server/src/docker/pure/buildProgress';
import type { CompareOutcome, Side } from '../../../server/src/docker/pure/compareTypes';
import { probesFromSetting } from '../../../server/src/docker/pure/behaviourPlan';
import { readSetting } from '../../../server/src/analysis/settings';
import { baselinesFor, type SideSource } from '../compare/baselines';
import { askBuildOptions, initialOptions, type BuildOptions } from '../compare/buildOptions';
import { showComparePanel } from '../compare/panelHost';
import { RewriteHistory, registerRewriteHistory } from '../compare/rewriteHistory';
import { formatBytes } from '../../../server/src/analysis/bytes';
import { reportEngineFailure, showWithOutput, workspaceTrustedFor } from './engineFailure';
import type { XrayEditorAnnotations } from '../xray/editorAnnotations';
import { showComparisonXray, xrayForComparison } from '../xray/compareXray';

export const BUILD_AND_COMPARE_COMMAND = 'multistage.buildAndCompare';
const PROGRESS_INTERVAL_MS = 250;

export function registerBuildAndCompare(
  context: vscode.ExtensionContext,
  output: vscode.LogOutputChannel,
  annotations: XrayEditorAnnotations,
): vscode.Disposable {
  const history = new RewriteHistory(context.workspaceState);
  let running = false;
  const command = vscode.commands.registerCommand(BUILD_AND_COMPARE_COMMAND, async (resource?: vscode.Uri, preset?: BuildAndCompareArgs) => {
    if (running) {
      void vscode.window.showInformationMessage('Build and Compare is already running; cancel it from its notification first.');
      return undefined;
    }
    running = true;
    try {
      return await buildAndCompare(context, output, history, annotations, resource, preset);
    } catch (error) {
      output.error(`Build and Compare failed: ${error instanceof Error ? error.stack : String(error)}`);
      void showWithOutput(`Build and Compare failed: ${error instanceof Error ? error.message : String(error)}`, output);
      return undefined;
    } finally {
      running = false;
    }
  });
  return vscode.Disposable.from(command, registerRewriteHistory(history));
}

/**
 * Arguments that skip the pickers, for keybindings and the end-to-end tests:
 * `executeCommand('multistage.buildAndCompare', uri, { baseline: 'stage:builder', options: { smokeRun: true } })`.
 */
export interface BuildAndCompareArgs {
  /** head, rewrite, other (with otherDockerfile), stage:<name>. */
  baseline: string;
  otherDockerfile?: string;
  options?: Partial<BuildOptions>;
}

/** Resolves to the outcome (also for the tests), or undefined when the user backed out. */
async function buildAndCompare(
  context: vscode.ExtensionContext,
  output: vscode.LogOutputChannel,
  history: RewriteHistory,
  annotations: XrayEditorAnnotations,
  resource: vscode.Uri | undefined,
  preset: BuildAndCompareArgs | undefined,
): Promise<CompareOutcome | undefined> {
  if (!(await workspaceTrustedFor('Build and Compare'))) return undefined;
  const document = await dockerfileToCompare(resource);
  if (!document) {
    void vscode.window.showWarningMessage('Open a Dockerfile to build and compare it.');
    return undefined;
  }
  const options = initialOptions(context.workspaceState, document);
  const baselines = await baselinesFor(document, history);
  const baseline = preset
    ? baselines.find((b) => b.id === preset.baseline)
    : (await vscode.window.showQuickPick(
        baselines.map((b) => ({ ...b.item, baseline: b })),
        { title: `Build and Compare: ${vscode.workspace.asRelativePath(document.uri)} against…`, matchOnDetail: true },
      ))?.baseline;
  if (!baseline) {
    if (preset) void vscode.window.showWarningMessage(`Build and Compare: no baseline "${preset.baseline}" for this file.`);
    return undefined;
  }
  const chosen = preset
    ? { ...options, ...preset.options }
    : await askBuildOptions(context.workspaceState, document, options, !baseline.id.startsWith('stage:'));
  if (!chosen) return undefined;
  const other = preset?.otherDockerfile ? vscode.Uri.file(preset.otherDockerfile) : undefined;
  const sides = await baseline.resolve(chosen.target || undefined, other);
  if (!sides) return undefined;

  const config = vscode.workspace.getConfiguration('multistage', document.uri);
  const dockerPath = readSetting(config, 'docker.path');
  const outcome = await runWithProgress(sides, chosen, dockerPath, config, output);
  if (outcome.ok) {
    output.info(`Build and Compare: ${formatBytes(outcome.result.before.sizeBytes)} → ${formatBytes(outcome.result.after.sizeBytes)} (${outcome.result.savedPercent}% saved)`);
    if (outcome.result.behaviour) output.info(`Build and Compare: ${outcome.result.behaviour.verdict}`);
    await showComparisonXray(outcome.result, sides, annotations, output);
    showComparePanel(outcome.result, sides, output);
  } else {
    // Not awaited: the message waits for the user, the outcome does not.
    void reportEngineFailure('Build and Compare', outcome.failure, 'Build and Compare was cancelled: both builds were stopped and temporary images removed.', output);
  }
  return outcome;
}

async function dockerfileToCompare(resource: vscode.Uri | undefined): Promise<vscode.TextDocument | undefined> {
  if (resource instanceof vscode.Uri) return vscode.workspace.openTextDocument(resource);
  const active = vscode.window.activeTextEditor?.document;
  return active?.languageId === 'dockerfile' ? active : undefined;
}

function sideInput(source: SideSource, options: BuildOptions): CompareSideInput {
  return {
    label: source.label,
    dockerfilePath: source.path,
    dockerfileText: source.text,
    context: options.context,
    target: source.target,
    buildArgs: options.buildArgs,
    platform: options.platform || undefined,
  };
}

function runWithProgress(
  sides: { before: SideSource; after: SideSource },
  options: BuildOptions,
  dockerPath: string,
  config: vscode.WorkspaceConfiguration,
  output: vscode.LogOutputChannel,
): Thenable<CompareOutcome> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Build and Compare', cancellable: true },
    async (progress, token) => {
      const cancel = new AbortController();
      const subscription = token.onCancellationRequested(() => cancel.abort());
      const steps: Record<Side, BuildStep | undefined> = { before: undefined, after: undefined };
      let lastReport = 0;
      const report = (force = false) => {
        const now = Date.now();
        if (!force && now - lastReport < PROGRESS_INTERVAL_MS) return;
        lastReport = now;
        progress.report({ message: `before ${describeStep(steps.before)} · after ${describeStep(steps.after)}` });
      };
      output.info(`Build and Compare: before = ${sides.before.label}, after = ${sides.after.label}, context ${options.context}`);
      try {
        return await runComparison(sideInput(sides.before, options), sideInput(sides.after, options), {
          dockerPath,
          keepImages: readSetting(config, 'compare.keepImages'),
          smokeSeconds: options.smokeRun ? readSetting(config, 'compare.smokeRunSeconds') : 0,
          behaviour: options.behaviourCheck ? { probes: settingProbes(config, output) } : undefined,
          xray: options.xray ? xrayForComparison(dockerPath, (side) => progress.report({ message: `X-raying the ${side} image…` })) : undefined,
          signal: cancel.signal,
          onStep: (side, step) => {
            steps[side] = step;
            report();
          },
          onOutput: (side, line) => output.info(`[${side}] ${line}`),
        });
      } finally {
        subscription.dispose();
      }
    },
  );
}

/** The `multistage.compare.probes` setting; entries that cannot be read are named, not silently dropped. */
function settingProbes(config: vscode.WorkspaceConfiguration, output: vscode.LogOutputChannel) {
  const { probes, errors } = probesFromSetting(readSetting(config, 'compare.probes'));
  if (errors.length > 0) {
    for (const error of errors) output.warn(`multistage.compare.probes: ${error}`);
    void vscode.window.showWarningMessage(`multistage.compare.probes: ${errors.length} entr${errors.length === 1 ? 'y was' : 'ies were'} not understood and not sent (${errors[0]}).`);
  }
  return probes;
}

