// The "what do you want to compare against" choices of Build and Compare, and where each side's
// Dockerfile text comes from. Git is asked with an argv array (`git show HEAD:./<file>`), never a shell.
import * as vscode from 'vscode';
import { execFile } from 'node:child_process';
import { basename, dirname } from 'node:path';
import { buildModel } from '../../../server/src/analysis/model';
import type { RewriteHistory } from './rewriteHistory';

/** One side as the command knows it: a label, the text to build, and where it can be revealed. */
export interface SideSource {
  label: string;
  /** The file on disk, when the side is one (the context's `<name>.dockerignore` is found from it). */
  path?: string;
  /** Text to build when it differs from the file on disk (a git revision, an unsaved editor, a rewrite). */
  text?: string;
  target?: string;
}

export interface Baseline {
  /** Stable id for automation (keybindings, tests): head, rewrite, other, stage:<name>. */
  id: string;
  item: vscode.QuickPickItem;
  /** Builds the two sides for the working copy's --target; undefined when the user backed out of a follow-up choice. */
  resolve(target: string | undefined, otherDockerfile?: vscode.Uri): Promise<{ before: SideSource; after: SideSource } | undefined>;
}

export async function gitHeadText(file: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['-C', dirname(file), 'show', `HEAD:./${basename(file)}`],
      { maxBuffer: 16 * 1024 * 1024, timeout: 10_000, windowsHide: true },
      (error, stdout) => resolve(error ? undefined : stdout),
    );
  });
}

/** The working copy: the editor's text when it has unsaved changes, else the file. */
export function workingCopy(document: vscode.TextDocument, target?: string): SideSource {
  const label = vscode.workspace.asRelativePath(document.uri);
  return {
    label: document.isDirty ? `${label} (unsaved)` : label,
    path: document.uri.fsPath,
    ...(document.isDirty || document.isUntitled ? { text: document.getText() } : {}),
    ...(target ? { target } : {}),
  };
}

export async function baselinesFor(document: vscode.TextDocument, history: RewriteHistory): Promise<Baseline[]> {
  const file = document.uri.fsPath;
  const name = vscode.workspace.asRelativePath(document.uri);
  const baselines: Baseline[] = [];
  const head = document.isUntitled ? undefined : await gitHeadText(file);
  if (head !== undefined) {
    baselines.push({
      id: 'head',
      item: { label: '$(git-commit) Committed version (HEAD) → working copy', detail: `${name} as committed vs as it is now` },
      resolve: async (target) => ({ before: { label: `${name} @ HEAD`, path: file, text: head, target }, after: workingCopy(document, target) }),
    });
  }
  const rewritten = history.textBefore(document.uri);
  if (rewritten) {
    baselines.push({
      id: 'rewrite',
      item: {
        label: '$(history) Before the last Multistage rewrite → now',
        detail: `"${rewritten.title}" at ${new Date(rewritten.at).toLocaleString()}`,
      },
      resolve: async (target) => ({
        before: { label: `${name} before "${rewritten.title}"`, path: file, text: rewritten.text, target },
        after: workingCopy(document, target),
      }),
    });
  }
  baselines.push({
    id: 'other',
    item: { label: '$(file) Another Dockerfile → this one', detail: 'Pick a Dockerfile from the workspace or from disk' },
    resolve: async (target, preset) => {
      const other = preset ?? (await pickOtherDockerfile(document.uri));
      return other ? { before: { label: vscode.workspace.asRelativePath(other), path: other.fsPath, target }, after: workingCopy(document, target) } : undefined;
    },
  });
  for (const stage of stageChoices(document.getText())) {
    baselines.push({
      id: `stage:${stage}`,
      item: { label: `$(layers) Stage "${stage}" (--target ${stage}) → final image`, detail: 'What the final image leaves out of this stage' },
      resolve: async (target) => ({
        before: { ...workingCopy(document), target: stage, label: `${name} --target ${stage}` },
        after: workingCopy(document, target),
      }),
    });
  }
  return baselines;
}

/** Named (or numbered) stages other than the one being built. */
export function stageChoices(text: string, target?: string): string[] {
  try {
    const model = buildModel(text, target ? { target } : {});
    return model.stages.filter((s) => s.index !== model.targetIndex).map((s) => s.name ?? String(s.index));
  } catch {
    return [];
  }
}

async function pickOtherDockerfile(current: vscode.Uri): Promise<vscode.Uri | undefined> {
  const found = await vscode.workspace.findFiles(
    '**/{Dockerfile,Containerfile,Dockerfile.*,*.Dockerfile,*.dockerfile,Containerfile.*}',
    '**/node_modules/**',
    200,
  );
  const others = found.filter((u) => u.toString() !== current.toString());
  const browse = { label: '$(folder-opened) Browse…', uri: undefined as vscode.Uri | undefined };
  const items = [...others.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })), browse];
  const chosen = await vscode.window.showQuickPick(items, { title: 'Build and Compare: the "before" Dockerfile' });
  if (!chosen) return undefined;
  if (chosen.uri) return chosen.uri;
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, defaultUri: current, openLabel: 'Compare with this' });
  return picked?.[0];
}
