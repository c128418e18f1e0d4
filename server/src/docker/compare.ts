// Build and compare: builds the "before" and "after" images at the same time, reads their sizes and
// layers from the engine, optionally smoke-runs them, and cleans up. Shared by the extension command and
// `multistage compare`.
//
// Promises to the user: only `multistage-compare/…` tags are created and only those are removed (by tag,
// never by image id, so an identical image the user tagged themselves keeps its tag), together with the
// untagged step images the legacy builder made on the way (leftovers.ts) and the behaviour check's
// containers; nothing that existed before the comparison is removed; baseline texts are written to a private
// temp dir and passed with -f, never next to the user's files; the temp dir is gone afterwards, whatever
// happened.
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { classifyDockerFailure, runDocker, type DockerResult, type RunDockerOptions } from './runner';
import { SETTINGS } from '../analysis/settings';
import { buildImage, chooseBuilderMode, type BuilderMode, type BuildOutcome } from './build';
import type { BuildStep } from './pure/buildProgress';
import { imageHistory, inspectImage } from './imageFacts';
import { checkBehaviour } from './behaviour';
import type { ProbeSpec } from './pure/behaviourTypes';
import { BuildLeftovers } from './leftovers';
import { baseImageOfBuiltStage, mapHistoryToDockerfile } from './pure/layerMapping';
import { smokeRun } from './smokeRun';
import type { XrayReport } from '../xray/types';
import {
  savings,
  type CompareFailure,
  type CompareOutcome,
  type ImageReport,
  type Side,
  type SideBuild,
} from './pure/compareTypes';

export interface CompareSideInput {
  /** How the side is named to the user ("Dockerfile", "Dockerfile @ HEAD"). */
  label: string;
  /** The Dockerfile on disk, when the side is a file (also used to find `<name>.dockerignore`). */
  dockerfilePath?: string;
  /** The Dockerfile's text when it is not (or not as-is) on disk: a git revision, the pre-rewrite text. */
  dockerfileText?: string;
  /** Build context folder. */
  context: string;
  target?: string;
  buildArgs?: Record<string, string>;
  platform?: string;
}

export interface CompareOptions {
  dockerPath?: string;
  env?: Record<string, string | undefined>;
  keepImages?: boolean;
  /** Use Docker's legacy builder (also chosen when the environment says DOCKER_BUILDKIT=0). */
  legacyBuilder?: boolean;
  /** Build one after the other (for builders that cannot run two builds at once, and for benchmarks). */
  sequential?: boolean;
  /** Pass --no-cache to both builds. */
  noCache?: boolean;
  /** Seconds each image may run in the smoke run; 0 or unset: no smoke run. */
  smokeSeconds?: number;
  signal?: AbortSignal;
  onStep?: (side: Side, step: BuildStep) => void;
  onOutput?: (side: Side, line: string) => void;
  /** Where the private temp dir is made (tests); default the OS temp dir. */
  tempRoot?: string;
  /** Run both images and compare their answers (behaviour.ts); unset: no behaviour check. */
  behaviour?: BehaviourCheckOptions;
  /**
   * X-rays each built image (e.g. with xray/xray.ts's xrayImage) while it still exists; the report lands
   * in ImageReport.xray, a failure in ImageReport.xrayError (the comparison itself still succeeds).
   * Given by the caller so that this module does not depend on how images are read.
   */
  xray?: (imageId: string, about: { side: Side; dockerfileText: string; target?: string; signal: AbortSignal }) => Promise<XrayReport | { error: string }>;
}

export interface BehaviourCheckOptions {
  /** Requests sent after `/` on each exposed port and the HEALTHCHECK URLs. */
  probes?: ProbeSpec[];
  /** How long each image may take to answer HTTP; default 30 s. */
  readyTimeoutMs?: number;
  /** For images without a port: how long the default command may run; default 10 s. */
  runTimeoutMs?: number;
}

export const TEMP_TAG_REPOSITORY = 'multistage-compare';
export const TEMP_DIR_PREFIX = 'multistage-compare-';

const SIDES: readonly Side[] = ['before', 'after'];

