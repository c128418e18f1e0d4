// The image X-ray against a real engine: `docker save` (or `podman save`) streamed straight into the
// archive analysis, never to disk and never whole in memory, through the user's own CLI, context and
// environment (DOCKER_HOST / DOCKER_CONTEXT / CONTAINER_HOST reach the CLI untouched, so remote daemons work).
// A failure is a value with the engine's last words, never an exception.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { classifyDockerFailure, runDocker, streamDocker, type DockerResult, type RunDockerOptions } from '../docker/runner';
import { buildImage, chooseBuilderMode, type BuilderMode } from '../docker/build';
import { BuildLeftovers } from '../docker/leftovers';
import { analyseImageArchive } from './archive';
import type { Engine, XrayReport } from './types';

export interface XrayRunOptions {
  engine?: Engine;
  /** The engine's CLI (`multistage.docker.path`); default `docker` or `podman` from PATH. */
  enginePath?: string;
  /** Extra environment on top of process.env. */
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** The Dockerfile the image was built from, to map layers to its lines. */
  dockerfileText?: string;
  /** How the report names that Dockerfile (workspace-relative or as given on the command line). */
  dockerfile?: string;
  /** The stage the image was built from (`--target`), for the line mapping. */
  target?: string;
  /** Podman only: the archive `podman save` writes. docker-archive (its default) or oci-archive. */
  archiveFormat?: 'docker-archive' | 'oci-archive';
  /** Each line of engine output (build progress, save messages) and the X-ray's own steps. */
  onProgress?(line: string): void;
}

export interface XrayDockerfileOptions extends XrayRunOptions {
  /** Build context; default the Dockerfile's folder. */
  context?: string;
  buildArgs?: Record<string, string>;
}

export type XrayFailureKind =
  | 'cli-missing'
  | 'daemon-unreachable'
  | 'build-failed'
  | 'no-such-image'
  | 'unreadable-archive'
  | 'cancelled'
  | 'docker-error';

export interface XrayFailure {
  kind: XrayFailureKind;
  message: string;
  /** The engine's last output lines (untrusted text: escape before display). */
  lastLines: string[];
}

export type XrayOutcome = { ok: true; report: XrayReport } | { ok: false; failure: XrayFailure };

/** Repository of the temporary tags xrayDockerfile builds under; nothing else is ever tagged or removed. */
export const XRAY_TAG_REPOSITORY = 'multistage-xray';

/** The engine a configured CLI path names: Podman's CLI by its file name, anything else is Docker's. */
export function engineOfCliPath(cliPath: string): Engine {
  return /(^|[\\/])podman(\.exe)?$/.test(cliPath) ? 'podman' : 'docker';
}

const NO_SUCH_IMAGE = /No such image|image not known|reference does not exist|failed to find image|not found: manifest unknown/i;

/** X-rays an image that is already on the engine (a tag, a digest reference or an id). */
export async function xrayImage(ref: string, options: XrayRunOptions = {}): Promise<XrayOutcome> {
  const engine = options.engine ?? 'docker';
  const run = runOptions(options);
  if (options.signal?.aborted) return failed('cancelled', 'The X-ray was cancelled.', []);
  const inspect = await runDocker(['image', 'inspect', '--format', '{{.Id}}', ref], { ...run, signal: options.signal, timeoutMs: 60_000 });
  if (inspect.code !== 0) return engineFailure(inspect, engine, options, `${cliName(options)} image inspect ${ref}`, ref);
  const engineId = normaliseId(inspect.stdout.trim().split('\n')[0] ?? '');

  options.onProgress?.(`Reading the export of ${ref} (${cliName(options)} save)…`);
  const started = performance.now();
  const save = streamDocker(saveArgv(engine, ref, options.archiveFormat), {
    ...run,
    signal: options.signal,
    onLine: (line) => options.onProgress?.(line),
  });
  // Whether the CLI's output reached its end: then a failed analysis is about what the CLI said, not the archive.
  let outputEnded = false;
  save.stdout.once('end', () => (outputEnded = true));
  let analysis: Awaited<ReturnType<typeof analyseImageArchive>> | undefined;
  let analysisError: unknown;
  let stoppedHere = false;
  try {
    analysis = await analyseImageArchive(save.stdout, { dockerfileText: options.dockerfileText, target: options.target, signal: options.signal });
    // Whatever the analysis did not need still has to flow, or the CLI would wait on a full pipe.
    if (!save.stdout.readableEnded && !save.stdout.destroyed) save.stdout.resume();
  } catch (error) {
    analysisError = error;
    if (!outputEnded && !options.signal?.aborted) {
      stoppedHere = true;
      save.stop();
    }
  }
  const result = await save.done;
  const seconds = (performance.now() - started) / 1000;

  if (options.signal?.aborted) return failed('cancelled', 'The X-ray was cancelled.', lastLines(result));
  if (!stoppedHere && result.code !== 0) {
    return engineFailure(result, engine, options, `${cliName(options)} save ${ref}`, ref);
  }
  if (analysisError !== undefined || !analysis) {
    const why = analysisError instanceof Error ? analysisError.message : String(analysisError);
    return failed('unreadable-archive', `The export of ${ref} could not be read as an image archive: ${why}`, lastLines(result));
  }
  const report: XrayReport = {
    ...analysis,
    image: ref,
    imageId: engineId || analysis.imageId,
    engine,
    ...(options.dockerfile !== undefined ? { dockerfile: options.dockerfile } : {}),
    ...(options.target !== undefined ? { target: options.target } : {}),
    analysedAt: new Date().toISOString(),
    seconds,
  };
  return { ok: true, report };
}

