// Dependency installs the reorder knows, and the manifest/lockfiles each one reads. Only files that
// exist in the build context are returned: copying a missing file would fail the build.
import type { ContextFiles } from '../types';

export type InstallMode =
  /** The install reads only manifests: move it before the sources. */
  | 'move'
  /** The step also needs the sources (go build, mvn package): add a download-only step before them. */
  | 'prefetch';

export interface InstallKind {
  id: string;
  /** Matches one `&&`-separated part of a RUN command. */
  pattern: RegExp;
  mode: InstallMode;
  /** Manifests under `root` (a context folder, '' for the root), context-relative. Folders end with '/'. */
  manifests(context: ContextFiles, root: string, command: string): string[];
  /** For prefetch kinds: the download-only command. */
  prefetch?: (command: string) => string;
  /** Options the moved command needs so it does not touch the (not yet copied) project itself. */
  moveFlags?: string;
  /** Caches for the BuildKit cache-mount variant. */
  cacheTargets: string[];
  /** Whether later build steps of the same tool need the cache mounted too (the cache is not in the layer). */
  buildNeedsCache?: RegExp;
}

const join = (root: string, path: string) => (root ? `${root.replace(/\/+$/, '')}/${path}` : path);

function existing(context: ContextFiles, root: string, names: string[]): string[] {
  const out: string[] = [];
  for (const name of names) {
    const path = join(root, name.replace(/\/$/, ''));
    if (!context.exists(path)) continue;
    if (context.isDirectory(path)) out.push(...filesUnder(context, path));
    else out.push(path);
  }
  return out;
}

/**
 * The files of a small tool folder (gradle/wrapper, .mvn, .yarn/releases), listed one by one: a COPY of
 * the folder would read as a copy of sources, and a folder named in COPY must exist anyway.
 */
function filesUnder(context: ContextFiles, dir: string, depth = 3): string[] {
  const out: string[] = [];
  for (const name of context.list(dir)) {
    const path = `${dir}/${name}`;
    if (context.isDirectory(path)) {
      if (depth > 0) out.push(...filesUnder(context, path, depth - 1));
    } else out.push(path);
  }
  return out.sort();
}

