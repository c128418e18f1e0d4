// The pure half of the behaviour check: which requests to send (from the user's probes, the images'
// exposed ports and HEALTHCHECKs) and what the answers say (the comparison and its one-line verdict).
import type { BehaviourReport, BehaviourRequest, HttpAnswer, ImageBehaviour, ProbeSpec, RunAnswer } from './behaviourTypes';

/** What `docker image inspect` tells about how to talk to an image. */
export interface ImageConfig {
  /** TCP ports from EXPOSE, ascending. */
  exposedPorts: number[];
  /** The HEALTHCHECK command, as Docker stores it (["CMD-SHELL", "curl -f http://localhost:3000/health"]). */
  healthcheck?: string[];
}

const METHOD = /^[A-Z][A-Z0-9_-]{0,19}$/;

/**
 * "METHOD PATH [BODY]" as given to `--probe` or the setting. PATH is `/x` (the default port) or `:8080/x`.
 * Returns a message for anything else.
 */
export function parseProbe(text: string): ProbeSpec | string {
  const match = /^\s*(\S+)\s+(\S+)(?:\s+([\s\S]*))?$/.exec(text);
  if (!match) return `"${text}" is not "METHOD PATH [BODY]"`;
  const method = match[1].toUpperCase();
  if (!METHOD.test(method)) return `"${match[1]}" is not an HTTP method`;
  const target = parseTarget(match[2]);
  if (typeof target === 'string') return target;
  const body = match[3]?.trim();
  return { method, ...target, ...(body ? { body } : {}), source: 'user' };
}

function parseTarget(text: string): { path: string; port?: number } | string {
  const withPort = /^:(\d{1,5})(\/.*)?$/.exec(text);
  if (withPort) {
    const port = Number(withPort[1]);
    if (port < 1 || port > 65535) return `port ${withPort[1]} is out of range`;
    return { port, path: withPort[2] ?? '/' };
  }
  if (!text.startsWith('/')) return `"${text}" must start with / (or :PORT/)`;
  return { path: text };
}

/**
 * The `multistage.compare.probes` setting: strings as for --probe, or objects
 * `{ method, path, port?, body?, headers? }` (a body that is not a string is sent as JSON).
 */
export function probesFromSetting(raw: unknown): { probes: ProbeSpec[]; errors: string[] } {
  const probes: ProbeSpec[] = [];
  const errors: string[] = [];
  if (raw === undefined || raw === null) return { probes, errors };
  if (!Array.isArray(raw)) return { probes, errors: ['multistage.compare.probes must be an array'] };
  for (const item of raw) {
    if (typeof item === 'string') {
      const probe = parseProbe(item);
      if (typeof probe === 'string') errors.push(probe);
      else probes.push(probe);
      continue;
    }
    if (typeof item !== 'object' || item === null) {
      errors.push(`${JSON.stringify(item)} is neither "METHOD PATH" nor { method, path }`);
      continue;
    }
    const o = item as Record<string, unknown>;
    const method = typeof o.method === 'string' ? o.method.toUpperCase() : 'GET';
    if (!METHOD.test(method) || typeof o.path !== 'string') {
      errors.push(`${JSON.stringify(item)} needs a method and a path`);
      continue;
    }
    const target = parseTarget(typeof o.port === 'number' ? `:${o.port}${o.path}` : o.path);
    if (typeof target === 'string') {
      errors.push(target);
      continue;
    }
    const headers = typeof o.headers === 'object' && o.headers !== null
      ? Object.fromEntries(Object.entries(o.headers as Record<string, unknown>).filter(([, v]) => typeof v === 'string')) as Record<string, string>
      : undefined;
    const body = o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
    const jsonBody = o.body !== undefined && typeof o.body !== 'string';
    probes.push({
      method,
      ...target,
      ...(body !== undefined ? { body } : {}),
      ...(headers || jsonBody ? { headers: { ...(jsonBody ? { 'content-type': 'application/json' } : {}), ...headers } } : {}),
      source: 'user',
    });
  }
  return { probes, errors };
}

