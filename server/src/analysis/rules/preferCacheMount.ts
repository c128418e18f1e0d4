import { LANGUAGE_MANAGERS, PIP_NO_CACHE_FLAGS, type LanguageManagerId } from '../data/packageManagers';
import { defaultsToNonRoot, parseImageRef } from '../data/baseImages';
import { envAt, flagWord, invocationOf, isCommand, runMounts, stageEnvAt, subcommandOf, type ShellCommand } from '../shell';
import { dependencyInstallOf, type DependencyInstall } from '../shell/installs';
import { runsReachingTarget, userAt, type StageRun } from '../shell/layers';
import { rootImage } from '../stageFacts';
import type { DockerfileModel } from '../model';
import type { TextEdit } from 'vscode-languageserver-types';
import type { Finding, Rule } from '../types';

/** Where each manager keeps its download cache, and the env variables that move it elsewhere. */
interface CacheTarget {
  targets(image: string | undefined, install: DependencyInstall, c: ShellCommand): string[] | undefined;
  relocatingEnv: readonly string[];
}

/** Windows containers have no BuildKit cache mounts (and no /root). */
const WINDOWS_IMAGE = /nanoserver|servercore|windows/i;

const dir = (id: LanguageManagerId) => [LANGUAGE_MANAGERS[id].cacheMountTarget!];
const imageIs = (image: string | undefined, name: string) => image !== undefined && parseImageRef(image).repository === name;

// Managers without an entry (bundler, composer, bun) have no cache location we can state for sure.
const CACHE_TARGETS: Partial<Record<LanguageManagerId, CacheTarget>> = {
  npm: { targets: () => dir('npm'), relocatingEnv: ['npm_config_cache', 'NPM_CONFIG_CACHE'] },
  yarn: { targets: () => dir('yarn'), relocatingEnv: ['YARN_CACHE_FOLDER'] },
  pnpm: { targets: () => dir('pnpm'), relocatingEnv: ['PNPM_HOME', 'npm_config_store_dir'] },
  pip: { targets: () => dir('pip'), relocatingEnv: ['PIP_CACHE_DIR'] },
  uv: { targets: () => dir('uv'), relocatingEnv: ['UV_CACHE_DIR', 'UV_NO_CACHE'] },
  poetry: { targets: () => dir('poetry'), relocatingEnv: ['POETRY_CACHE_DIR'] },
  // GOPATH is /go only in the official golang images; elsewhere we do not know where modules go.
  go: {
    targets: (image, _install, c) => (imageIs(image, 'golang') ? (isCommand(c, 'go', 'mod') ? ['/go/pkg/mod'] : ['/go/pkg/mod', '/root/.cache/go-build']) : undefined),
    relocatingEnv: ['GOMODCACHE', 'GOPATH', 'GOCACHE'],
  },
  cargo: { targets: (image) => (imageIs(image, 'rust') ? dir('cargo') : undefined), relocatingEnv: ['CARGO_HOME'] },
  maven: { targets: () => dir('maven'), relocatingEnv: ['MAVEN_CONFIG', 'MAVEN_OPTS'] },
  gradle: { targets: () => dir('gradle'), relocatingEnv: ['GRADLE_USER_HOME'] },
  dotnet: { targets: () => dir('dotnet'), relocatingEnv: ['NUGET_PACKAGES'] },
};

/** Where an install that downloads keeps its cache, when we know. */
function cacheOf(install: DependencyInstall | undefined): CacheTarget | undefined {
  return install?.downloads ? CACHE_TARGETS[install.manager] : undefined;
}

// BuildKit is the default builder since Docker Engine 23 and in Docker Desktop and buildx, so RUN
// --mount works without a syntax directive; the rule is a hint because it speeds rebuilds, not size.
export const preferCacheMount: Rule = {
  id: 'prefer-cache-mount',
  defaultSeverity: 'hint',
  summary: 'A package-manager install could keep its download cache between builds with a BuildKit cache mount.',
  check(model) {
    const findings: Finding[] = [];
    for (const stageRun of runsReachingTarget(model)) {
      // Most RUNs install nothing: they are passed over before the per-RUN checks below.
      if (!stageRun.commands.some((c) => cacheOf(dependencyInstallOf(c)) !== undefined)) continue;
      if (runMounts(stageRun.run).some((m) => m.type === 'cache')) continue;
      if (runsAsNonRoot(model, stageRun)) continue;
      const image = rootImage(model, stageRun.stage)?.image;
      if (image && (defaultsToNonRoot(image) || WINDOWS_IMAGE.test(image))) continue;
      for (const c of stageRun.commands) {
        const install = dependencyInstallOf(c);
        const cache = cacheOf(install);
        if (!install || !cache) continue;
        const targets = cache.targets(image, install, c);
        if (!targets) break;
        const env = envAt(stageRun.commands, c, stageEnvAt(model, stageRun.stage, stageRun.run));
        if (cache.relocatingEnv.some((name) => env.has(name)) || env.has('HOME')) break;
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