export async function runComparison(
  before: CompareSideInput,
  after: CompareSideInput,
  options: CompareOptions = {},
): Promise<CompareOutcome> {
  const inputs = { before, after };
  const run: RunDockerOptions = { dockerPath: options.dockerPath, env: options.env };
  const preflight = await checkEngine(run, options);
  if ('failure' in preflight) return { ok: false, failure: preflight.failure };
  const mode = preflight.mode;
  const leftovers = new BuildLeftovers();
  if (mode === 'legacy' && !options.keepImages) await leftovers.recordExisting(run);

  const workDir = await mkdtemp(join(options.tempRoot ?? tmpdir(), TEMP_DIR_PREFIX));
  const runId = randomBytes(4).toString('hex');
  const tags: Record<Side, string> = {
    before: tagFor(before, 'before', runId),
    after: tagFor(after, 'after', runId),
  };
  // One side failing stops the other: its result could not be compared with anything.
  const stopBuilds = new AbortController();
  const onOuterAbort = () => stopBuilds.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal?.aborted) stopBuilds.abort();
  try {
    let dockerfiles: Record<Side, { path: string; text: string }>;
    try {
      dockerfiles = {
        before: await materialiseDockerfile(before, join(workDir, 'before')),
        after: await materialiseDockerfile(after, join(workDir, 'after')),
      };
    } catch (error) {
      return failed('docker-error', `Could not prepare the Dockerfiles: ${(error as Error).message}`, []);
    }
    const buildSide = async (side: Side): Promise<BuildOutcome> => {
      const input = inputs[side];
      const outcome = await buildImage(
        {
          dockerfilePath: dockerfiles[side].path,
          context: input.context,
          tag: tags[side],
          target: input.target,
          buildArgs: input.buildArgs,
          platform: input.platform,
          workDir,
          noCache: options.noCache,
        },
        mode,
        { ...run, signal: stopBuilds.signal },
        (step) => options.onStep?.(side, step),
        (line) => {
          leftovers.observe(line);
          options.onOutput?.(side, line);
        },
      );
      if (outcome.result.code !== 0) stopBuilds.abort();
      return outcome;
    };
    const outcomes: Record<Side, BuildOutcome> = options.sequential
      ? { before: await buildSide('before'), after: await buildSide('after') }
      : await Promise.all([buildSide('before'), buildSide('after')]).then(([b, a]) => ({ before: b, after: a }));

    if (options.signal?.aborted) {
      return failed('cancelled', 'The comparison was cancelled; both builds were stopped.', []);
    }
    const failedSide = SIDES.find((s) => outcomes[s].result.code !== 0 && !outcomes[s].result.cancelled) ??
      SIDES.find((s) => outcomes[s].result.code !== 0);
    if (failedSide) return buildFailure(failedSide, inputs, outcomes, run);

    const described = await Promise.all(
      SIDES.map((side) => describeImage(side, inputs[side], dockerfiles[side].text, outcomes[side], tags[side], run, options)),
    );
    const reports = {} as Record<Side, ImageReport>;
    for (const [i, side] of SIDES.entries()) {
      const report = described[i];
      if ('failure' in report) return { ok: false, failure: report.failure };
      reports[side] = report;
    }
    if (options.xray) {
      // Before the finally below removes the tags: the X-ray reads the images by id, while they exist. One
      // after the other: two exports at once only compete for the same disk.
      for (const side of SIDES) {
        const about = { side, dockerfileText: dockerfiles[side].text, target: inputs[side].target, signal: stopBuilds.signal };
        const x = await options.xray(reports[side].imageId, about)
          .catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }));
        if (options.signal?.aborted) {
          return failed('cancelled', 'The comparison was cancelled during the X-ray; both images were removed.', []);
        }
        if ('error' in x) reports[side].xrayError = x.error;
        else reports[side].xray = x;
      }
    }
    if (options.smokeSeconds && options.smokeSeconds > 0) {
      await Promise.all(
        SIDES.map(async (side) => {
          reports[side].smoke = await smokeRun(
            reports[side].imageId,
            `${TEMP_TAG_REPOSITORY}-smoke-${runId}-${side}`,
            options.smokeSeconds!,
            { ...run, signal: options.signal },
          );
        }),
      );
      if (options.signal?.aborted) {
        return failed('cancelled', 'The comparison was cancelled during the smoke run; its containers were removed.', []);
      }
    }
    const behaviour = options.behaviour
      ? await checkBehaviour(reports.before.imageId, reports.after.imageId, { ...options.behaviour, run, signal: options.signal })
      : undefined;
    if (options.signal?.aborted) {
      return failed('cancelled', 'The comparison was cancelled during the behaviour check; its containers were removed.', []);
    }
    return {
      ok: true,
      result: {
        before: reports.before,
        after: reports.after,
        ...savings(reports.before.sizeBytes, reports.after.sizeBytes),
        finishedAt: new Date().toISOString(),
        builder: mode === 'legacy' ? 'legacy' : 'buildkit',
        ...(behaviour ? { behaviour } : {}),
      },
    };
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
    if (!options.keepImages) {
      await removeTags(Object.values(tags), run);
      await leftovers.remove(run);
    }
    await rm(workDir, { recursive: true, force: true });
  }
}

