// Running a sample image and asking it the sample's HTTP questions: one container per image, published
// on 127.0.0.1 only, under a name unique to this process, removed afterwards. The same probes go to the
// original and the split image, and the answers are compared probe by probe (status, and the body's
// hash unless the sample says the body is not stable).
import { probeImage as probeWithBehaviourCheck } from '../../server/src/docker/behaviour';
import type { ProbeSpec } from '../../server/src/docker/pure/behaviourTypes';
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
  /** The start of the body, or why there was no answer. */
  body: string;
  /** sha256 of the whole body, to compare bodies. */
  bodySha256?: string;
}

let containerCount = 0;
const RUN_ID = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;

export function probeLabel(probe: Probe): string {
  return `${probe.method ?? 'GET'} ${probe.path}${probe.port ? ` (:${probe.port})` : ''}`;
}

/** The probe as Build and Compare's behaviour check sends it (a JSON body serialised, with its content type). */
function toSpec(probe: Probe, defaultPort: number): ProbeSpec & { port: number } {
  const headers: Record<string, string> = { ...probe.headers };
  let body: string | undefined;
  if (probe.body !== undefined) {
    if (typeof probe.body === 'string') body = probe.body;
    else {
      body = JSON.stringify(probe.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    }
  }
  return { method: probe.method ?? 'GET', path: probe.path, port: probe.port ?? defaultPort, headers, ...(body !== undefined ? { body } : {}) };
}

/**
 * Starts `tag` with the container ports published on random 127.0.0.1 ports, waits until they answer
 * HTTP, sends every probe in order and removes the container: the same probe runner Build and Compare's
 * behaviour check uses (server/src/docker/behaviour.ts). A container that never answers is an error.
 */
export async function probeImage(tag: string, containerName: string, ports: readonly number[], probes: readonly Probe[], timeoutMs = 90_000): Promise<ProbeAnswer[]> {
  const name = `${containerName.replace(/[^a-zA-Z0-9_.-]/g, '-')}-${RUN_ID}-${++containerCount}`;
  if (ports.length === 0) return [await runOnce(tag, name, timeoutMs)];
  const seen = await probeWithBehaviourCheck(tag, {
    ports: [...ports],
    probes: probes.map((p) => toSpec(p, ports[0])),
    readyTimeoutMs: timeoutMs,
    requestTimeoutMs: 15_000,
    containerName: name,
    run: { dockerPath: DOCKER },
  });
  if (seen.startError) throw new Error(`docker run ${tag}: ${seen.startError}`);
  if (seen.answers.every((a) => a.status === undefined)) {
    throw new Error(`${tag} gave no HTTP answer within ${timeoutMs} ms (${seen.answers[0]?.error ?? 'no probes'})${seen.exitedEarly ? `, exited with ${seen.exitedEarly.exitCode}` : ''}; logs:\n${seen.logTail.join('\n')}`);
  }
  return probes.map((probe, i) => {
    const answer = seen.answers[i] ?? { error: 'no answer recorded' };
    return answer.status === undefined
      ? { probe: probeLabel(probe), status: 'no answer', body: answer.error ?? '' }
      : { probe: probeLabel(probe), status: answer.status, body: answer.bodyExcerpt ?? '', bodySha256: answer.bodySha256 };
  });
}

/** The answer of a program that runs once (no ports): exit code as the status, stdout + stderr as the body. */
export const COMMAND_PROBE: Probe = { method: 'RUN', path: '/ (the default command)' };

/** Runs the default command the way Build and Compare's behaviour check does for images without ports. */
async function runOnce(tag: string, name: string, timeoutMs: number): Promise<ProbeAnswer> {
  const seen = await probeWithBehaviourCheck(tag, { ports: [], probes: [], runTimeoutMs: timeoutMs, containerName: name, run: { dockerPath: DOCKER } });
  if (seen.startError) throw new Error(`docker run ${tag}: ${seen.startError}`);
  const run = seen.run;
  if (!run || run.exitCode === undefined) throw new Error(`${tag} was still running after ${timeoutMs} ms`);
  return { probe: probeLabel(COMMAND_PROBE), status: run.exitCode, body: `${run.stdout}${run.stderr}` };
}

/** What differs between the original's and the split's answers, one line each; empty when they agree. */
export function answerDifferences(probes: readonly Probe[], original: readonly ProbeAnswer[], split: readonly ProbeAnswer[]): string[] {
  const out: string[] = [];
  probes.forEach((probe, i) => {
    const [a, b] = [original[i], split[i]];
    const label = probeLabel(probe);
    if (probe.expectStatus !== undefined && a.status !== probe.expectStatus) out.push(`${label}: the ORIGINAL answered ${a.status}, the sample expects ${probe.expectStatus} (${clip(a.body)})`);
    if (a.status !== b.status) out.push(`${label}: original ${a.status}, split ${b.status} (split said: ${clip(b.body)})`);
    else if ((probe.compareBody ?? true) && (a.bodySha256 ?? a.body) !== (b.bodySha256 ?? b.body)) out.push(`${label}: same status ${a.status}, different bodies: original ${clip(a.body)} / split ${clip(b.body)}`);
  });
  return out;
}

function clip(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(one.length > 160 ? `${one.slice(0, 160)}…` : one);
}
