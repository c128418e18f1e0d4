import { LANGUAGE_MANAGERS, PIP_NO_CACHE_FLAGS, type LanguageManagerId } from '../data/packageManagers';
import { defaultsToNonRoot, parseImageRef } from '../data/baseImages';
import { envAt, flagWord, hasFlag, invocationOf, isCommand, runMounts, stageEnvAt, subcommandOf, type ShellCommand } from '../shell';
import { isYarnInstall, runsReachingTarget, userAt, type StageRun } from '../shell/layers';
import { rootImage } from '../stageFacts';
import type { DockerfileModel } from '../model';
import type { TextEdit } from 'vscode-languageserver-types';
import type { Finding, Rule } from '../types';

/** An install command and the cache folders a BuildKit cache mount should keep between builds. */
interface CacheableInstall {
  manager: LanguageManagerId;
  matches(c: ShellCommand): boolean;
  targets(image: string | undefined): string[] | undefined;
  /** Env variables that move the cache: then we cannot know the right target. */
  relocatingEnv: readonly string[];
}

/** Windows containers have no BuildKit cache mounts (and no /root). */
const WINDOWS_IMAGE = /nanoserver|servercore|windows/i;

const dir = (id: LanguageManagerId) => [LANGUAGE_MANAGERS[id].cacheMountTarget!];
const imageIs = (image: string | undefined, name: string) => image !== undefined && parseImageRef(image).repository === name;

const INSTALLS: readonly CacheableInstall[] = [
  { manager: 'npm', matches: (c) => isCommand(c, 'npm', ['ci', 'install', 'i', 'clean-install']), targets: () => dir('npm'), relocatingEnv: ['npm_config_cache', 'NPM_CONFIG_CACHE'] },
  { manager: 'yarn', matches: isYarnInstall, targets: () => dir('yarn'), relocatingEnv: ['YARN_CACHE_FOLDER'] },
  { manager: 'pnpm', matches: (c) => isCommand(c, 'pnpm', ['install', 'i', 'fetch']), targets: () => dir('pnpm'), relocatingEnv: ['PNPM_HOME', 'npm_config_store_dir'] },
  { manager: 'pip', matches: (c) => isCommand(c, 'pip', 'install'), targets: () => dir('pip'), relocatingEnv: ['PIP_CACHE_DIR'] },
  { manager: 'uv', matches: (c) => isCommand(c, 'uv', ['sync', 'pip']), targets: () => dir('uv'), relocatingEnv: ['UV_CACHE_DIR', 'UV_NO_CACHE'] },
  { manager: 'poetry', matches: (c) => isCommand(c, 'poetry', 'install'), targets: () => dir('poetry'), relocatingEnv: ['POETRY_CACHE_DIR'] },
  // GOPATH is /go only in the official golang images; elsewhere we do not know where modules go.
  { manager: 'go', matches: (c) => isCommand(c, 'go', 'mod') && c.argv.includes('download'), targets: (image) => (imageIs(image, 'golang') ? ['/go/pkg/mod'] : undefined), relocatingEnv: ['GOMODCACHE', 'GOPATH'] },
  { manager: 'go', matches: (c) => isCommand(c, 'go', ['build', 'install']), targets: (image) => (imageIs(image, 'golang') ? ['/go/pkg/mod', '/root/.cache/go-build'] : undefined), relocatingEnv: ['GOMODCACHE', 'GOPATH', 'GOCACHE'] },
  { manager: 'cargo', matches: (c) => isCommand(c, 'cargo', ['build', 'fetch', 'install']), targets: (image) => (imageIs(image, 'rust') ? dir('cargo') : undefined), relocatingEnv: ['CARGO_HOME'] },
  { manager: 'maven', matches: (c) => isCommand(c, ['mvn', 'mvnw']), targets: () => dir('maven'), relocatingEnv: ['MAVEN_CONFIG', 'MAVEN_OPTS'] },
  { manager: 'gradle', matches: (c) => isCommand(c, ['gradle', 'gradlew']), targets: () => dir('gradle'), relocatingEnv: ['GRADLE_USER_HOME'] },
  { manager: 'dotnet', matches: (c) => isCommand(c, 'dotnet', 'restore') || (isCommand(c, 'dotnet', ['publish', 'build']) && !hasFlag(c, '--no-restore')), targets: () => dir('dotnet'), relocatingEnv: ['NUGET_PACKAGES'] },
];

/** Tools that INSTALLS can match: a cheap first filter. */
const CACHE_TOOLS = new Set(['npm', 'yarn', 'pnpm', 'pip', 'uv', 'poetry', 'go', 'cargo', 'mvn', 'mvnw', 'gradle', 'gradlew', 'dotnet']);

// BuildKit is the default builder since Docker Engine 23 and in Docker Desktop and buildx, so RUN
// --mount works without a syntax directive; the rule is a hint because it speeds rebuilds, not size.
export const preferCacheMount: Rule = {
  id: 'prefer-cache-mount',
  defaultSeverity: 'hint',
  summary: 'A package-manager install could keep its download cache between builds with a BuildKit cache mount.',
  check(model) {
    const findings: Finding[] = [];
    for (const stageRun of runsReachingTarget(model)) {
      if (runMounts(stageRun.run).some((m) => m.type === 'cache')) continue;
      if (runsAsNonRoot(model, stageRun)) continue;
      const image = rootImage(model, stageRun.stage)?.image;
      if (image && (defaultsToNonRoot(image) || WINDOWS_IMAGE.test(image))) continue;
      const stageEnv = stageEnvAt(model, stageRun.stage, stageRun.run);
      for (const c of stageRun.commands) {
        if (!CACHE_TOOLS.has(invocationOf(c)?.tool ?? '')) continue;
        const install = INSTALLS.find((i) => i.matches(c));
        if (!install) continue;
        const targets = install.targets(image);
        if (!targets) break;
        const env = envAt(stageRun.commands, c, stageEnv);
        if (install.relocatingEnv.some((name) => env.has(name)) || env.has('HOME')) break;
        const mounts = targets.map((t) => `--mount=type=cache,target=${t}`).join(' ');
        const at = stageRun.run.getInstructionRange().end;
        const edits: TextEdit[] = [{ range: { start: at, end: at }, newText: ` ${mounts}` }];
        // pip would ignore the mounted cache with --no-cache-dir; the mount keeps the layer clean anyway.
        const noCache = install.manager === 'pip' ? flagWord(c, ...PIP_NO_CACHE_FLAGS) : undefined;
        if (noCache && noCache.range.start.character > 0) edits.push({ range: { start: { line: noCache.range.start.line, character: noCache.range.start.character - 1 }, end: noCache.range.end }, newText: '' });
        findings.push({
          range: c.range,
          message: `${invocationOf(c)!.tool} ${subcommandOf(c)?.text ?? ''}`.trimEnd() + ` downloads every dependency again whenever this layer rebuilds. A BuildKit cache mount (${mounts}) keeps the downloads between builds without putting them in the image.`,
          fixes: [{ title: 'Add a BuildKit cache mount', edits }],
        });
        break;
      }
    }
    return findings;
  },
};

/** Under a non-root USER the cache lives in that user's home, and a root-owned mount would not be writable. */
function runsAsNonRoot(model: DockerfileModel, { stage, run }: StageRun): boolean {
  return !/^(root|0)(:.*)?$/.test(userAt(model, stage, run));
}
