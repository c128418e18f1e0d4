// Running a sample image and asking it the sample's HTTP questions: one container per image, published
// on 127.0.0.1 only, under a name unique to this process, removed afterwards. The same probes go to the
// original and the split image, and the answers are compared probe by probe.
import { runDocker } from '../../server/src/docker/cli';
import { DOCKER } from './dockerTestSupport';

export interface Probe {
  /** GET unless given. */
  method?: string;
  path: string;
  /** A string is sent as is; anything else as JSON (with a JSON content type unless headers say otherwise). */
  body?: unknown;
  headers?: Record<string, string>;
  /** Both images must answer this status (otherwise they only have to agree). */
  expectStatus?: number;
  /** Whether the bodies must be equal too. Default true; false for answers with times, ids or hashes. */
  compareBody?: boolean;
  /** Container port, when the sample listens on more than one; default: the first of the sample's ports. */
  port?: number;
}

export interface ProbeAnswer {
  probe: string;
  status: number | 'no answer';
  body: string;
}

let containerCount = 0;
const RUN_ID = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;

export function probeLabel(probe: Probe): string {
  return `${probe.method ?? 'GET'} ${probe.path}${probe.port ? ` (:${probe.port})` : ''}`;
}

/**
 * Starts `tag` with the container ports published on random 127.0.0.1 ports, waits until the first
 * probe's port answers HTTP at all, sends every probe in order and removes the container.
 */
export async function probeImage(tag: string, containerName: string, ports: readonly number[], probes: readonly Probe[], timeoutMs = 90_000): Promise<ProbeAnswer[]> {
  const name = `${containerName.replace(/[^a-zA-Z0-9_.-]/g, '-')}-${RUN_ID}-${++containerCount}`;
  const publish = ports.flatMap((port) => ['-p', `127.0.0.1::${port}`]);
  const started = await runDocker(['run', '-d', '--name', name, ...publish, tag], { dockerPath: DOCKER });
  if (started.code !== 0) throw new Error(`docker run ${tag}: ${started.stderr}`);
  try {
    const hostPorts = new Map<number, string>();
    for (const port of ports) {
      const mapped = await runDocker(['port', name, `${port}/tcp`], { dockerPath: DOCKER });
      const hostPort = /127\.0\.0\.1:(\d+)/.exec(mapped.stdout)?.[1];
      if (!hostPort) throw new Error(`no published port ${port} for ${tag}: ${mapped.stdout} ${mapped.stderr}`);
      hostPorts.set(port, hostPort);
    }
    const urlOf = (probe: Probe) => `http://127.0.0.1:${hostPorts.get(probe.port ?? ports[0]) ?? hostPorts.get(ports[0])}${probe.path}`;
    await waitForHttp(name, tag, probes.length > 0 ? urlOf(probes[0]) : urlOf({ path: '/' }), timeoutMs);
    const answers: ProbeAnswer[] = [];
    for (const probe of probes) answers.push(await send(urlOf(probe), probe));
    return answers;
  } finally {
    await runDocker(['rm', '-f', name], { dockerPath: DOCKER });
  }
}

async function waitForHttp(name: string, tag: string, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    try {
      // Any answer means the server is up; the probes judge the status.
      await fetch(url, { signal: AbortSignal.timeout(3000), redirect: 'manual' });
      return;
    } catch (error) {
      lastError = String((error as { cause?: unknown }).cause ?? error);
    }
    const state = await runDocker(['inspect', '--format', '{{.State.Running}}', name], { dockerPath: DOCKER });
    if (state.stdout.trim() === 'false') break;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  const logs = await runDocker(['logs', name], { dockerPath: DOCKER });
  throw new Error(`${tag} gave no HTTP answer on ${url} within ${timeoutMs} ms or exited (${lastError}); logs:\n${(logs.stdout + logs.stderr).slice(-3000)}`);
}

async function send(url: string, probe: Probe): Promise<ProbeAnswer> {
  const headers: Record<string, string> = { ...probe.headers };
  let body: string | undefined;
  if (probe.body !== undefined) {
    if (typeof probe.body === 'string') body = probe.body;
    else {
      body = JSON.stringify(probe.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    }
  }
  try {
    const response = await fetch(url, { method: probe.method ?? 'GET', headers, body, redirect: 'manual', signal: AbortSignal.timeout(15_000) });
    return { probe: probeLabel(probe), status: response.status, body: await response.text() };
  } catch (error) {
    return { probe: probeLabel(probe), status: 'no answer', body: String((error as { cause?: unknown }).cause ?? error) };
  }
}

/** What differs between the original's and the split's answers, one line each; empty when they agree. */
export function answerDifferences(probes: readonly Probe[], original: readonly ProbeAnswer[], split: readonly ProbeAnswer[]): string[] {
  const out: string[] = [];
  probes.forEach((probe, i) => {
    const [a, b] = [original[i], split[i]];
    const label = probeLabel(probe);
    if (probe.expectStatus !== undefined && a.status !== probe.expectStatus) out.push(`${label}: the ORIGINAL answered ${a.status}, the sample expects ${probe.expectStatus} (${clip(a.body)})`);
    if (a.status !== b.status) out.push(`${label}: original ${a.status}, split ${b.status} (split said: ${clip(b.body)})`);
    else if ((probe.compareBody ?? true) && a.body !== b.body) out.push(`${label}: same status ${a.status}, different bodies: original ${clip(a.body)} / split ${clip(b.body)}`);
  });
  return out;
}

function clip(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(one.length > 160 ? `${one.slice(0, 160)}…` : one);
}
