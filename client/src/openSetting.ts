// Opens the Settings editor on one of our settings, in the tab where it can be set (settingsTarget.ts).
import * as vscode from 'vscode';
import { settingsCommandFor } from './settingsTarget';

export function settingScope(extension: vscode.Extension<unknown> | undefined, id: string): string | undefined {
  const configuration = (extension?.packageJSON as { contributes?: { configuration?: { properties?: Record<string, { scope?: string }> } } } | undefined)
    ?.contributes?.configuration;
  return configuration?.properties?.[id]?.scope;
}

export async function openSetting(id: string): Promise<void> {
  const scope = settingScope(vscode.extensions.getExtension('multistage.multistage'), id);
  const [command, argument] = settingsCommandFor(id, scope, vscode.env.remoteName);
  await vscode.commands.executeCommand(command, argument);
}
