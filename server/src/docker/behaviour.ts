// The behaviour check: run two images with the same options, ask them the same questions, compare.
// HTTP images get the planned requests (behaviourPlan.ts) on their ports, published on 127.0.0.1 only;
// images without a port are compared by the exit code and output of their default command.
//
// Promises: every container made here carries the run's label and is removed afterwards, also when the
// check fails or is cancelled (the abort signal); nothing listens beyond 127.0.0.1; no shell is involved.
// Independent of build-and-compare, so any two images (a sample app's original and its split) can be checked.
import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { runDocker, type RunDockerOptions } from './runner';
import { compareBehaviour, planProbes, type ImageConfig } from './pure/behaviourPlan';
import type { BehaviourReport, HttpAnswer, ImageBehaviour, ProbeSpec, RunAnswer } from './pure/behaviourTypes';

export const BEHAVIOUR_LABEL = 'multistage-compare.behaviour';

export interface ProbeOptions {
  /** Container ports to publish (on 127.0.0.1, each to a free host port). Empty: run mode. */
  ports: number[];
  /** Requests, each with its container port. */
  probes: (ProbeSpec & { port: number })[];
  /** How long to wait for every port to answer HTTP at all; default 30 s. */
  readyTimeoutMs?: number;
  /** Per request; default 10 s. */
  requestTimeoutMs?: number;
  /** Run mode: how long the default command may run; default 10 s. */
  runTimeoutMs?: number;
  /** Container name; default a unique `multistage-behaviour-…`. */
  containerName?: string;
  /** Value of the BEHAVIOUR_LABEL label (lets a caller sweep its containers); default the name. */
  runId?: string;
  run?: RunDockerOptions;
  signal?: AbortSignal;
}

export interface CheckOptions {
  /** The user's requests (setting / --probe), sent after `/` on each port and the HEALTHCHECK URLs. */
  probes?: ProbeSpec[];
  readyTimeoutMs?: number;
  requestTimeoutMs?: number;
  runTimeoutMs?: number;
  run?: RunDockerOptions;
  signal?: AbortSignal;
}

const POLL_MS = 250;
const MAX_BODY_HASHED = 16_000_000;
const MAX_OUTPUT = 64_000;

