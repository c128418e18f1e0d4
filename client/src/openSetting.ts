// Opens the Settings editor on one of our settings, in the tab where it can be set: machine-scoped
// settings (multistage.docker.path, multistage.registries.insecure) live in the Remote tab of a remote
// window, and searching the User tab for them finds nothing.
import * as vscode from 'vscode';

export function settingScope(extension: vscode.Extension<unknown> | undefined, id: string): string | undefined {
  const configuration = (extension?.packageJSON as { contributes?: { configuration?: { properties?: Record<string, { scope?: string }> } } } | undefined)
    ?.contributes?.configuration;
  return configuration?.properties?.[id]?.scope;
}

/** The command and argument that show `id` where it can be changed in this window. */
export function settingsCommandFor(id: string, scope: string | undefined, remoteName: string | undefined): [string, unknown] {
  const query = `@id:${id}`;
  if (remoteName && (scope === 'machine' || scope === 'machine-overridable')) return ['workbench.action.openRemoteSettings', { query }];
  return ['workbench.action.openSettings', { query }];
}

export async function openSetting(id: string): Promise<void> {
  const scope = settingScope(vscode.extensions.getExtension('multistage.multistage'), id);
  const [command, argument] = settingsCommandFor(id, scope, vscode.env.remoteName);
  await vscode.commands.executeCommand(command, argument);
}