/** Folders matched by simple workspace globs: `packages/*`, `apps/**`, `tools/cli`. */
function expandWorkspaceGlobs(context: ContextFiles, root: string, globs: string[], file: string): string[] {
  const out: string[] = [];
  for (const raw of globs) {
    const glob = raw.replace(/^\.\//, '').replace(/\/+$/, '');
    if (glob.startsWith('!')) continue;
    const star = glob.indexOf('*');
    if (star < 0) {
      if (context.exists(join(root, `${glob}/${file}`))) out.push(join(root, `${glob}/${file}`));
      continue;
    }
    const parent = glob.slice(0, star).replace(/\/+$/, '');
    for (const name of context.list(join(root, parent))) {
      const candidate = join(root, parent ? `${parent}/${name}/${file}` : `${name}/${file}`);
      if (context.exists(candidate)) out.push(candidate);
    }
  }
  return [...new Set(out)].sort();
}

function npmWorkspaces(context: ContextFiles, root: string): string[] {
  try {
    const pkg = JSON.parse(context.read(join(root, 'package.json')) ?? '{}') as { workspaces?: string[] | { packages?: string[] } };
    const globs = Array.isArray(pkg.workspaces) ? pkg.workspaces : pkg.workspaces?.packages ?? [];
    return expandWorkspaceGlobs(context, root, globs, 'package.json');
  } catch {
    return [];
  }
}

function pnpmWorkspaces(context: ContextFiles, root: string): string[] {
  const yaml = context.read(join(root, 'pnpm-workspace.yaml')) ?? '';
  const globs: string[] = [];
  let inPackages = false;
  for (const line of yaml.split(/\r?\n/)) {
    if (/^packages\s*:/.test(line)) inPackages = true;
    else if (/^\S/.test(line)) inPackages = false;
    else if (inPackages) {
      const m = /^\s*-\s*['"]?([^'"#]+?)['"]?\s*(?:#.*)?$/.exec(line);
      if (m) globs.push(m[1]);
    }
  }
  return expandWorkspaceGlobs(context, root, globs, 'package.json');
}

/** package.json files of the npm/yarn/pnpm workspaces declared under `root`. */
export function workspacePackageFiles(context: ContextFiles, root: string): string[] {
  return [...new Set([...npmWorkspaces(context, root), ...pnpmWorkspaces(context, root)])];
}

/** Requirement files named by -r/-c, following their own -r/-c includes. */
function requirementFiles(context: ContextFiles, root: string, command: string): string[] {
  const found: string[] = [];
  const pending = [...command.matchAll(/(?:^|\s)(?:-r|--requirement|-c|--constraint)(?:\s+|=)(\S+)/g)].map((m) => join(root, m[1].replace(/^\.\//, '')));
  while (pending.length > 0) {
    const path = pending.shift()!;
    if (found.includes(path) || !context.exists(path)) continue;
    found.push(path);
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    for (const m of (context.read(path) ?? '').matchAll(/^\s*(?:-r|--requirement|-c|--constraint)\s*=?\s*(\S+)/gm)) {
      pending.push(join(dir, m[1].replace(/^\.\//, '')));
    }
  }
  return found;
}

function mavenModules(context: ContextFiles, root: string): string[] {
  const pom = context.read(join(root, 'pom.xml')) ?? '';
  return [...pom.matchAll(/<module>\s*([^<\s]+)\s*<\/module>/g)].map((m) => join(root, `${m[1]}/pom.xml`)).filter((p) => context.exists(p));
}

function gradleSubprojects(context: ContextFiles, root: string): string[] {
  const settings = (context.read(join(root, 'settings.gradle')) ?? '') + (context.read(join(root, 'settings.gradle.kts')) ?? '');
  const out: string[] = [];
  for (const include of settings.matchAll(/\binclude\s*\(?([^)\n]+)\)?/g)) {
    for (const name of include[1].matchAll(/['"]:?([^'"]+)['"]/g)) {
      const dir = name[1].replace(/:/g, '/');
      out.push(...existing(context, root, [`${dir}/build.gradle`, `${dir}/build.gradle.kts`]));
    }
  }
  return out;
}

function dotnetProjects(context: ContextFiles, root: string, depth = 3): string[] {
  const out: string[] = [];
  const walk = (dir: string, level: number) => {
    for (const name of context.list(dir)) {
      const path = join(dir, name);
      if (/\.(?:cs|fs|vb)proj$|\.sln$/.test(name)) out.push(path);
      else if (level < depth && !name.startsWith('.') && !['bin', 'obj', 'node_modules'].includes(name) && context.isDirectory(path)) walk(path, level + 1);
    }
  };
  walk(root, 0);
  return out.sort();
}

/** `pip install .`, `pip install -e .`, `pip install --no-cache-dir .[web]`, without requirement files. */
export const PIP_PROJECT = /^(?:pip3?|python3?\s+-m\s+pip)\s+install\b(?!.*\s(?:-r|--requirement)[\s=])(?:\s+-[-\w]+(?:=\S+)?)*(?:\s+(?:-e|--editable))?\s+\.(?:\[[\w,-]+\])?(?:\s+-[-\w]+(?:=\S+)?)*\s*$/;

const PROJECT_REQUIREMENTS = '/tmp/project-requirements.txt';

/**
 * The dependencies `pip install .` would install, installed on their own from pyproject.toml's static
 * [project] table (read with tomllib, Python 3.11+), with the same pip options. The project install
 * after the sources then finds them satisfied and only builds the project.
 */
export function pyprojectDependenciesStep(command: string): string {
  const words = command.trim().split(/\s+/);
  const python = /^python/.test(words[0]) ? words[0] : 'python3';
  const pip = /^python/.test(words[0]) ? `${words[0]} -m pip` : words[0];
  const installAt = words.indexOf('install');
  const rest = words.slice(installAt + 1);
  const target = rest.find((w) => /^\.(?:\[[\w,-]+\])?$/.test(w)) ?? '.';
  const extras = /\[([\w,-]+)\]/.exec(target)?.[1].split(',') ?? [];
  const options = rest.filter((w) => w !== target && w !== '-e' && w !== '--editable');
  const extraList = extras.length > 0 ? ` + [r for e in ${JSON.stringify(extras).replace(/"/g, "'")} for r in p.get('optional-dependencies', {}).get(e, [])]` : '';
  const script = `import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; print('\\n'.join(p.get('dependencies', [])${extraList}))`;
  return `${python} -c "${script}" > ${PROJECT_REQUIREMENTS} && ${[pip, 'install', ...options, '-r', PROJECT_REQUIREMENTS].join(' ')} && rm ${PROJECT_REQUIREMENTS}`;
}

/** Only flags (no package names) follow the command: `npm install` vs `npm install express`. */
const ONLY_FLAGS = String.raw`(?:\s+--?[\w-]+(?:=\S+)?)*\s*$`;

export const INSTALL_KINDS: readonly InstallKind[] = [
  {
    id: 'npm', mode: 'move', pattern: new RegExp(String.raw`^npm\s+(?:ci|install|i)${ONLY_FLAGS}`),
    manifests: (c, r) => [...existing(c, r, ['package.json', 'package-lock.json', 'npm-shrinkwrap.json', '.npmrc']), ...npmWorkspaces(c, r)],
    cacheTargets: ['/root/.npm'],
  },
  {
    id: 'yarn', mode: 'move', pattern: new RegExp(String.raw`^yarn(?:\s+install)?${ONLY_FLAGS}`),
    manifests: (c, r) => [...existing(c, r, ['package.json', 'yarn.lock', '.yarnrc', '.yarnrc.yml', '.npmrc', '.yarn/releases/', '.yarn/patches/', '.yarn/plugins/']), ...npmWorkspaces(c, r)],
    cacheTargets: ['/usr/local/share/.cache/yarn'],
  },
  {
    id: 'pnpm', mode: 'move', pattern: new RegExp(String.raw`^pnpm\s+(?:install|i)${ONLY_FLAGS}`),
    manifests: (c, r) => [...existing(c, r, ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', '.npmrc']), ...pnpmWorkspaces(c, r)],
    cacheTargets: ['/root/.local/share/pnpm/store'],
  },
  {
    id: 'pip', mode: 'move', pattern: /^(?:pip3?|python3?\s+-m\s+pip|uv\s+pip)\s+install\b(?=.*\s(?:-r|--requirement)[\s=])(?!.*\s\.(?:\s|$|\[))/,
    manifests: requirementFiles,
    cacheTargets: ['/root/.cache/pip'],
  },
  {
    // `pip install .`: the project itself needs its sources; its declared dependencies do not.
    id: 'pip-project', mode: 'prefetch', pattern: PIP_PROJECT,
    manifests: (c, r, cmd) => [...existing(c, r, ['pyproject.toml']), ...requirementFiles(c, r, cmd)],
    prefetch: pyprojectDependenciesStep,
    cacheTargets: ['/root/.cache/pip'],
    buildNeedsCache: PIP_PROJECT,
  },
  {
    id: 'poetry', mode: 'move', pattern: /^poetry\s+install\b/, moveFlags: '--no-root',
    manifests: (c, r) => existing(c, r, ['pyproject.toml', 'poetry.lock', 'poetry.toml']),
    cacheTargets: ['/root/.cache/pypoetry'],
  },
  {
    id: 'uv', mode: 'move', pattern: /^uv\s+sync\b/, moveFlags: '--no-install-project',
    manifests: (c, r) => existing(c, r, ['pyproject.toml', 'uv.lock', '.python-version']),
    cacheTargets: ['/root/.cache/uv'],
  },
  {
    id: 'pipenv', mode: 'move', pattern: /^pipenv\s+install\b/,
    manifests: (c, r) => existing(c, r, ['Pipfile', 'Pipfile.lock']),
    cacheTargets: ['/root/.cache/pipenv', '/root/.cache/pip'],
  },
  {
    id: 'go', mode: 'prefetch', pattern: /^(?:\w+=\S*\s+)*go\s+(?:build|install|test|vet|mod\s+download)\b/,
    manifests: (c, r) => (c.exists(join(r, 'vendor/modules.txt')) || !c.exists(join(r, 'go.mod')) ? [] : existing(c, r, ['go.mod', 'go.sum', 'go.work', 'go.work.sum'])),
    prefetch: () => 'go mod download',
    cacheTargets: ['/go/pkg/mod'],
    buildNeedsCache: /\bgo\s+(?:build|install|test|vet|run)\b/,
  },
  {
    id: 'maven', mode: 'prefetch', pattern: /^(?:\.\/)?(?:mvn|mvnw)\s[^&;|]*\b(?:package|install|verify|compile|dependency:go-offline|dependency:resolve)\b/,
    manifests: (c, r, cmd) => [...existing(c, r, ['pom.xml', ...(/mvnw/.test(cmd) ? ['mvnw', '.mvn/'] : ['.mvn/'])]), ...mavenModules(c, r)],
    prefetch: (cmd) => `${/mvnw/.test(cmd) ? './mvnw' : 'mvn'} -B dependency:go-offline`,
    cacheTargets: ['/root/.m2'],
    buildNeedsCache: /\b(?:mvn|mvnw)\b/,
  },
  {
    id: 'gradle', mode: 'prefetch', pattern: /^(?:\.\/)?(?:gradle|gradlew)\s[^&;|]*\b(?:build|assemble|jar|bootJar|shadowJar|installDist|dependencies)\b/,
    manifests: (c, r, cmd) => [
      ...existing(c, r, ['settings.gradle', 'settings.gradle.kts', 'build.gradle', 'build.gradle.kts', 'gradle.properties', ...(/gradlew/.test(cmd) ? ['gradlew', 'gradle/'] : ['gradle/'])]),
      ...gradleSubprojects(c, r),
    ],
    prefetch: (cmd) => `${/gradlew/.test(cmd) ? './gradlew' : 'gradle'} dependencies --no-daemon`,
    cacheTargets: ['/root/.gradle'],
    buildNeedsCache: /\b(?:gradle|gradlew)\b/,
  },
  {
    id: 'cargo', mode: 'prefetch', pattern: /^cargo\s+(?:build|install|test)\b/,
    // A workspace's members need their own sources to be fetched; only single crates are handled.
    manifests: (c, r) => (/^\s*\[workspace\]/m.test(c.read(join(r, 'Cargo.toml')) ?? '') ? [] : existing(c, r, ['Cargo.toml', 'Cargo.lock'])),
    // cargo refuses a manifest without a target, so fetch with a placeholder main.
    prefetch: () => `mkdir -p src && echo 'fn main() {}' > src/main.rs && cargo fetch && rm -rf src`,
    cacheTargets: ['/usr/local/cargo/registry'],
    buildNeedsCache: /\bcargo\b/,
  },
  {
    id: 'bundler', mode: 'move', pattern: /^bundle\s+install\b/,
    manifests: (c, r) => {
      const gemfile = c.read(join(r, 'Gemfile')) ?? '';
      const gemspecs = /^\s*gemspec\b/m.test(gemfile) ? c.list(r).filter((n) => n.endsWith('.gemspec')).map((n) => join(r, n)) : [];
      return [...existing(c, r, ['Gemfile', 'Gemfile.lock']), ...gemspecs];
    },
    cacheTargets: [],
  },
  {
    id: 'composer', mode: 'move', pattern: /^composer\s+install\b/, moveFlags: '--no-scripts --no-autoloader',
    manifests: (c, r) => existing(c, r, ['composer.json', 'composer.lock', 'auth.json']),
    cacheTargets: ['/root/.composer/cache'],
  },
  {
    id: 'dotnet', mode: 'prefetch', pattern: /^dotnet\s+(?:restore|build|publish|test)\b/,
    manifests: (c, r) => [...existing(c, r, ['global.json', 'NuGet.config', 'nuget.config', 'Directory.Build.props', 'Directory.Packages.props']), ...dotnetProjects(c, r)],
    prefetch: () => 'dotnet restore',
    cacheTargets: ['/root/.nuget/packages'],
    buildNeedsCache: /\bdotnet\s+(?:build|publish|test)\b/,
  },
];

/**
 * Follow-up a moved install needs once the sources are there: the same command again, which finds the
 * dependencies installed and does what needs the sources (the project itself; for composer the scripts and
 * the autoloader with the command's own options, exactly as the original install made them).
 */
export function afterSourcesStep(kind: InstallKind, command: string): string | undefined {
  if (!kind.moveFlags) return undefined;
  if (command.includes(kind.moveFlags.split(' ')[0])) return undefined;
  return command;
}
