// The sample apps that prove the rewrites on a real engine, and what the tests and bench/rewriteSizes
// do with them: produce the split / reordered Dockerfile with the real rewrite engine, build an image
// (BuildKit, plain progress), run it on 127.0.0.1 and read its HTTP answer.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel } from '../../server/src/analysis/model';
import { applyTextEdits, refactorActions, REORDER_TITLE, SPLIT_TITLE } from '../../server/src/analysis/rewrite';
import { DEFAULT_SETTINGS, type AnalysisSettings } from '../../server/src/analysis/types';
import { ContextFilesCache } from '../../server/src/workspace/contextFiles';
import { runDocker } from '../../server/src/docker/runner';
import { DOCKER, imagesAvailable } from './dockerTestSupport';
import { answerDifferences, COMMAND_PROBE, probeImage, type Probe, type ProbeAnswer } from './sampleProbes';

export const SAMPLES_DIR = join(__dirname, 'samples');
export const TAG_PREFIX = process.env.MULTISTAGE_TEST_TAG_PREFIX ?? 'multistage-test/rewrite';
/** The local PyPI/Maven mirror that make-images.sh serve-mirrors starts (Docker Hub, PyPI and Maven Central are unreachable here). */
export const MIRROR_URL = 'http://172.17.0.1:8765/';
/** Tags carry this so that two runs on the shared engine never build over each other's images. */
const RUN_TAG = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;

const FLAVORS = ['auto', 'distroless', 'slim', 'alpine'] as const;

/** One folder under samples/, described by its sample.json (the format is in samples/README.md). */
export interface Sample {
  name: string;
  description: string;
  /** Ports the app listens on inside the container; the split must listen on the same ones. */
  ports: number[];
  flavor: AnalysisSettings['runtimeFlavor'];
  /** Base images every variant needs. */
  images: string[];
  /** The setup script that provides them (docker.sh makes or pulls the common ones). */
  setup?: string;
  needsMirror: boolean;
  /** Part of the fast subset the default `npm test` runs; `npm run test:realworld` runs every sample. */
  ci: boolean;
  /** Requests sent in order to a fresh container of each image; the answers must agree. */
  probes: Probe[];
  /** For the reorder proof: a source file to change, and the install step that must come from the cache. */
  reorder?: { sourceFile: string; install: RegExp };
  /** Reduction of the split image against the single-stage one that the sample must reach. */
  minReductionPercent?: number;
  /** Whether the folder has a hand-written multi-stage Dockerfile.hand to hold the split against. */
  hasHandWritten: boolean;
}

function fail(name: string, message: string): never {
  throw new Error(`test/docker/samples/${name}/sample.json: ${message}`);
}

/** Reads and checks one sample.json; a malformed file is an error, never a silently smaller set. */
export function loadSample(name: string, dir = join(SAMPLES_DIR, name)): Sample {
  const raw = JSON.parse(readFileSync(join(dir, 'sample.json'), 'utf8')) as Record<string, unknown>;
  const ports = raw.ports;
  if (!Array.isArray(ports) || !ports.every((p) => Number.isInteger(p) && p > 0 && p < 65536)) fail(name, '"ports" must be an array of port numbers ([] for a program that runs once)');
  const images = raw.images;
  if (!Array.isArray(images) || images.length === 0 || !images.every((i) => typeof i === 'string')) fail(name, '"images" must list the base images');
  const flavor = raw.flavor ?? 'auto';
  if (!FLAVORS.includes(flavor as (typeof FLAVORS)[number])) fail(name, `"flavor" must be one of ${FLAVORS.join(', ')}`);
  // A program without ports is run once: its exit code and output are the one answer compared.
  if (ports.length === 0 && raw.probes !== undefined) fail(name, '"ports" is [] (a program that runs once: its exit code and output are compared), so it takes no "probes"');
  const probes = ports.length === 0 ? [COMMAND_PROBE] : raw.probes;
  if (!Array.isArray(probes) || probes.length === 0) fail(name, '"probes" must list at least one request');
  for (const probe of probes as Probe[]) {
    if (typeof probe?.path !== 'string' || !probe.path.startsWith('/')) fail(name, `probe ${JSON.stringify(probe)} needs a "path" starting with /`);
    if (probe.port !== undefined && !ports.includes(probe.port)) fail(name, `probe ${probe.path} names port ${probe.port}, which is not in "ports"`);
  }
  const reorder = raw.reorder as { sourceFile?: unknown; install?: unknown } | undefined;
  if (reorder && (typeof reorder.sourceFile !== 'string' || typeof reorder.install !== 'string')) fail(name, '"reorder" needs "sourceFile" and "install" (a regular expression)');
  if (!existsSync(join(dir, 'Dockerfile'))) fail(name, 'the folder has no Dockerfile');
  return {
    name,
    description: typeof raw.description === 'string' ? raw.description : '',
    ports: ports as number[],
    flavor: flavor as Sample['flavor'],
    images: images as string[],
    setup: typeof raw.setup === 'string' ? raw.setup : undefined,
    needsMirror: raw.needsMirror === true,
    ci: raw.ci === true,
    probes: probes as Probe[],
    reorder: reorder ? { sourceFile: reorder.sourceFile as string, install: new RegExp(reorder.install as string) } : undefined,
    minReductionPercent: typeof raw.minReductionPercent === 'number' ? raw.minReductionPercent : undefined,
    hasHandWritten: existsSync(join(dir, 'Dockerfile.hand')),
  };
}