/** Exposed TCP ports and the HEALTHCHECK of an image. */
export async function readImageConfig(image: string, run: RunDockerOptions = {}): Promise<ImageConfig | { error: string }> {
  const r = await runDocker(['image', 'inspect', '--format', '{{json .Config}}', image], { ...run, signal: undefined, timeoutMs: 30_000 });
  if (r.code !== 0) return { error: lastLine(r.stderr) || `docker image inspect exited with ${r.code}` };
  try {
    const config = JSON.parse(r.stdout) as { ExposedPorts?: Record<string, unknown> | null; Healthcheck?: { Test?: string[] } | null } | null;
    const exposedPorts = Object.keys(config?.ExposedPorts ?? {})
      .map((key) => /^(\d+)(?:\/tcp)?$/.exec(key)?.[1])
      .filter((p): p is string => p !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    return { exposedPorts, ...(config?.Healthcheck?.Test ? { healthcheck: config.Healthcheck.Test } : {}) };
  } catch (error) {
    return { error: `unreadable image config: ${(error as Error).message}` };
  }
}

/**
 * Checks two images end to end: reads both configs, plans the requests, runs and probes both at the same
 * time (each in its own container, so a write to one cannot be seen by the other), compares.
 */
export async function checkBehaviour(beforeImage: string, afterImage: string, options: CheckOptions = {}): Promise<BehaviourReport> {
  const run = options.run ?? {};
  const [beforeConfig, afterConfig] = await Promise.all([readImageConfig(beforeImage, run), readImageConfig(afterImage, run)]);
  const usable = (c: ImageConfig | { error: string }): ImageConfig => ('error' in c ? { exposedPorts: [] } : c);
  const plan = planProbes(usable(beforeConfig), usable(afterConfig), options.probes ?? []);
  const runId = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const probeOne = (image: string, side: string) =>
    probeImage(image, {
      ports: plan.ports,
      probes: plan.probes,
      readyTimeoutMs: options.readyTimeoutMs,
      requestTimeoutMs: options.requestTimeoutMs,
      runTimeoutMs: options.runTimeoutMs,
      containerName: `multistage-behaviour-${runId}-${side}`,
      runId,
      run,
      signal: options.signal,
    });
  try {
    const [before, after] = await Promise.all([probeOne(beforeImage, 'before'), probeOne(afterImage, 'after')]);
    return compareBehaviour(before, after, plan.probes, plan.notes);
  } finally {
    await removeLabelled(runId, run);
  }
}

/** Runs one image and asks it the probes (or, without ports, lets its default command run). */
export async function probeImage(image: string, options: ProbeOptions): Promise<ImageBehaviour> {
  const run: RunDockerOptions = { ...options.run, signal: undefined };
  const name = options.containerName ?? `multistage-behaviour-${randomBytes(6).toString('hex')}`;
  const result: ImageBehaviour = { image, ports: options.ports, answers: [], logTail: [] };
  const argv = ['run', '--detach', '--name', name, '--label', `${BEHAVIOUR_LABEL}=${options.runId ?? name}`];
  for (const port of options.ports) argv.push('--publish', `127.0.0.1::${port}`);
  argv.push(image);
  const started = performance.now();
  try {
    if (options.signal?.aborted) return { ...result, startError: 'cancelled' };
    const start = await runDocker(argv, { ...run, timeoutMs: 60_000 });
    if (start.code !== 0) return { ...result, startError: lastLine(start.stderr) || `docker run exited with ${start.code}` };
    if (options.ports.length === 0) {
      result.run = await waitForExit(name, options.runTimeoutMs ?? 10_000, started, run, options.signal);
    } else {
      const hostPorts = await publishedPorts(name, run);
      const ready = await waitUntilAnswering(name, hostPorts, options.ports, options.readyTimeoutMs ?? 30_000, run, options.signal);
      if (ready.exitCode !== undefined) result.exitedEarly = { exitCode: ready.exitCode };
      for (const probe of options.probes) {
        const hostPort = hostPorts.get(probe.port);
        if (options.signal?.aborted) result.answers.push({ error: 'cancelled' });
        else if (hostPort === undefined) result.answers.push({ error: `port ${probe.port} is not published` });
        else if (!ready.ports.has(probe.port)) result.answers.push({ error: ready.reason(probe.port) });
        else result.answers.push(await send(hostPort, probe, options.requestTimeoutMs ?? 10_000, options.signal));
      }
      const state = await containerState(name, run);
      if (state && state.status === 'exited' && !result.exitedEarly) result.exitedEarly = { exitCode: state.exitCode };
    }
    result.logTail = await logTail(name, run);
    return result;
  } finally {
    // `docker run` may have made the container even when it failed or was stopped.
    await runDocker(['container', 'rm', '--force', '--volumes', name], { ...run, timeoutMs: 60_000 });
  }
}

/** Removes every container of a check run (by its label), whatever state it is in. */
export async function removeLabelled(runId: string, run: RunDockerOptions = {}): Promise<void> {
  const opts = { ...run, signal: undefined, timeoutMs: 60_000 };
  const listed = await runDocker(['container', 'ls', '--all', '--quiet', '--filter', `label=${BEHAVIOUR_LABEL}=${runId}`], opts);
  const ids = listed.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  if (ids.length > 0) await runDocker(['container', 'rm', '--force', '--volumes', ...ids], opts);
}

async function publishedPorts(name: string, run: RunDockerOptions): Promise<Map<number, number>> {
  // "3000/tcp -> 127.0.0.1:49153"
  const r = await runDocker(['container', 'port', name], { ...run, timeoutMs: 30_000 });
  const out = new Map<number, number>();
  for (const line of r.stdout.split('\n')) {
    const m = /^(\d+)\/tcp -> 127\.0\.0\.1:(\d+)$/.exec(line.trim());
    if (m) out.set(Number(m[1]), Number(m[2]));
  }
  return out;
}

interface Readiness {
  ports: Set<number>;
  exitCode?: number;
  reason(port: number): string;
}

/** Polls each port with GET / until it answers anything (docker's proxy accepts connections before the app
 * listens, so a TCP connect proves nothing), the container exits, or the time is up. */
async function waitUntilAnswering(
  name: string,
  hostPorts: Map<number, number>,
  ports: number[],
  timeoutMs: number,
  run: RunDockerOptions,
  signal: AbortSignal | undefined,
): Promise<Readiness> {
  const deadline = performance.now() + timeoutMs;
  const ready = new Set<number>();
  let exitCode: number | undefined;
  let polls = 0;
  while (!signal?.aborted && ready.size < ports.length && performance.now() < deadline) {
    for (const port of ports) {
      const hostPort = hostPorts.get(port);
      if (ready.has(port) || hostPort === undefined) continue;
      const answer = await send(hostPort, { method: 'GET', path: '/', port }, 2_000, signal);
      if (answer.status !== undefined) ready.add(port);
    }
    if (ready.size === ports.length) break;
    if (++polls % 4 === 0) {
      const state = await containerState(name, run);
      if (state?.status === 'exited' || state?.status === 'dead') {
        exitCode = state.exitCode;
        break;
      }
    }
    await sleep(POLL_MS, signal);
  }
  const seconds = Math.round(timeoutMs / 100) / 10;
  return {
    ports: ready,
    exitCode,
    reason: (port) =>
      signal?.aborted ? 'cancelled'
        : exitCode !== undefined ? `the container exited with code ${exitCode} before answering`
        : `nothing answered HTTP on port ${port} within ${seconds} s`,
  };
}

/** One HTTP request to 127.0.0.1; never throws. Redirects are answers, not followed. */
function send(hostPort: number, probe: ProbeSpec & { port: number }, timeoutMs: number, signal?: AbortSignal): Promise<HttpAnswer> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const done = (answer: HttpAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(answer);
    };
    const body = probe.body === undefined ? undefined : Buffer.from(probe.body, 'utf8');
    const headers: Record<string, string> = { host: `localhost:${probe.port}`, connection: 'close', ...probe.headers };
    if (body) {
      headers['content-length'] = String(body.length);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = guessContentType(probe.body!);
    }
    // agent: false — a pooled keep-alive socket that the server closed after `connection: close` (the JDK's
    // HttpServer does not say so in its answer) would fail every other request.
    const req = httpRequest({ host: '127.0.0.1', port: hostPort, method: probe.method, path: probe.path, headers, signal, agent: false }, (res) => {
      const hash = createHash('sha256');
      let bytes = 0;
      let excerpt = '';
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (excerpt.length < 200) excerpt += chunk.toString('utf8', 0, Math.min(chunk.length, 400));
        if (bytes <= MAX_BODY_HASHED) hash.update(chunk);
        else res.destroy();
      });
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        done({
          status: res.statusCode,
          ...(res.headers['content-type'] ? { contentType: res.headers['content-type'] } : {}),
          bodyBytes: bytes,
          bodySha256: hash.digest('hex'),
          bodyExcerpt: oneLine(excerpt, 120),
          ms: Math.round(performance.now() - started),
        });
      };
      res.on('end', finish);
      res.on('close', finish);
      res.on('error', finish);
    });
    const timer = setTimeout(() => {
      req.destroy();
      done({ error: `no answer within ${timeoutMs / 1000} s` });
    }, timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => done({ error: describeNetError(error, signal) }));
    req.end(body);
  });
}