async function checkEngine(
  run: RunDockerOptions,
  options: CompareOptions,
): Promise<{ mode: BuilderMode } | { failure: CompareFailure }> {
  // Both questions at once: each CLI start costs tens of milliseconds.
  const [version, buildx] = await Promise.all([
    runDocker(['version', '--format', '{{.Client.Version}} {{.Server.Version}}'], { ...run, timeoutMs: 20_000 }),
    runDocker(['buildx', 'inspect'], { ...run, timeoutMs: 20_000 }),
  ]);
  if (version.code !== 0) {
    const kind = classifyDockerFailure(version) ?? 'docker-error';
    return { failure: engineFailure(kind, version, options.dockerPath) };
  }
  const wantsLegacy = options.legacyBuilder || (options.env?.DOCKER_BUILDKIT ?? process.env.DOCKER_BUILDKIT) === '0';
  return { mode: chooseBuilderMode(version.stdout, buildx, wantsLegacy) };
}

function engineFailure(kind: CompareFailure['kind'], result: DockerResult, dockerPath?: string): CompareFailure {
  const cli = SETTINGS['docker.path'].read(dockerPath);
  const lastLines = tail(result.stderr || result.stdout, 6);
  if (kind === 'cli-missing') {
    return { kind, message: `The Docker CLI "${cli}" was not found. Install Docker, or set multistage.docker.path (CLI: --docker) to it.`, lastLines };
  }
  if (kind === 'daemon-unreachable') {
    return {
      kind,
      message: 'The Docker daemon is not reachable. Start Docker (or check DOCKER_HOST / DOCKER_CONTEXT) and try again.',
      lastLines,
    };
  }
  return { kind, message: `"${cli} version" failed with exit code ${result.code}.`, lastLines };
}

async function buildFailure(
  side: Side,
  inputs: Record<Side, CompareSideInput>,
  outcomes: Record<Side, BuildOutcome>,
  run: RunDockerOptions,
): Promise<CompareOutcome> {
  const outcome = outcomes[side];
  // The build's words alone cannot tell a lost daemon from a registry that cannot be reached ("no such
  // host" is both): only a daemon that no longer answers makes this an engine failure.
  if (classifyDockerFailure(outcome.result)) {
    const again = await runDocker(['version', '--format', '{{.Server.Version}}'], { ...run, signal: undefined, timeoutMs: 20_000 });
    const engineKind = classifyDockerFailure(again);
    if (engineKind) return { ok: false, failure: engineFailure(engineKind, again, run.dockerPath) };
  }
  const lastLines = outcome.progress.lastLines();
  const shown = lastLines.length > 0 ? lastLines : tail(outcome.result.stderr, 12);
  const pull = pullFailure(shown);
  const builds = {} as Record<Side, SideBuild>;
  for (const s of SIDES) {
    const r = outcomes[s].result;
    builds[s] = {
      dockerfile: inputs[s].label,
      build: r.code === 0 ? 'succeeded' : r.cancelled && s !== side ? 'stopped' : 'failed',
      ...(r.code !== 0 && !r.cancelled ? { exitCode: r.code } : {}),
    };
  }
  return {
    ok: false,
    failure: {
      kind: 'build-failed',
      side,
      message: `The ${side} build (${inputs[side].label}) failed with exit code ${outcome.result.code}${pull ? `: ${pull}` : ''}.`,
      lastLines: shown,
      builds,
    },
  };
}

