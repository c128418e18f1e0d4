// One `docker build` of one side of a comparison: argv assembly, progress, image id from --iidfile.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runDocker, type DockerResult, type RunDockerOptions } from './runner';
import { BuildProgress, type BuildStep } from './pure/buildProgress';

export interface BuildRequest {
  dockerfilePath: string;
  context: string;
  tag: string;
  target?: string;
  buildArgs?: Record<string, string>;
  platform?: string;
  /** Folder for the --iidfile (a private temp dir). */
  workDir: string;
  /** Build every step again (benchmarks, or a user who distrusts the cache). */
  noCache?: boolean;
}

/**
 * How builds are started. BuildKit through `docker build` by default; `docker buildx build --load` when the
 * user's selected buildx builder is not the engine's own (docker-container, kubernetes, remote drivers keep
 * images to themselves unless loaded); the legacy builder when asked for.
 */
export type BuilderMode = 'buildkit' | 'buildx-load' | 'legacy';

/**
 * The builder to use, from the outputs of `docker version --format '{{.Client.Version}} …'` and
 * `docker buildx inspect` (the caller runs both at once). A buildx builder with its own store
 * (docker-container, remote, kubernetes) needs --load to hand the image to the engine; no buildx, or the
 * engine's own builder: plain `docker build`.
 */
export function chooseBuilderMode(versionOutput: string, buildx: DockerResult, wantsLegacy: boolean): BuilderMode {
  if (wantsLegacy) return 'legacy';
  // Docker CLI 23+ builds with BuildKit only through the buildx plugin; without it, only the legacy
  // builder is left (the CLI itself would refuse with "the buildx component is missing").
  if (buildx.code !== 0 && !clientHasBuiltInBuildKit(versionOutput)) return 'legacy';
  const driver = /^Driver:\s*(\S+)/m.exec(buildx.stdout)?.[1];
  return buildx.code === 0 && driver && driver !== 'docker' ? 'buildx-load' : 'buildkit';
}

/** Docker CLIs before 23.0 carry BuildKit themselves; later ones delegate `docker build` to buildx. */
export function clientHasBuiltInBuildKit(versionOutput: string): boolean {
  const major = Number(/^(\d+)\./.exec(versionOutput.trim())?.[1]);
  return Number.isFinite(major) && major < 23;
}

export interface BuildOutcome {
  result: DockerResult;
  imageId?: string;
  seconds: number;
  progress: BuildProgress;
}

export function buildArgv(request: BuildRequest, mode: BuilderMode, iidFile: string): string[] {
  const argv = mode === 'buildx-load' ? ['buildx', 'build', '--load'] : ['build'];
  // The legacy builder leaves the container of a failed or stopped step behind unless told otherwise.
  argv.push(...(mode === 'legacy' ? ['--force-rm'] : ['--progress=plain']));
  argv.push('--iidfile', iidFile, '-f', request.dockerfilePath, '-t', request.tag);
  if (request.noCache) argv.push('--no-cache');
  if (request.target) argv.push('--target', request.target);
  if (request.platform) argv.push('--platform', request.platform);
  for (const [name, value] of Object.entries(request.buildArgs ?? {})) argv.push('--build-arg', `${name}=${value}`);
  argv.push(request.context);
  return argv;
}

export function builderEnv(mode: BuilderMode): Record<string, string> {
  return { DOCKER_BUILDKIT: mode === 'legacy' ? '0' : '1' };
}

export async function buildImage(
  request: BuildRequest,
  mode: BuilderMode,
  run: RunDockerOptions,
  onStep?: (step: BuildStep) => void,
  onLine?: (line: string) => void,
): Promise<BuildOutcome> {
  const iidFile = join(request.workDir, `${sanitize(request.tag)}.iid`);
  const progress = new BuildProgress();
  const started = performance.now();
  const result = await runDocker(buildArgv(request, mode, iidFile), {
    ...run,
    env: { ...run.env, ...builderEnv(mode) },
    onLine: (line) => {
      onLine?.(line);
      const step = progress.push(line);
      if (step) onStep?.(step);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.code !== 0) return { result, seconds, progress };
  const imageId = (await readFile(iidFile, 'utf8').catch(() => '')).trim();
  return { result, seconds, progress, imageId: imageId || undefined };
}

function sanitize(tag: string): string {
  return tag.replace(/[^a-zA-Z0-9._-]/g, '_');
}
