// Opens the Settings editor on one of our settings, in the tab where it can be set (settingsTarget.ts).
import * as vscode from 'vscode';
import { SETTINGS, type SettingName } from '../../server/src/analysis/settings';
import { settingsCommandFor } from './settingsTarget';

export async function openSetting(id: `multistage.${SettingName}`): Promise<void> {
  const scope = SETTINGS[id.slice('multistage.'.length) as SettingName].scope;
  const [command, argument] = settingsCommandFor(id, scope, vscode.env.remoteName);
  await vscode.commands.executeCommand(command, argument);
}