/** "its base image X could not be pulled" when the build stopped at fetching a FROM image. */
function pullFailure(lines: string[]): string | undefined {
  const text = lines.join('\n');
  const image =
    /load metadata for (\S+?):?\s*$/m.exec(text)?.[1] ??
    /^Step \d+\/\d+ : FROM (\S+)/m.exec(text)?.[1];
  const refused = /failed to do request|pull access denied|manifest unknown|not found: manifest|no such host|dial tcp|repository does not exist|Error response from daemon: (pull|Get)/i.test(text);
  return image && refused ? `its base image ${image} could not be pulled` : undefined;
}

async function describeImage(
  side: Side,
  input: CompareSideInput,
  dockerfileText: string,
  outcome: BuildOutcome,
  tag: string,
  run: RunDockerOptions,
  options: CompareOptions,
): Promise<ImageReport | { failure: CompareFailure }> {
  const ref = outcome.imageId ?? tag;
  const [inspected, history] = await Promise.all([inspectImage(ref, run), imageHistory(ref, run)]);
  if (!inspected.ok) {
    return { failure: { kind: 'docker-error', side, message: `docker image inspect of the ${side} image failed.`, lastLines: tail(inspected.result.stderr, 6) } };
  }
  return {
    dockerfile: input.label,
    ...(input.dockerfilePath && input.dockerfileText === undefined ? { dockerfilePath: input.dockerfilePath } : {}),
    imageId: inspected.value.id,
    ...(options.keepImages ? { keptTag: tag } : {}),
    ...(input.target ? { target: input.target } : {}),
    ...optional('baseImage', baseImageOfBuiltStage(dockerfileText, input.target)),
    sizeBytes: inspected.value.sizeBytes,
    layers: inspected.value.layers,
    buildSeconds: Math.round(outcome.seconds * 10) / 10,
    history: history.ok ? mapHistoryToDockerfile(dockerfileText, input.target, history.value) : [],
  };
}

/** Writes a baseline text into the temp dir (with the sibling `<name>.dockerignore`, which BuildKit reads
 * next to the Dockerfile); a file on disk is used where it is. */
async function materialiseDockerfile(input: CompareSideInput, dir: string): Promise<{ path: string; text: string }> {
  if (input.dockerfileText === undefined) {
    if (!input.dockerfilePath) throw new Error(`no Dockerfile given for ${input.label}`);
    return { path: input.dockerfilePath, text: await readFile(input.dockerfilePath, 'utf8') };
  }
  await mkdir(dir, { recursive: true });
  const name = input.dockerfilePath ? basename(input.dockerfilePath) : 'Dockerfile';
  const path = join(dir, name);
  await writeFile(path, input.dockerfileText);
  if (input.dockerfilePath) {
    const ignore = join(dirname(input.dockerfilePath), `${name}.dockerignore`);
    await copyFile(ignore, `${path}.dockerignore`).catch(() => undefined);
  }
  return { path, text: input.dockerfileText };
}

export function tagFor(input: CompareSideInput, side: Side, runId: string): string {
  const source = input.dockerfilePath ? basename(input.dockerfilePath) : input.label;
  const slug = source.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'dockerfile';
  return `${TEMP_TAG_REPOSITORY}/${slug}:${side}-${runId}`;
}

/** Untags (and so frees, when nothing else uses them) this run's images. By tag only: an image the user
 * also tagged keeps their tag. A tag that was never created (a failed build) just reports "No such image". */
async function removeTags(tags: string[], run: RunDockerOptions): Promise<void> {
  // --no-prune: the legacy builder's parents of these images are removed by BuildLeftovers when this run
  // made them; one that existed before (a cache hit on the user's own build) must stay.
  await runDocker(['image', 'rm', '--no-prune', ...tags], { ...run, signal: undefined });
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function failed(kind: CompareFailure['kind'], message: string, lastLines: string[], side?: Side): CompareOutcome {
  return { ok: false, failure: { kind, message, lastLines, ...(side ? { side } : {}) } };
}

function tail(text: string, count: number): string[] {
  return text.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() !== '').slice(-count);
}
