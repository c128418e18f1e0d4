// Build options of Build and Compare (context folder, build args, platform, target, smoke run), asked in
// one quick pick the user can walk through and remembered per Dockerfile in the workspace state.
import * as vscode from 'vscode';
import { readSetting } from '../../../server/src/analysis/settings';
import { contextRootFor } from '../../../server/src/workspace/contextRoot';
import { stageChoices } from './baselines';

export interface BuildOptions {
  /** Absolute context folder. */
  context: string;
  buildArgs: Record<string, string>;
  platform: string;
  /** --target for the working copy ('' = the last stage). */
  target: string;
  smokeRun: boolean;
  /** Run both images and compare their answers (`multistage.compare.probes`); on unless turned off. */
  behaviourCheck: boolean;
  /** X-ray both images (bytes and wasted bytes per line, efficiency); on unless turned off. */
  xray: boolean;
}

const stateKey = (uri: vscode.Uri) => `multistage.compare.options:${uri.toString()}`;

/** Defaults: remembered options, else the `multistage.buildContexts` / `multistage.target` settings, else
 * the Dockerfile's folder and its last stage. The context folder is the one diagnostics use (contextRoot.ts). */
export function initialOptions(state: vscode.Memento, document: vscode.TextDocument): BuildOptions {
  const config = vscode.workspace.getConfiguration('multistage', document.uri);
  const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  const fallbackContext = contextRootFor(document.uri.fsPath, folders, readSetting(config, 'buildContexts'));
  const saved = state.get<Partial<BuildOptions>>(stateKey(document.uri)) ?? {};
  return {
    context: typeof saved.context === 'string' ? saved.context : fallbackContext,
    buildArgs: saved.buildArgs && typeof saved.buildArgs === 'object' ? saved.buildArgs : {},
    platform: typeof saved.platform === 'string' ? saved.platform : '',
    target: typeof saved.target === 'string' ? saved.target : readSetting(config, 'target'),
    smokeRun: saved.smokeRun === true,
    behaviourCheck: saved.behaviourCheck !== false,
    xray: saved.xray !== false,
  };
}

export function formatBuildArgs(args: Record<string, string>): string {
  return Object.entries(args).map(([k, v]) => `${k}=${v}`).join(' ');
}

/** `A=1 B="two words"`-free simple form: whitespace-separated NAME=VALUE pairs. */
export function parseBuildArgs(text: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const pair of text.split(/\s+/).filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return `"${pair}" is not NAME=VALUE`;
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/** How the options pick is worded for the command that asks; X-ray Image builds one image and runs none. */
export interface OptionsPurpose {
  title: string;
  start: { label: string; detail: string };
  /** Offer what only Build and Compare does: the behaviour check, the smoke run, the X-ray of both images. */
  comparing: boolean;
}

export const COMPARE_PURPOSE: OptionsPurpose = {
  title: 'Build and Compare: options',
  start: { label: '$(play) Build and compare', detail: 'Both images are built at the same time' },
  comparing: true,
};

/** Walks the options quick pick until the user starts the build (returns the options) or escapes. The
 * options are remembered per Dockerfile for both commands: a file is built the same way for either. */
export async function askBuildOptions(
  state: vscode.Memento,
  document: vscode.TextDocument,
  options: BuildOptions,
  showTarget: boolean,
  purpose: OptionsPurpose = COMPARE_PURPOSE,
): Promise<BuildOptions | undefined> {
  const current = { ...options };
  for (;;) {
    const items: (vscode.QuickPickItem & { id: string })[] = [
      { id: 'build', ...purpose.start },
      { id: 'context', label: '$(folder) Context folder', description: vscode.workspace.asRelativePath(current.context) },
      { id: 'args', label: '$(symbol-variable) Build args', description: formatBuildArgs(current.buildArgs) || 'none' },
      { id: 'platform', label: '$(device-desktop) Platform', description: current.platform || "the builder's default" },
      ...(showTarget ? [{ id: 'target', label: '$(target) Target stage', description: current.target || 'the last stage' }] : []),
      ...(purpose.comparing ? [
        { id: 'xray', label: `$(${current.xray ? 'pass-filled' : 'circle-large-outline'}) X-ray both images`, description: current.xray ? 'on: bytes and wasted bytes per line, shown in the editor' : 'off' },
        { id: 'behaviour', label: `$(${current.behaviourCheck ? 'pass-filled' : 'circle-large-outline'}) Behaviour check`, description: current.behaviourCheck ? 'on: run both images, send the same requests' : 'off' },
        { id: 'smoke', label: `$(${current.smokeRun ? 'pass-filled' : 'circle-large-outline'}) Smoke run each image`, description: current.smokeRun ? 'on' : 'off' },
      ] : []),
    ];
    const picked = await vscode.window.showQuickPick(items, { title: purpose.title, ignoreFocusOut: true });
    if (!picked) return undefined;
    if (picked.id === 'build') {
      await state.update(stateKey(document.uri), current);
      return current;
    }
    if (picked.id === 'context') {
      const uri = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, defaultUri: vscode.Uri.file(current.context), openLabel: 'Use as build context' });
      if (uri?.[0]) current.context = uri[0].fsPath;
    } else if (picked.id === 'args') {
      const text = await vscode.window.showInputBox({
        title: 'Build args',
        prompt: 'NAME=VALUE pairs separated by spaces',
        value: formatBuildArgs(current.buildArgs),
        validateInput: (v) => (typeof parseBuildArgs(v) === 'string' ? (parseBuildArgs(v) as string) : undefined),
      });
      if (text !== undefined) current.buildArgs = parseBuildArgs(text) as Record<string, string>;
    } else if (picked.id === 'platform') {
      const text = await vscode.window.showInputBox({ title: 'Platform', prompt: 'e.g. linux/amd64, linux/arm64; empty for the default', value: current.platform });
      if (text !== undefined) current.platform = text.trim();
    } else if (picked.id === 'target') {
      const stages = stageChoices(document.getText());
      const choice = await vscode.window.showQuickPick(['(the last stage)', ...stages], { title: 'Target stage' });
      if (choice !== undefined) current.target = choice === '(the last stage)' ? '' : choice;
    } else if (picked.id === 'smoke') {
      current.smokeRun = !current.smokeRun;
    } else if (picked.id === 'xray') {
      current.xray = !current.xray;
    } else if (picked.id === 'behaviour') {
      current.behaviourCheck = !current.behaviourCheck;
    }
  }
}
