// The one place that starts the Docker CLI. Everything else (build-and-compare, the `multistage compare`
// command, local image-size lookups) goes through runDocker so that the rules hold everywhere:
// argv arrays only (never a shell), a failure is a value and never an exception, and cancellation stops
// the whole process group (the CLI plus whatever helper it started, e.g. a credential helper).
import { spawn } from 'node:child_process';

export interface DockerResult {
  /** Exit code; 127 when the CLI could not be started (not installed / not executable), 130 when cancelled. */
  code: number;
  stdout: string;
  stderr: string;
  /** Set when the run was stopped through the abort signal or the timeout. */
  cancelled?: boolean;
  timedOut?: boolean;
}

export interface RunDockerOptions {
  /** The Docker CLI to run (`multistage.docker.path`); default `docker` from PATH. */
  dockerPath?: string;
  /** Extra environment on top of process.env (DOCKER_HOST / DOCKER_CONTEXT pass through untouched). */
  env?: Record<string, string | undefined>;
  cwd?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Called with each complete line of output as it arrives (build progress). */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Upper bound of captured output per stream; older text is dropped first (builds can be chatty). */
  maxCapturedChars?: number;
}

/** Grace period between SIGTERM and SIGKILL when a run is stopped. */
const KILL_GRACE_MS = 3000;
const DEFAULT_MAX_CAPTURE = 4_000_000;

export function runDocker(argv: readonly string[], options: RunDockerOptions = {}): Promise<DockerResult> {
  const dockerPath = options.dockerPath || 'docker';
  const maxCapture = options.maxCapturedChars ?? DEFAULT_MAX_CAPTURE;
  return new Promise((resolve) => {
    if (options.signal?.aborted) {
      resolve({ code: 130, stdout: '', stderr: '', cancelled: true });
      return;
    }
    const captured = { stdout: '', stderr: '' };
    const partial = { stdout: '', stderr: '' };
    let cancelled = false;
    let timedOut = false;
    let settled = false;
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(dockerPath, [...argv], {
        cwd: options.cwd,
        env: { ...process.env, ...options.env },
        // Own process group, so stopping a build stops everything the CLI started.
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
    } catch (error) {
      resolve({ code: 127, stdout: '', stderr: String((error as Error).message ?? error) });
      return;
    }

    const stopGroup = () => {
      if (child.pid === undefined || child.exitCode !== null) return;
      signalGroup(child, 'SIGTERM');
      const hardKill = setTimeout(() => signalGroup(child, 'SIGKILL'), KILL_GRACE_MS);
      hardKill.unref();
    };
    const onAbort = () => {
      cancelled = true;
      stopGroup();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          stopGroup();
        }, options.timeoutMs)
      : undefined;

    const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      captured[stream] += text;
      if (captured[stream].length > maxCapture) captured[stream] = captured[stream].slice(-maxCapture);
      if (!options.onLine) return;
      const lines = (partial[stream] + text).split(/\r?\n/);
      partial[stream] = lines.pop() ?? '';
      for (const line of lines) options.onLine(line, stream);
    };
    child.stdout!.on('data', collect('stdout'));
    child.stderr!.on('data', collect('stderr'));

    const finish = (result: DockerResult) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (options.onLine) {
        if (partial.stdout) options.onLine(partial.stdout, 'stdout');
        if (partial.stderr) options.onLine(partial.stderr, 'stderr');
      }
      resolve(result);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      const missing = error.code === 'ENOENT' || error.code === 'EACCES';
      finish({ code: missing ? 127 : 1, stdout: captured.stdout, stderr: captured.stderr + error.message });
    });
    child.on('close', (code, signal) => {
      finish({
        code: cancelled ? 130 : (code ?? (signal ? 128 + signalNumber(signal) : 1)),
        stdout: captured.stdout,
        stderr: captured.stderr,
        ...(cancelled ? { cancelled: true } : {}),
        ...(timedOut ? { timedOut: true } : {}),
      });
    });
  });
}

function signalGroup(child: ReturnType<typeof spawn>, signal: NodeJS.Signals): void {
  try {
    // Windows has no process groups to signal; there the CLI itself is stopped.
    if (process.platform === 'win32') child.kill(signal);
    else process.kill(-child.pid!, signal);
  } catch {
    // The group is already gone: nothing left to stop.
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  return signal === 'SIGKILL' ? 9 : signal === 'SIGINT' ? 2 : 15;
}

export type DockerProblemKind = 'cli-missing' | 'daemon-unreachable';

/**
 * Recognises the two failures every Docker-using feature must explain the same way. Returns undefined for
 * anything else (a build error, a missing image), which the caller reports with Docker's own words.
 */
export function classifyDockerFailure(result: DockerResult): DockerProblemKind | undefined {
  if (result.code === 0) return undefined;
  if (result.code === 127) return 'cli-missing';
  const text = result.stderr + result.stdout;
  if (
    /Cannot connect to the Docker daemon|Is the docker daemon running|error during connect|dial unix .*: connect:|connection refused|no such host|docker daemon is not running|failed to connect to the docker API/i.test(
      text,
    )
  ) {
    return 'daemon-unreachable';
  }
  return undefined;
}
