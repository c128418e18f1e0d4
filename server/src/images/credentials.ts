// Registry credentials the way the Docker CLI finds them: ~/.docker/config.json (or $DOCKER_CONFIG)
// "auths" entries, per-registry "credHelpers" and the default "credsStore". Helpers are run as
// `docker-credential-<name> get` with the server URL on stdin (argv array, no shell). Secrets are
// returned to the caller only; nothing here logs them, and error messages name the helper, not the data.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface RegistryCredentials {
  username: string;
  secret: string;
}

export interface CredentialSource {
  /** Credentials for a registry ("docker.io", "ghcr.io", "host:port"), or undefined when none are set up. */
  forRegistry(registry: string): Promise<RegistryCredentials | undefined>;
}

export interface HelperResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export type HelperRunner = (program: string, args: string[], stdin: string, timeoutMs: number) => Promise<HelperResult>;

/** Runs a credential helper with an argv array; a missing binary or a timeout resolves, never throws. */
export const spawnHelper: HelperRunner = (program, args, stdin, timeoutMs) =>
  new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    const finish = (result: HelperResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'], shell: false });
    const timer = setTimeout(() => {
      child.kill();
      finish({ code: null, stdout: '', stderr: `${program} timed out after ${timeoutMs} ms` });
    }, timeoutMs);
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', (error) => finish({ code: null, stdout: '', stderr: error.message }));
    child.on('close', (code) => finish({ code, stdout, stderr }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin);
  });

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

/** The keys Docker uses for a registry in config.json (Docker Hub's is the legacy v1 index URL). */
function configKeys(registry: string): string[] {
  if (registry === 'docker.io') return ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];
  return [registry, `https://${registry}`, `http://${registry}`, `https://${registry}/v1/`, `https://${registry}/v2/`];
}

/** config.json is re-read at most this often, so a `docker login` takes effect without a restart. */
const CONFIG_REFRESH_MS = 30_000;

export class DockerConfigCredentials implements CredentialSource {
  private config?: Promise<DockerConfig>;
  private loadedAt = 0;

  constructor(
    private readonly configDir: string = process.env.DOCKER_CONFIG || join(homedir(), '.docker'),
    private readonly runHelper: HelperRunner = spawnHelper,
    private readonly helperTimeoutMs = 5000,
  ) {}

  private load(): Promise<DockerConfig> {
    if (this.config && Date.now() - this.loadedAt > CONFIG_REFRESH_MS) this.config = undefined;
    if (!this.config) this.loadedAt = Date.now();
    this.config ??= readFile(join(this.configDir, 'config.json'), 'utf8')
      .then((text) => {
        const parsed = JSON.parse(text);
        return parsed && typeof parsed === 'object' ? (parsed as DockerConfig) : {};
      })
      .catch(() => ({}));
    return this.config;
  }

  async forRegistry(registry: string): Promise<RegistryCredentials | undefined> {
    const config = await this.load();
    const keys = configKeys(registry);
    const helper = config.credHelpers?.[keys.find((k) => config.credHelpers?.[k]) ?? ''] ?? config.credsStore;
    if (helper) {
      const fromHelper = await this.fromHelper(helper, keys[0]);
      if (fromHelper) return fromHelper;
    }
    for (const key of keys) {
      const entry = config.auths?.[key];
      if (!entry) continue;
      if (entry.auth) {
        const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon > 0) return { username: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
      }
      if (entry.username && entry.password) return { username: entry.username, secret: entry.password };
    }
    return undefined;
  }

  private async fromHelper(helper: string, serverUrl: string): Promise<RegistryCredentials | undefined> {
    if (!/^[\w.-]+$/.test(helper)) return undefined;
    const result = await this.runHelper(`docker-credential-${helper}`, ['get'], serverUrl, this.helperTimeoutMs);
    if (result.code !== 0) return undefined;
    try {
      const parsed = JSON.parse(result.stdout) as { Username?: string; Secret?: string };
      if (typeof parsed.Username === 'string' && typeof parsed.Secret === 'string' && parsed.Secret) {
        return { username: parsed.Username, secret: parsed.Secret };
      }
    } catch {
      // A helper that prints something other than JSON has no usable credentials for us.
    }
    return undefined;
  }
}

/** For `multistage.imageSizes.online: false` and tests: no credentials anywhere. */
export const NO_CREDENTIALS: CredentialSource = { forRegistry: async () => undefined };