/**
 * Builds the Dockerfile under a temporary tag, X-rays the result and removes the tag again (in every case).
 * The user's own tags and images are never touched; the build cache stays, so the next X-ray is quick.
 */
export async function xrayDockerfile(dockerfilePath: string, options: XrayDockerfileOptions = {}): Promise<XrayOutcome> {
  const engine = options.engine ?? 'docker';
  const run = runOptions(options);
  if (options.signal?.aborted) return failed('cancelled', 'The X-ray was cancelled.', []);
  let dockerfileText = options.dockerfileText;
  if (dockerfileText === undefined) {
    try {
      dockerfileText = await readFile(dockerfilePath, 'utf8');
    } catch (error) {
      return failed('build-failed', `The Dockerfile ${dockerfilePath} cannot be read: ${(error as Error).message}`, []);
    }
  }
  const mode = await builderMode(engine, run, options);
  if ('failure' in mode) return mode.failure;

  const tag = temporaryTag(dockerfilePath);
  const workDir = await mkdtemp(join(tmpdir(), 'multistage-xray-'));
  const leftovers = new BuildLeftovers();
  try {
    if (mode.builder === 'legacy') await leftovers.recordExisting(run);
    options.onProgress?.(`Building ${dockerfilePath} as ${tag}…`);
    const request = {
      dockerfilePath,
      context: options.context ?? dirname(dockerfilePath),
      tag,
      workDir,
      ...(options.target !== undefined ? { target: options.target } : {}),
      ...(options.buildArgs ? { buildArgs: options.buildArgs } : {}),
    };
    const onLine = (line: string) => {
      leftovers.observe(line);
      options.onProgress?.(line);
    };
    const build =
      engine === 'podman'
        ? await buildWithPodman(request, { ...run, signal: options.signal }, onLine)
        : await buildImage(request, mode.builder, { ...run, signal: options.signal }, undefined, onLine);
    if (options.signal?.aborted || build.result.cancelled) return failed('cancelled', 'The X-ray was cancelled during the build.', lastLines(build.result));
    if (build.result.code !== 0) {
      const kind = classifyDockerFailure(build.result);
      if (kind) return engineFailure(build.result, engine, options, `${cliName(options)} build`, tag);
      return failed('build-failed', `${cliName(options)} build of ${dockerfilePath} failed with exit code ${build.result.code}.`, lastLines(build.result));
    }
    const outcome = await xrayImage(tag, { ...options, dockerfileText, dockerfile: options.dockerfile ?? dockerfilePath });
    // The tag is gone after this call: the report names the image by what stays, its id.
    if (outcome.ok) outcome.report.image = outcome.report.imageId || build.imageId || tag;
    return outcome;
  } finally {
    const removal = engine === 'podman' ? ['image', 'rm', tag] : ['image', 'rm', '--no-prune', tag];
    await runDocker(removal, { ...run, timeoutMs: 120_000 });
    if (mode.builder === 'legacy') await leftovers.remove(run);
    await rm(workDir, { recursive: true, force: true });
  }
}

function runOptions(options: XrayRunOptions): RunDockerOptions {
  return { dockerPath: cliName(options), ...(options.env ? { env: options.env } : {}) };
}

function cliName(options: XrayRunOptions): string {
  return options.enginePath || (options.engine ?? 'docker');
}