function guessContentType(body: string): string {
  const t = body.trim();
  if ((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'))) return 'application/json';
  return /^[^=&\s]+=[^&]*(&[^=&\s]+=[^&]*)*$/.test(t) ? 'application/x-www-form-urlencoded' : 'text/plain';
}

function describeNetError(error: NodeJS.ErrnoException, signal?: AbortSignal): string {
  if (signal?.aborted) return 'cancelled';
  if (error.code === 'ECONNRESET' || error.message === 'socket hang up') return 'connection closed without an answer';
  if (error.code === 'ECONNREFUSED') return 'connection refused';
  return error.code ?? error.message;
}

async function waitForExit(
  name: string,
  timeoutMs: number,
  started: number,
  run: RunDockerOptions,
  signal: AbortSignal | undefined,
): Promise<RunAnswer> {
  const deadline = started + timeoutMs;
  const seconds = () => Math.round((performance.now() - started) / 100) / 10;
  let answer: Omit<RunAnswer, 'stdout' | 'stderr'> | undefined;
  while (!answer) {
    const state = await containerState(name, run);
    if (state && (state.status === 'exited' || state.status === 'dead')) answer = { exitCode: state.exitCode, seconds: seconds() };
    else if (performance.now() >= deadline || signal?.aborted) answer = { stillRunning: true, seconds: Math.round(timeoutMs / 100) / 10 };
    else await sleep(POLL_MS, signal);
  }
  const logs = await runDocker(['container', 'logs', name], { ...run, timeoutMs: 30_000, maxCapturedChars: MAX_OUTPUT });
  return { ...answer, stdout: logs.stdout, stderr: logs.stderr };
}

async function containerState(name: string, run: RunDockerOptions): Promise<{ status: string; exitCode: number } | undefined> {
  const r = await runDocker(['container', 'inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', name], { ...run, timeoutMs: 30_000 });
  if (r.code !== 0) return undefined;
  const [status, code] = r.stdout.trim().split(' ');
  return { status, exitCode: Number(code) };
}

async function logTail(name: string, run: RunDockerOptions): Promise<string[]> {
  const logs = await runDocker(['container', 'logs', '--tail', '10', name], { ...run, timeoutMs: 30_000 });
  return (logs.stdout + logs.stderr).split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() !== '').slice(-10);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function oneLine(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() ?? '';
}