/** Every folder under samples/ with a sample.json, by name. */
export function loadSamples(): Sample[] {
  return readdirSync(SAMPLES_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(SAMPLES_DIR, e.name, 'sample.json')))
    .map((e) => loadSample(e.name))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export const SAMPLES: readonly Sample[] = loadSamples();

/**
 * The samples a run covers: those marked "ci" by default, every one for "all", or the named ones
 * ("node-api,vite-site"); an unknown name is an error rather than an empty run.
 */
export function selectedSamples(choice: string | undefined, samples: readonly Sample[] = SAMPLES): Sample[] {
  if (!choice || choice === 'ci') return samples.filter((s) => s.ci);
  if (choice === 'all') return [...samples];
  const names = choice.split(',').map((n) => n.trim()).filter(Boolean);
  const unknown = names.filter((n) => !samples.some((s) => s.name === n));
  if (unknown.length > 0) throw new Error(`no sample named ${unknown.join(', ')} under test/docker/samples`);
  return samples.filter((s) => names.includes(s.name));
}

/** The image tag of one variant (single, split, hand, …) of a sample for this run. */
export function sampleTag(sample: Sample, kind: string): string {
  return `${TAG_PREFIX}-${sample.name}:${kind}-${RUN_TAG}`;
}

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

/** What building and probing one sample's original and split images showed. */
export interface SplitOutcome {
  sample: string;
  /** Why the split could not be judged: a rewrite not offered, a failed build, a container that never answered. */
  error?: string;
  /** Both images built and every probe got the same answer from both. */
  behaves: boolean;
  differences: string[];
  original: ProbeAnswer[];
  split: ProbeAnswer[];
  singleBytes?: number;
  splitBytes?: number;
  reductionPercent?: number;
  /** The hand-written Dockerfile.hand, when the sample has one and it was asked for. */
  hand?: { bytes: number; differences: string[] };
  seconds: number;
}

/**
 * Builds the sample's single-stage Dockerfile and its split, runs both with the same options, sends
 * both the same probes and compares the answers; measures sizes; removes its images. Never throws for
 * a sample that misbehaves: the outcome says what went wrong.
 */
export async function proveSplit(sample: Sample, options: { hand?: boolean } = {}): Promise<SplitOutcome> {
  const started = Date.now();
  const dir = sampleDir(sample);
  const outcome: SplitOutcome = { sample: sample.name, behaves: false, differences: [], original: [], split: [], seconds: 0 };
  const tags: string[] = [];
  const build = async (text: string, kind: string) => {
    const tag = sampleTag(sample, kind);
    tags.push(tag);
    const result = await buildImage(text, dir, tag);
    if (result.code !== 0) throw new Error(`the ${kind} image does not build:\n${result.output.slice(-3000)}`);
    return tag;
  };
  try {
    const splitText = splitDockerfile(sample);
    const single = await build(readFileSync(join(dir, 'Dockerfile'), 'utf8'), 'single');
    const split = await build(splitText, 'split');
    outcome.original = await probeImage(single, `multistage-test-${sample.name}-single`, sample.ports, sample.probes);
    outcome.split = await probeImage(split, `multistage-test-${sample.name}-split`, sample.ports, sample.probes);
    outcome.differences = answerDifferences(sample.probes, outcome.original, outcome.split);
    outcome.behaves = outcome.differences.length === 0;
    outcome.singleBytes = await imageBytes(single);
    outcome.splitBytes = await imageBytes(split);
    outcome.reductionPercent = (1 - outcome.splitBytes / outcome.singleBytes) * 100;
    if (options.hand && sample.hasHandWritten) {
      const hand = await build(readFileSync(join(dir, 'Dockerfile.hand'), 'utf8'), 'hand');
      const answers = await probeImage(hand, `multistage-test-${sample.name}-hand`, sample.ports, sample.probes);
      outcome.hand = { bytes: await imageBytes(hand), differences: answerDifferences(sample.probes, outcome.original, answers) };
    }
  } catch (error) {
    outcome.behaves = false;
    outcome.error = error instanceof Error ? error.message : String(error);
  } finally {
    await removeImages(tags);
    outcome.seconds = (Date.now() - started) / 1000;
  }
  return outcome;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** "W/N splits build and behave; median reduction P %" over the samples' outcomes. */
export function summaryLine(outcomes: readonly SplitOutcome[]): string {
  const working = outcomes.filter((o) => o.behaves).length;
  const reductions = outcomes.filter((o) => o.reductionPercent !== undefined).map((o) => o.reductionPercent!);
  const med = median(reductions);
  return `${working}/${outcomes.length} splits build and behave; median reduction ${Number.isNaN(med) ? '–' : med.toFixed(1)} %`;
}

/**
 * The samples chosen by MULTISTAGE_SAMPLES (default all) whose base images and package mirror are here, for the
 * scripts that measure them; each one left out is named on stderr with what to set up.
 */
export async function runnableSamples(choice = process.env.MULTISTAGE_SAMPLES ?? 'all'): Promise<Sample[]> {
  const mirror = await packageReposAvailable();
  const runnable: Sample[] = [];
  for (const sample of selectedSamples(choice)) {
    if (!(await imagesAvailable(sample.images)) || (sample.needsMirror && !mirror)) {
      process.stderr.write(`skipping ${sample.name}: base images or the local mirror are missing (test/setup/docker.sh, mirrors.sh)\n`);
    } else runnable.push(sample);
  }
  return runnable;
}
