// The language status item shown for Dockerfiles ({} in the status bar): whether the server runs, how
// old the bundled base-image sizes are, and whether the Docker CLI and engine answer. Docker is asked
// only in a trusted workspace (multistage.docker.path is a restricted setting).
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { readSetting } from '../../server/src/analysis/settings';

export interface DockerProbe {
  client?: string;
  server?: string;
  error?: string;
}

/** Runs `docker version` (argv, no shell); the client part answers even when the engine does not. */
export function probeDocker(dockerPath: string, timeoutMs = 10_000): Promise<DockerProbe> {
  return new Promise((resolve) => {
    execFile(dockerPath, ['version', '--format', '{{.Client.Version}}|{{.Server.Version}}'], { timeout: timeoutMs }, (error, stdout, stderr) => {
      const [client, server] = String(stdout).trim().split('|');
      if (!client) resolve({ error: (error as NodeJS.ErrnoException | null)?.code === 'ENOENT' ? `${dockerPath} not found` : String(stderr || error).trim().split('\n')[0] });
      else resolve({ client, server: server || undefined, error: server ? undefined : String(stderr).trim().split('\n')[0] || 'engine not reachable' });
    });
  });
}

export function describeDocker(probe: DockerProbe | undefined, trusted: boolean): string {
  if (!trusted) return 'Docker not checked (untrusted workspace)';
  if (!probe) return 'checking Docker…';
  if (!probe.client) return `Docker CLI missing: ${probe.error}`;
  if (!probe.server) return `Docker CLI ${probe.client}, engine not reachable`;
  return `Docker ${probe.server} found`;
}

export function registerLanguageStatus(getClient: () => LanguageClient | undefined, output: vscode.LogOutputChannel): vscode.Disposable {
  const item = vscode.languages.createLanguageStatusItem('multistage.status', { language: 'dockerfile' });
  item.name = 'Multistage';
  item.command = { title: 'Show Output', command: 'multistage.showOutput' };
  let docker: DockerProbe | undefined;
  const render = () => {
    const client = getClient();
    const running = client?.state === State.Running;
    const snapshot = (client?.initializeResult?.capabilities.experimental as { multistage?: { snapshotDate?: string } } | undefined)?.multistage?.snapshotDate;
    item.text = running ? '$(check) Multistage' : client?.state === State.Starting ? '$(loading~spin) Multistage' : '$(error) Multistage';
    item.severity = running ? vscode.LanguageStatusSeverity.Information : vscode.LanguageStatusSeverity.Error;
    item.busy = client?.state === State.Starting;
    item.detail = [
      running ? 'server running' : client?.state === State.Starting ? 'server starting' : 'server stopped',
      snapshot ? `size snapshot of ${snapshot}` : undefined,
      describeDocker(docker, vscode.workspace.isTrusted),
    ].filter(Boolean).join(' · ');
  };
  const check = async () => {
    if (!vscode.workspace.isTrusted) return render();
    docker = undefined;
    render();
    const path = readSetting(vscode.workspace.getConfiguration('multistage'), 'docker.path');
    docker = await probeDocker(path);
    output.info(`Docker: ${describeDocker(docker, true)} (${path})`);
    render();
  };
  void check();
  const stateChanges = getClient()?.onDidChangeState(render);
  return vscode.Disposable.from(
    item,
    ...(stateChanges ? [stateChanges] : []),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void check()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('multistage.docker.path')) void check();
    }),
  );
}
