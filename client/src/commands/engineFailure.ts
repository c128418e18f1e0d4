// How a Docker-backed command (Build and Compare, X-ray Image) tells the user it failed: the details go to the
// output channel, the message names what to do (Open Settings when the CLI is missing, Show Output otherwise),
// and a failed build quotes its last lines so the cause is visible without opening anything.
import * as vscode from 'vscode';
import { openSetting } from '../openSetting';

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
