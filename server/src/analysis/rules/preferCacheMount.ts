import { LANGUAGE_MANAGERS, PIP_NO_CACHE_FLAGS, type LanguageManagerId } from '../data/packageManagers';
import { defaultsToNonRoot } from '../data/baseImages';
import { parseImageRef } from '../imageReference';
import { envAt, flagWord, invocationOf, isCommand, positionalArgs, runMounts, stageEnvAt, subcommandOf, type ShellCommand } from '../shell';
import { dependencyInstallOf, type DependencyInstall } from '../shell/installs';
import { mountKeepsOut, runsReachingTarget, userAt, type StageRun } from '../shell/layers';
import { rootImage } from '../stageFacts';
import type { DockerfileModel } from '../model';
import type { TextEdit } from 'vscode-languageserver-types';
import type { ContextFiles, Finding, Rule } from '../types';
import { copiedManifests } from '../copiedManifests';

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
  check(model, ctx) {
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
        let targets = cache.targets(image, install, c);
        if (!targets) break;
        // A Go module that requires nothing downloads nothing: only the build cache is worth keeping.
        const goNeedsNothing = install.manager === 'go' && goModRequiresNothing(model, stageRun, ctx.context);
        if (goNeedsNothing) {
          if (install.needs === 'manifests') break;
          targets = targets.filter((t) => !t.endsWith('/pkg/mod'));
          if (targets.length === 0) break;
        }
        // A tmpfs or bind mount already sits there: the cache is kept out, and a second mount on the
        // same target would be a builder error.
        if (mountKeepsOut(stageRun.run, targets)) break;
        const env = envAt(stageRun.commands, c, stageEnvAt(model, stageRun.stage, stageRun.run));
        if (cache.relocatingEnv.some((name) => env.has(name)) || env.has('HOME')) break;
        const mounts = targets.map((t) => `--mount=type=cache,target=${t}`).join(' ');
        const at = stageRun.run.getInstructionRange().end;
        const edits: TextEdit[] = [{ range: { start: at, end: at }, newText: ` ${mounts}` }];
        // pip would ignore the mounted cache with --no-cache-dir; the mount keeps the layer clean anyway.
        const noCache = install.manager === 'pip' ? flagWord(c, ...PIP_NO_CACHE_FLAGS) : undefined;
        if (noCache && noCache.range.start.character > 0) edits.push({ range: { start: { line: noCache.range.start.line, character: noCache.range.start.character - 1 }, end: noCache.range.end }, newText: '' });
        // Two words for the commands that have them (`go mod download`).
        const words = positionalArgs(c).slice(0, install.manager === 'go' && subcommandOf(c)?.text === 'mod' ? 2 : 1).map((w) => w.text);
        const command = [invocationOf(c)!.tool, ...words].join(' ');
        findings.push({
          range: c.range,
          message: `${command} ${whatIsRedone(install, goNeedsNothing)} whenever this layer rebuilds. A BuildKit cache mount (${mounts}) keeps ${goNeedsNothing ? "Go's build cache" : 'them'} between builds without putting ${goNeedsNothing ? 'it' : 'them'} in the image.`,
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

/** What a rebuild of the layer repeats, said as it is for the manager. */
function whatIsRedone(install: DependencyInstall, goNeedsNothing: boolean): string {
  if (install.manager !== 'go') return 'downloads every dependency again';
  if (goNeedsNothing) return 'has no module requirements to download (go.mod requires nothing) but compiles every package again';
  return install.needs === 'manifests' ? "downloads the module's requirements again" : "downloads the module's requirements and compiles every package again";
}

/** True when the go.mod files the stage copied from the context (readable, at least one) require no module. */
function goModRequiresNothing(model: DockerfileModel, { stage, run }: StageRun, context: ContextFiles | undefined): boolean {
  const mods = copiedManifests(model, stage, run, context, 'go.mod');
  if (!mods || mods.length === 0) return false;
  return mods.every((path) => {
    const text = context!.read(path);
    return text !== undefined && !/^\s*require\b/m.test(text);
  });
}
