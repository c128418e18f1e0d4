// The sample apps that prove the rewrites on a real engine, and what the tests and bench/rewrite-sizes
// do with them: produce the split / reordered Dockerfile with the real rewrite engine, build an image
// (BuildKit, plain progress), run it on 127.0.0.1 and read its HTTP answer.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel } from '../../server/src/analysis/model';
import { applyTextEdits, refactorActions, REORDER_TITLE, SPLIT_TITLE } from '../../server/src/analysis/rewrite';
import { DEFAULT_SETTINGS, type AnalysisSettings } from '../../server/src/analysis/types';
import { ContextFilesCache } from '../../server/src/workspace/contextFiles';
import { runDocker } from '../../server/src/docker/cli';
import { DOCKER } from './dockerTestSupport';

export const SAMPLES_DIR = join(__dirname, 'samples');
export const TAG_PREFIX = 'multistage-test/rewrite';
/** The local PyPI/Maven mirror that make-images.sh serve-mirrors starts (Docker Hub, PyPI and Maven Central are unreachable here). */
export const MIRROR_URL = 'http://172.17.0.1:8765/';

export interface Sample {
  name: string;
  /** Port the app listens on inside the container (the runtime of a static site is nginx on 80). */
  port: number;
  splitPort?: number;
  handPort?: number;
  flavor: AnalysisSettings['runtimeFlavor'];
  /** Base images every variant needs. */
  images: string[];
  /** The setup script that provides them (docker.sh makes or pulls the common ones). */
  setup?: string;
  needsMirror?: boolean;
  /** For the reorder proof: a source file to change, and the install step that must come from the cache. */
  reorder?: { sourceFile: string; install: RegExp };
  /** Reduction of the split image against the single-stage one that the issue asks for. */
  minReductionPercent?: number;
}

export const SAMPLES: readonly Sample[] = [
  { name: 'go-http', port: 8080, flavor: 'auto', images: ['golang:1.23', 'gcr.io/distroless/static-debian12:nonroot'], minReductionPercent: 95 },
  {
    name: 'node-api', port: 3000, flavor: 'slim', images: ['node:20', 'node:20-slim'], minReductionPercent: 70,
    reorder: { sourceFile: 'src/greeting.ts', install: /RUN npm ci$/ },
  },
  { name: 'vite-site', port: 4173, splitPort: 80, handPort: 80, flavor: 'slim', images: ['node:20', 'node:20-slim', 'nginx:stable'], minReductionPercent: 90 },
  {
    name: 'python-flask', port: 5000, flavor: 'slim', images: ['python:3.11', 'python:3.11-slim'], needsMirror: true,
    reorder: { sourceFile: 'app.py', install: /RUN pip install --no-cache-dir -r requirements\.txt$/ },
  },
  { name: 'java-maven', port: 8080, flavor: 'slim', images: ['maven:3.8.7-openjdk-17', 'eclipse-temurin:17-jre'], needsMirror: true, minReductionPercent: 60 },
  // No official Rust image can be pulled here: test/setup/rewrite-images.sh makes one from Debian's rustc.
  { name: 'rust-http', port: 8080, flavor: 'auto', images: ['multistage-test/rust:1.63-bookworm', 'debian:bookworm-slim'], setup: 'test/setup/rewrite-images.sh' },
];

const contexts = new ContextFilesCache();

function rewritten(dir: string, title: string, flavor: Sample['flavor'], text = readFileSync(join(dir, 'Dockerfile'), 'utf8')): string {
  const model = buildModel(text);
  const ctx = { settings: { ...DEFAULT_SETTINGS, runtimeFlavor: flavor }, context: contexts.contextFor(dir, join(dir, 'Dockerfile')) };
  const action = refactorActions(model, ctx).find((a) => a.title === title);
  if (!action) throw new Error(`"${title}" is not offered for ${dir}/Dockerfile`);
  return applyTextEdits(model, action.edits);
}

export function sampleDir(sample: Sample): string {
  return join(SAMPLES_DIR, sample.name);
}

export function splitDockerfile(sample: Sample): string {
  return rewritten(sampleDir(sample), SPLIT_TITLE, sample.flavor);
}

export function reorderedDockerfile(sample: Sample, title = REORDER_TITLE): string {
  return rewritten(sampleDir(sample), title, sample.flavor);
}

export interface BuildOutcome {
  code: number;
  seconds: number;
  output: string;
  /** RUN commands of the build, and whether BuildKit took them from its cache. */
  steps: Array<{ command: string; cached: boolean }>;
}

