// Which commands install a project's dependencies, with which package manager, and what they need from
// the build context. One classifier for every rule that asks (copy-before-dependency-install,
// prefer-cache-mount), so they never disagree about what an install is.
import { NPM_INSTALL_ALIASES, type LanguageManagerId } from '../data/packageManagers';
import { flagValues, hasFlag, invocationOf, isCommand, positionalArgs, subcommandOf, type ShellCommand } from '../shell';
import { isYarnInstall } from './layers';

export interface DependencyInstall {
  manager: LanguageManagerId;
  /**
   * `manifests`: the manifests and lockfiles are enough (npm ci, pip install -r, go mod download…);
   * `sources`: the project itself is built or installed (go build, pip install ., poetry install).
   */
  needs: 'manifests' | 'sources';
  /** Installs named packages or global tools rather than the project's declared dependencies. */
  named: boolean;
  /** Downloads anything at all (`dotnet publish --no-restore` and `mvn -o` do not). */
  downloads: boolean;
}

/** Tools the classifier knows: anything else is rejected before the detailed checks. */
const TOOLS = new Set(['npm', 'yarn', 'pnpm', 'bun', 'pip', 'pipenv', 'poetry', 'uv', 'go', 'cargo', 'mvn', 'mvnw', 'gradle', 'gradlew', 'bundle', 'composer', 'dotnet']);

export function dependencyInstallOf(c: ShellCommand): DependencyInstall | undefined {
  if (!TOOLS.has(invocationOf(c)?.tool ?? '')) return undefined;
  const positional = positionalArgs(c);
  const install = (manager: LanguageManagerId, needs: DependencyInstall['needs'], named = false, downloads = true): DependencyInstall =>
    ({ manager, needs, named, downloads });

  if (isCommand(c, 'npm', NPM_INSTALL_ALIASES)) {
    return install('npm', 'manifests', positional.length > 1 || hasFlag(c, '-g', '--global'));
  }
  if (isYarnInstall(c)) return install('yarn', 'manifests', positional.length > 1);
  if (isCommand(c, 'yarn', ['add', 'global'])) return install('yarn', 'manifests', true);
  if (isCommand(c, 'pnpm', ['install', 'i', 'install-test', 'it', 'fetch'])) return install('pnpm', 'manifests', positional.length > 1);
  if (isCommand(c, 'pnpm', 'add')) return install('pnpm', 'manifests', true);
  if (isCommand(c, 'bun', ['install', 'i'])) return install('bun', 'manifests', positional.length > 1);
  if (isCommand(c, 'pip', 'install') || (isCommand(c, 'uv', 'pip') && positional[1]?.text === 'install')) {
    const manager = isCommand(c, 'uv') ? 'uv' : 'pip';
    const requirements = [...flagValues(c, '-r'), ...flagValues(c, '--requirement')];
    const targets = positional.slice(manager === 'uv' ? 2 : 1).map((w) => w.text);
    const local = targets.some((t) => /^[./~$]|\.whl$|\.tar\.gz$/.test(t)) || hasFlag(c, '-e', '--editable');
    if (local) return install(manager, 'sources');
    return install(manager, 'manifests', requirements.length === 0);
  }
  if (isCommand(c, 'pipenv', ['install', 'sync'])) return install('pipenv', 'manifests', positional.length > 1);
  if (isCommand(c, 'poetry', 'install')) return install('poetry', hasFlag(c, '--no-root') ? 'manifests' : 'sources');
  if (isCommand(c, 'uv', 'sync')) return install('uv', hasFlag(c, '--no-install-project') ? 'manifests' : 'sources');
  if (isCommand(c, 'go', 'mod')) return positional[1]?.text === 'download' ? install('go', 'manifests') : undefined;
  // `go get`, `go test` and `go run` resolve and download the module's requirements like a build.
  if (isCommand(c, 'go', ['build', 'install', 'get', 'test', 'run'])) {
    // `go install pkg@version` fetches a tool, not the module's dependencies.
    return install('go', 'sources', positional.slice(1).some((w) => w.text.includes('@')), !flagValues(c, '-mod').includes('vendor'));
  }
  if (isCommand(c, 'cargo', 'fetch')) return install('cargo', 'manifests');
  // cargo(1) aliases: b = build, r = run, t = test, c = check; each fetches the dependencies first.
  if (isCommand(c, 'cargo', ['build', 'b', 'install', 'run', 'r', 'test', 't', 'check', 'c'])) return install('cargo', 'sources', isCommand(c, 'cargo', 'install') && !hasFlag(c, '--path'));
  if (isCommand(c, ['mvn', 'mvnw'])) {
    const goals = positional.map((w) => w.text);
    const offline = hasFlag(c, '-o', '--offline');
    if (goals.length > 0 && goals.every((g) => g.startsWith('dependency:'))) return install('maven', 'manifests', false, !offline);
    // Any other goal (package, test, spring-boot:run…) resolves the project's dependencies and plugins.
    return goals.length > 0 ? install('maven', 'sources', false, !offline) : undefined;
  }
  if (isCommand(c, ['gradle', 'gradlew'])) {
    const tasks = positional.map((w) => w.text);
    const offline = hasFlag(c, '--offline');
    if (tasks.length > 0 && tasks.every((t) => t === 'dependencies')) return install('gradle', 'manifests', false, !offline);
    return tasks.length > 0 ? install('gradle', 'sources', false, !offline) : undefined;
  }
  if (isCommand(c, 'bundle', 'install') || (isCommand(c, 'bundle') && subcommandOf(c) === undefined)) return install('bundler', 'manifests');
  // composer's aliases: i = install, u/upgrade = update, r = require.
  if (isCommand(c, 'composer', ['install', 'i', 'update', 'u', 'upgrade'])) return install('composer', 'manifests');
  if (isCommand(c, 'composer', ['require', 'r'])) return install('composer', 'manifests', true);
  if (isCommand(c, 'dotnet', 'restore')) return install('dotnet', 'manifests');
  if (isCommand(c, 'dotnet', ['publish', 'build'])) return install('dotnet', 'sources', false, !hasFlag(c, '--no-restore'));
  return undefined;
}