export function saveArgv(engine: Engine, ref: string, format?: 'docker-archive' | 'oci-archive'): string[] {
  if (engine === 'podman') return ['save', '--format', format ?? 'docker-archive', ref];
  // Docker writes one layout per image store (classic docker-archive, or OCI under containerd); both are read.
  return ['image', 'save', ref];
}

/** Podman prints bare hex ids; Docker prefixes the algorithm. Reports always carry the prefix. */
function normaliseId(id: string): string {
  return /^[0-9a-f]{64}$/.test(id) ? `sha256:${id}` : id;
}

function temporaryTag(dockerfilePath: string): string {
  const slug = basename(dirname(dockerfilePath)).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'dockerfile';
  return `${XRAY_TAG_REPOSITORY}/${slug}:${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

async function builderMode(
  engine: Engine,
  run: RunDockerOptions,
  options: XrayRunOptions,
): Promise<{ builder: BuilderMode } | { failure: XrayOutcome }> {
  const [version, buildx] = await Promise.all([
    runDocker(['version', '--format', engine === 'podman' ? '{{.Client.Version}}' : '{{.Client.Version}} {{.Server.Version}}'], { ...run, timeoutMs: 20_000 }),
    engine === 'docker' ? runDocker(['buildx', 'inspect'], { ...run, timeoutMs: 20_000 }) : Promise.resolve(undefined),
  ]);
  if (version.code !== 0) return { failure: engineFailure(version, engine, options, `${cliName(options)} version`, '') };
  if (engine === 'podman' || !buildx) return { builder: 'buildkit' };
  const wantsLegacy = (options.env?.DOCKER_BUILDKIT ?? process.env.DOCKER_BUILDKIT) === '0';
  return { builder: chooseBuilderMode(version.stdout, buildx, wantsLegacy) };
}

interface PodmanBuildRequest {
  dockerfilePath: string;
  context: string;
  tag: string;
  workDir: string;
  target?: string;
  buildArgs?: Record<string, string>;
}

/** `podman build` takes Docker's flags except --progress; --iidfile gives the id the same way. */
async function buildWithPodman(
  request: PodmanBuildRequest,
  run: RunDockerOptions,
  onLine: (line: string) => void,
): Promise<{ result: DockerResult; imageId?: string }> {
  const iidFile = join(request.workDir, 'image.iid');
  const argv = ['build', '--iidfile', iidFile, '-f', request.dockerfilePath, '-t', request.tag];
  if (request.target) argv.push('--target', request.target);
  for (const [name, value] of Object.entries(request.buildArgs ?? {})) argv.push('--build-arg', `${name}=${value}`);
  argv.push(request.context);
  const result = await runDocker(argv, { ...run, onLine });
  if (result.code !== 0) return { result };
  const imageId = (await readFile(iidFile, 'utf8').catch(() => '')).trim();
  return { result, imageId: imageId ? normaliseId(imageId) : undefined };
}

function engineFailure(result: DockerResult, engine: Engine, options: XrayRunOptions, what: string, ref: string): XrayOutcome {
  const cli = cliName(options);
  const lines = lastLines(result);
  if (result.cancelled || options.signal?.aborted) return failed('cancelled', 'The X-ray was cancelled.', lines);
  const kind = classifyDockerFailure(result);
  const product = engine === 'podman' ? 'Podman' : 'Docker';
  if (kind === 'cli-missing') {
    return failed(kind, `The ${product} CLI "${cli}" was not found. Install ${product}, or point Multistage at its CLI (multistage.docker.path).`, lines);
  }
  if (kind === 'daemon-unreachable') {
    const where = engine === 'podman' ? 'CONTAINER_HOST / podman system connection' : 'DOCKER_HOST / DOCKER_CONTEXT';
    return failed(kind, `The ${product} engine is not reachable. Start it (or check ${where}) and try again.`, lines);
  }
  if (ref && NO_SUCH_IMAGE.test(result.stderr)) return failed('no-such-image', `There is no image "${ref}" on this ${product} engine.`, lines);
  return failed('docker-error', `"${what}" failed with exit code ${result.code}.`, lines);
}

function failed(kind: XrayFailureKind, message: string, lines: string[]): XrayOutcome {
  return { ok: false, failure: { kind, message, lastLines: lines } };
}

function lastLines(result: DockerResult, count = 6): string[] {
  return (result.stderr || result.stdout)
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '')
    .slice(-count);
}
