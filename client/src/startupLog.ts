// What the output channel says about the settings: each `multistage.*` value that differs from its
// default, with where it was set, so a bug report shows the configuration without asking for it.
import * as vscode from 'vscode';
import { SETTINGS } from '../../server/src/analysis/settings';

export function changedSettings(configuration: vscode.WorkspaceConfiguration, keys: readonly string[]): string[] {
  const lines: string[] = [];
  for (const key of keys) {
    const inspected = configuration.inspect(key);
    if (!inspected) continue;
    const layers: [string, unknown][] = [
      ['workspace folder', inspected.workspaceFolderValue],
      ['workspace', inspected.workspaceValue],
      ['user', inspected.globalValue],
    ];
    const set = layers.find(([, value]) => value !== undefined);
    if (set) lines.push(`multistage.${key} = ${JSON.stringify(set[1])} (${set[0]})`);
  }
  return lines;
}

export function logSettings(output: vscode.LogOutputChannel, heading = 'Settings'): void {
  const keys = Object.keys(SETTINGS);
  const configuration = vscode.workspace.getConfiguration('multistage', vscode.window.activeTextEditor?.document.uri);
  const lines = changedSettings(configuration, keys);
  output.info(`${heading}: ${lines.length === 0 ? 'all defaults' : lines.join('; ')}`);
}
