// Where the Settings editor can change a setting (pure, so it is unit-tested without VS Code): machine
// settings (multistage.docker.path, multistage.registries.insecure) live in the Remote tab of a remote
// window, and searching the User tab for them finds nothing ("No Settings Found").

/** The command and argument that show `id` where it can be changed. */
export function settingsCommandFor(id: string, scope: string | undefined, remoteName: string | undefined): [string, { query: string }] {
  const query = `@id:${id}`;
  if (remoteName && (scope === 'machine' || scope === 'machine-overridable')) return ['workbench.action.openRemoteSettings', { query }];
  return ['workbench.action.openSettings', { query }];
}