/** Local URLs in a HEALTHCHECK (`curl -f http://localhost:3000/health`, `wget --spider http://127.0.0.1/x`). */
export function healthcheckProbes(healthcheck: string[] | undefined): ProbeSpec[] {
  if (!healthcheck || healthcheck[0] === 'NONE') return [];
  const text = healthcheck.slice(1).join(' ');
  const out: ProbeSpec[] = [];
  const url = /\bhttp:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?::(\d{1,5}))?(\/[^\s'"|;&)<>`]*)?/g;
  for (const m of text.matchAll(url)) {
    out.push({ method: 'GET', path: m[2] ?? '/', port: m[1] ? Number(m[1]) : 80, source: 'healthcheck' });
  }
  return out;
}

export interface ProbePlan {
  /** Ports published on both containers (the union, so both run with the same options). */
  ports: number[];
  /** Every request with its port filled in. */
  probes: (ProbeSpec & { port: number })[];
  notes: string[];
}

/**
 * `/` on every port either image exposes, the HEALTHCHECK URLs, then the user's probes in their order (writes
 * come last so that they cannot change what the defaults see). Without any port: an empty plan (run mode).
 */
export function planProbes(before: ImageConfig, after: ImageConfig, user: ProbeSpec[]): ProbePlan {
  const notes: string[] = [];
  const exposed = [...new Set([...before.exposedPorts, ...after.exposedPorts])];
  const mainPort = before.exposedPorts[0] ?? after.exposedPorts[0];
  const planned: (ProbeSpec & { port: number })[] = exposed.map((port) => ({ method: 'GET', path: '/', port, source: 'default' }));
  for (const probe of [...healthcheckProbes(before.healthcheck), ...healthcheckProbes(after.healthcheck)]) {
    planned.push({ ...probe, port: probe.port! });
  }
  for (const probe of user) {
    const port = probe.port ?? mainPort;
    if (port === undefined) {
      notes.push(`${probe.method} ${probe.path} was not sent: neither image exposes a port (give one as ${probe.method} :PORT${probe.path}).`);
      continue;
    }
    planned.push({ ...probe, port, source: 'user' });
  }
  const seen = new Set<string>();
  const probes = planned.filter((p) => {
    // Reads asked twice are asked once; writes are sent as often as the user listed them.
    const key = `${p.method} ${p.port} ${p.path} ${p.body ?? ''}`;
    if (p.body !== undefined || p.method !== 'GET') return true;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const ports = [...new Set(probes.map((p) => p.port))];
  return { ports, probes, notes };
}

export function describeAnswer(answer: HttpAnswer | undefined): string {
  if (!answer) return 'not asked';
  if (answer.status !== undefined) return String(answer.status);
  return `no answer (${answer.error ?? 'unknown'})`;
}

export function describeRun(run: RunAnswer | undefined): string {
  if (!run) return 'not run';
  if (run.stillRunning) return `still running after ${run.seconds} s`;
  return `exited ${run.exitCode} after ${run.seconds} s`;
}

/** Lines the run wrote, stdout then stderr, for side-by-side display. */
export function runOutputLines(run: RunAnswer, max = 8): string[] {
  return `${run.stdout}${run.stderr}`.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() !== '').slice(-max);
}

/** Compares what the two images did; `probes` is the plan both were asked (absent or empty: run mode). */
export function compareBehaviour(
  before: ImageBehaviour,
  after: ImageBehaviour,
  probes: (ProbeSpec & { port: number })[],
  planNotes: string[] = [],
): BehaviourReport {
  const notes = [...planNotes];
  const sides = {
    before: summary(before),
    after: summary(after),
  };
  if (probes.length === 0) {
    const b = before.run;
    const a = after.run;
    const sameExitCode = b !== undefined && a !== undefined && b.stillRunning === a.stillRunning && b.exitCode === a.exitCode;
    const sameOutput = b !== undefined && a !== undefined && b.stdout === a.stdout && b.stderr === a.stderr;
    const alike = sameExitCode && sameOutput && !before.startError && !after.startError;
    return {
      kind: 'run',
      requests: [],
      ...(b && a ? { run: { before: b, after: a, sameExitCode, sameOutput } } : {}),
      matched: alike ? 1 : 0,
      total: 1,
      alike,
      verdict: runVerdict(before, after, sameExitCode, sameOutput),
      sides,
      notes,
    };
  }
  const requests: BehaviourRequest[] = probes.map((probe, i) => {
    const b = before.answers[i] ?? { error: 'not asked' };
    const a = after.answers[i] ?? { error: 'not asked' };
    const same = b.status === a.status;
    const bodiesDiffer = same && b.status !== undefined && b.bodySha256 !== undefined && a.bodySha256 !== undefined && b.bodySha256 !== a.bodySha256;
    return {
      method: probe.method,
      path: probe.path,
      port: probe.port,
      source: probe.source ?? 'user',
      ...(probe.body !== undefined ? { hasBody: true } : {}),
      before: b,
      after: a,
      same,
      ...(bodiesDiffer ? { bodiesDiffer: true } : {}),
    };
  });
  const matched = requests.filter((r) => r.same).length;
  const unanswered = requests.filter((r) => r.same && r.before.status === undefined);
  if (unanswered.length > 0) notes.push(`Neither image answered ${list(unanswered.map(name))}.`);
  const differentBodies = requests.filter((r) => r.bodiesDiffer);
  if (differentBodies.length > 0) notes.push(`Same status but different bodies: ${list(differentBodies.map(name))}.`);
  const alike = matched === requests.length && !before.startError && !after.startError;
  return {
    kind: 'http',
    requests,
    matched,
    total: requests.length,
    alike,
    verdict: httpVerdict(before, after, requests, matched),
    sides,
    notes,
  };
}

function summary(image: ImageBehaviour): BehaviourReport['sides']['before'] {
  return {
    image: image.image,
    ...(image.startError ? { startError: image.startError } : {}),
    ...(image.exitedEarly ? { exitedEarly: image.exitedEarly } : {}),
    logTail: image.logTail,
  };
}

function name(r: BehaviourRequest): string {
  return `${r.method} ${r.path}`;
}

function list(items: string[], max = 3): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

function startProblem(before: ImageBehaviour, after: ImageBehaviour): string | undefined {
  if (before.startError && after.startError) return `Neither image could be started (before: ${before.startError}; after: ${after.startError}).`;
  if (after.startError) return `After could not be started: ${after.startError}.`;
  if (before.startError) return `Before could not be started: ${before.startError}.`;
  return undefined;
}

function httpVerdict(before: ImageBehaviour, after: ImageBehaviour, requests: BehaviourRequest[], matched: number): string {
  const problem = startProblem(before, after);
  if (problem) return problem;
  const noun = requests.length === 1 ? 'request' : 'requests';
  if (matched === requests.length) return `After behaves like Before on ${matched} of ${requests.length} ${noun}.`;
  const differences = requests
    .filter((r) => !r.same)
    .map((r) => `${name(r)} ${describeAnswer(r.before)} → ${describeAnswer(r.after)}`);
  return `After differs from Before on ${requests.length - matched} of ${requests.length} ${noun}: ${list(differences)}.`;
}

function runVerdict(before: ImageBehaviour, after: ImageBehaviour, sameExitCode: boolean, sameOutput: boolean): string {
  const problem = startProblem(before, after);
  if (problem) return problem;
  const b = before.run!;
  const a = after.run!;
  const what = b.stillRunning ? `both still running after ${Math.max(b.seconds, a.seconds)} s` : `both exited ${b.exitCode}`;
  if (sameExitCode && sameOutput) return `After behaves like Before: ${what} with the same output.`;
  if (sameExitCode) return `After differs from Before in its output (${what}).`;
  return `After differs from Before: ${describeRun(b)} → ${describeRun(a)}${sameOutput ? '' : ', and the output differs'}.`;
}