/** Builds `dockerfileText` (written outside the context) with BuildKit and tags it. */
export async function buildImage(dockerfileText: string, contextDir: string, tag: string): Promise<BuildOutcome> {
  const scratch = mkdtempSync(join(tmpdir(), 'multistage-rewrite-'));
  try {
    const file = join(scratch, 'Dockerfile');
    writeFileSync(file, dockerfileText);
    const started = process.hrtime.bigint();
    const result = await runDocker(['build', '--progress=plain', '-f', file, '-t', tag, contextDir], {
      dockerPath: DOCKER,
      env: { DOCKER_BUILDKIT: '1' },
      timeoutMs: 15 * 60_000,
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const output = result.stdout + result.stderr;
    return { code: result.code, seconds, output, steps: buildSteps(output) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** `#7 [3/5] RUN npm ci` … `#7 CACHED` in BuildKit's plain progress output. */
export function buildSteps(output: string): BuildOutcome['steps'] {
  const commands = new Map<string, string>();
  const cached = new Set<string>();
  for (const line of output.split('\n')) {
    const step = /^#(\d+) \[[^\]]*\] (RUN .*)$/.exec(line.trim());
    if (step) commands.set(step[1], step[2].trim());
    const hit = /^#(\d+) CACHED$/.exec(line.trim());
    if (hit) cached.add(hit[1]);
  }
  return [...commands.entries()].map(([id, command]) => ({ command, cached: cached.has(id) }));
}

export async function imageBytes(tag: string): Promise<number> {
  const r = await runDocker(['image', 'inspect', '--format', '{{.Size}}', tag], { dockerPath: DOCKER });
  if (r.code !== 0) throw new Error(`docker image inspect ${tag}: ${r.stderr}`);
  return Number(r.stdout.trim());
}

/** Starts the image, waits for its HTTP answer (published on 127.0.0.1 only), stops it. */
export async function httpAnswer(tag: string, port: number, timeoutMs = 60_000): Promise<string> {
  const started = await runDocker(['run', '-d', '--rm', '-p', `127.0.0.1::${port}`, tag], { dockerPath: DOCKER });
  if (started.code !== 0) throw new Error(`docker run ${tag}: ${started.stderr}`);
  const id = started.stdout.trim();
  try {
    const mapped = await runDocker(['port', id, `${port}/tcp`], { dockerPath: DOCKER });
    const hostPort = /127\.0\.0\.1:(\d+)/.exec(mapped.stdout)?.[1];
    if (!hostPort) throw new Error(`no published port for ${tag}: ${mapped.stdout} ${mapped.stderr}`);
    const deadline = Date.now() + timeoutMs;
    let lastError = '';
    while (Date.now() < deadline) {
      try {
        const response = await fetch(`http://127.0.0.1:${hostPort}/`, { signal: AbortSignal.timeout(3000) });
        if (response.ok) return await response.text();
        lastError = `HTTP ${response.status}`;
      } catch (error) {
        lastError = String(error);
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const logs = await runDocker(['logs', id], { dockerPath: DOCKER });
    throw new Error(`${tag} gave no HTTP answer within ${timeoutMs} ms (${lastError}); logs:\n${logs.stdout}${logs.stderr}`);
  } finally {
    await runDocker(['rm', '-f', id], { dockerPath: DOCKER });
  }
}

export async function removeImages(tags: readonly string[]): Promise<void> {
  for (const tag of tags) await runDocker(['image', 'rm', '-f', tag], { dockerPath: DOCKER });
}

/** A copy of a sample in a temporary folder, for edits the repository must not see. */
export function copySample(sample: Sample): string {
  const dir = mkdtempSync(join(tmpdir(), `multistage-${sample.name}-`));
  cpSync(sampleDir(sample), dir, { recursive: true });
  return dir;
}

/**
 * Whether pip and Maven can fetch packages in builds: through the local mirror on machines with the
 * offline image kit (its images point pip and Maven there), from the public repositories elsewhere.
 */
export async function packageReposAvailable(): Promise<boolean> {
  const offlineKit = existsSync(join(__dirname, '..', '..', '..', 'shared', 'offline-images', 'make-images.sh'));
  return offlineKit ? mirrorAvailable() : true;
}

export async function mirrorAvailable(): Promise<boolean> {
  try {
    return (await fetch(MIRROR_URL, { signal: AbortSignal.timeout(3000) })).ok;
  } catch {
    return false;
  }
}

/** Runs tasks with at most `limit` at a time (the build machine has two cores). */
export async function inParallel<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const workers = Array.from({ length: Math.min(limit, queue.length) }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
  });
  await Promise.all(workers);
}
