// The one place that starts the Docker CLI (and Podman's, which takes the same argv). Everything else
// (build-and-compare, the `multistage compare` command, local image-size lookups, the image X-ray's
// `docker save` stream) goes through runDocker or streamDocker so that the rules hold everywhere:
// argv arrays only (never a shell), a failure is a value and never an exception, and cancellation stops
// the whole process group (the CLI plus whatever helper it started, e.g. a credential helper).
import { spawn, type ChildProcess } from 'node:child_process';
import { Readable } from 'node:stream';
import { SETTINGS } from '../analysis/settings';

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
/** stderr kept by a streamed run: enough for Docker's message, never the size of the stream. */
const STREAM_MAX_STDERR = 200_000;

/** A running CLI whose stdout is read as a byte stream (e.g. `docker save`, gigabytes of tar). */
export interface DockerStream {
  /**
   * The CLI's stdout. Not buffered: while nobody reads, the pipe fills and the CLI waits (backpressure).
   * Read it to the end, or call stop(); a stream left unread keeps the CLI waiting and `done` pending.
   */
  stdout: Readable;
  /** Settles when the CLI has exited and its output is closed; `stdout` is always '' here (it was streamed). */
  done: Promise<DockerResult>;
  /** Stops the whole process group and discards unread output (the result says cancelled). */
  stop(): void;
}

export function streamDocker(argv: readonly string[], options: RunDockerOptions = {}): DockerStream {
  const dockerPath = SETTINGS['docker.path'].read(options.dockerPath);
  const maxCapture = options.maxCapturedChars ?? STREAM_MAX_STDERR;
  if (options.signal?.aborted) {
    return { stdout: Readable.from([]), done: Promise.resolve({ code: 130, stdout: '', stderr: '', cancelled: true }), stop: () => {} };
  }
  let child: ChildProcess;
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
    const stderr = String((error as Error).message ?? error);
    return { stdout: Readable.from([]), done: Promise.resolve({ code: 127, stdout: '', stderr }), stop: () => {} };
  }
  const stdout = child.stdout!;
  const stderr = new CapturedText('stderr', maxCapture, options.onLine);
  let cancelled = false;
  let timedOut = false;

  const stopGroup = () => {
    // Unread output would hold the pipe open and the CLI blocked on it; drop it so the group can exit.
    if (!stdout.destroyed) stdout.destroy();
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
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

  child.stderr!.on('data', (chunk: Buffer) => stderr.add(chunk));

  const done = new Promise<DockerResult>((resolve) => {
    let settled = false;
    const finish = (result: DockerResult) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      stderr.flush();
      resolve(result);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      const missing = error.code === 'ENOENT' || error.code === 'EACCES';
      finish({ code: missing ? 127 : 1, stdout: '', stderr: stderr.text + error.message });
    });
    child.on('close', (code, signal) => {
      finish({
        code: cancelled ? 130 : (code ?? (signal ? 128 + signalNumber(signal) : 1)),
        stdout: '',
        stderr: stderr.text,
        ...(cancelled ? { cancelled: true } : {}),
        ...(timedOut ? { timedOut: true } : {}),
      });
    });
  });
  return {
    stdout,
    done,
    stop: () => {
      cancelled = true;
      stopGroup();
    },
  };
}

/** Runs the CLI to the end and returns its output as text (bounded by maxCapturedChars per stream). */
export async function runDocker(argv: readonly string[], options: RunDockerOptions = {}): Promise<DockerResult> {
  const maxCapture = options.maxCapturedChars ?? DEFAULT_MAX_CAPTURE;
  const run = streamDocker(argv, { ...options, maxCapturedChars: maxCapture });
  const stdout = new CapturedText('stdout', maxCapture, options.onLine);
  run.stdout.on('data', (chunk: Buffer) => stdout.add(chunk));
  const result = await run.done;
  stdout.flush();
  return { ...result, stdout: stdout.text };
}

/** One stream's output kept as text (the newest maxChars) and, when asked, handed on line by line. */
class CapturedText {
  text = '';
  private partial = '';

  constructor(
    private readonly stream: 'stdout' | 'stderr',
    private readonly maxChars: number,
    private readonly onLine?: RunDockerOptions['onLine'],
  ) {}

  add(chunk: Buffer): void {
    const text = chunk.toString('utf8');
    this.text += text;
    if (this.text.length > this.maxChars) this.text = this.text.slice(-this.maxChars);
    if (!this.onLine) return;
    const lines = (this.partial + text).split(/\r?\n/);
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.onLine(line, this.stream);
  }

  /** Hands on the last line when the output did not end with a newline. */
  flush(): void {
    if (this.onLine && this.partial) this.onLine(this.partial, this.stream);
    this.partial = '';
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
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
    /Cannot connect to the Docker daemon|Is the docker daemon running|error during connect|dial unix .*: connect:|connection refused|no such host|docker daemon is not running|failed to connect to the docker API|Cannot connect to Podman|unable to connect to Podman/i.test(
      text,
    )
  ) {
    return 'daemon-unreachable';
  }
  return undefined;
}
