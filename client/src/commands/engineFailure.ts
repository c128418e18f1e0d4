// How a Docker-backed command (Build and Compare, X-ray Image) tells the user it cannot run or failed. In an
// untrusted workspace it runs nothing and says why. A failure's details go to the output channel, the message names what to do (Open Settings when the CLI is missing, Show Output otherwise),
// and a failed build quotes its last lines so the cause is visible without opening anything.
import * as vscode from 'vscode';
import { openSetting } from '../openSetting';

/**
 * False (after saying why, with a way to trust the workspace) when the workspace is not trusted: a command that
 * runs the Docker CLI on the workspace's files must not run there.
 */
export async function workspaceTrustedFor(command: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const choice = await vscode.window.showWarningMessage(
    `${command} runs the Docker CLI on this workspace, so it is disabled until you trust the workspace.`,
    'Manage Workspace Trust',
  );
  if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}

export interface EngineFailure {
  kind: string;
  message: string;
  lastLines: string[];
}

export async function reportEngineFailure(
  command: string,
  failure: EngineFailure,
  cancelledMessage: string,
  output: vscode.LogOutputChannel,
): Promise<void> {
  output.warn(`${command}: ${failure.message}`);
  for (const line of failure.lastLines) output.warn(`  ${line}`);
  switch (failure.kind) {
    case 'cancelled':
      void vscode.window.showInformationMessage(cancelledMessage);
      return;
    case 'cli-missing': {
      const choice = await vscode.window.showErrorMessage(failure.message, 'Open Settings');
      if (choice) await openSetting('multistage.docker.path');
      return;
    }
    case 'build-failed': {
      const tail = failure.lastLines.slice(-3).join(' ⏎ ');
      await showWithOutput(`${failure.message}${tail ? ` — ${tail}` : ''}`, output);
      return;
    }
    default:
      await showWithOutput(failure.message, output);
  }
}

export async function showWithOutput(message: string, output: vscode.LogOutputChannel): Promise<void> {
  const choice = await vscode.window.showErrorMessage(message, 'Show Output');
  if (choice) output.show(true);
}
