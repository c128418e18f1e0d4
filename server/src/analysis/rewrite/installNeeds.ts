// What a dependency install reads from the build context besides its manifests, and whether it may run
// before the sources at all. Moving an install above `COPY . .` is only safe when everything it reads is
// copied ahead: lifecycle scripts, local packages, patch files and the project itself are the traps.
// Each install gets one of three answers: the extra files and folders to copy first (known from the
// manifests), a split (install without the part that needs the sources, then run that part once they
// are copied; only where that is exactly what the install does), or a reason to leave it where it is.
import type { ContextFiles } from '../types';
import { workspacePackageFiles } from './packageManifests';

export interface InstallNeeds {
  /** Context files and folders (ending in '/') the install reads besides its manifests. */
  extra: string[];
  /** Install with `flags` before the sources, then run `after` once they are copied. */
  split?: { flags: string; after: string };
  /** Why the install must stay after the sources (a sentence fragment, for "Not available: …"). */
  withheld?: string;
}

/** Scripts npm, yarn and pnpm run for the project itself during an install without arguments. */
const NODE_INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepublish', 'preprepare', 'prepare', 'postprepare', 'dependencies', 'pnpm:devPreinstall'];
/** The ones `npm rebuild` (preinstall, install, postinstall) and `npm run prepare` run again exactly. */
const NPM_REBUILD_SCRIPTS = new Set(['preinstall', 'install', 'postinstall', 'prepare']);
const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies', 'overrides', 'resolutions'];

const join = (root: string, path: string) => (root ? `${root.replace(/\/+$/, '')}/${path}` : path);

/** `a/./b/../c` → `a/c`; undefined when the path climbs above the start. */
function normalize(path: string): string | undefined {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}

/** A context path for `rel` written in a manifest under `dir`, kept inside `limit` (the copied folder). */
function localPath(dir: string, rel: string, limit: string): string | undefined {
  if (rel.startsWith('/') || rel.startsWith('~')) return undefined;
  const path = normalize(join(dir, rel));
  if (path === undefined || path === '') return undefined;
  return !limit || path === limit || path.startsWith(`${limit}/`) ? path : undefined;
}

function readJson(context: ContextFiles, path: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(context.read(path) ?? 'null') as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function recordOf(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Every dependency spec of a package.json (nested override objects included), as strings. */
function dependencySpecs(pkg: Record<string, unknown>): string[] {
  const out: string[] = [];
  const walk = (value: unknown) => {
    if (typeof value === 'string') out.push(value);
    else for (const v of Object.values(recordOf(value))) walk(v);
  };
  for (const field of DEPENDENCY_FIELDS) walk(pkg[field]);
  walk(recordOf(pkg.pnpm).overrides);
  return out;
}

function scriptsOf(pkg: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, body] of Object.entries(recordOf(pkg?.scripts))) if (typeof body === 'string') out[name] = body;
  return out;
}

const withheld = (reason: string): InstallNeeds => ({ extra: [], withheld: reason });

/** `%40` → `@` in yarn patch paths; a malformed escape is kept as written. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function installNeeds(kindId: string, context: ContextFiles, root: string, command: string, limit: string, baseImage: string | undefined): InstallNeeds {
  switch (kindId) {
    case 'npm':
    case 'yarn':
    case 'pnpm':
      return nodeNeeds(kindId, context, root, command, limit, baseImage);
    case 'pip':
      return pipNeeds(context, root, command, limit);
    case 'pip-project':
      return pipProjectNeeds(context, root, command, limit, baseImage);
    case 'poetry':
    case 'uv':
    case 'pipenv':
      return pythonProjectNeeds(kindId, context, root, limit);
    case 'go':
      return goNeeds(context, root, limit);
    case 'cargo':
      return cargoNeeds(context, root, limit);
    case 'bundler':
      return bundlerNeeds(context, root, limit);
    case 'composer':
      return composerNeeds(context, root, limit);
    default:
      return { extra: [] };
  }
}

interface LocalPackages {
  /** Folders (ending in '/') and tarballs the manifests point at. */
  paths: string[];
  /** package.json files of the local folders. */
  manifests: string[];
  problem?: string;
}

/** `file:`, `link:` and `portal:` dependencies, followed into the local packages' own manifests. */
function localNodePackages(context: ContextFiles, root: string, limit: string): LocalPackages {
  const out: LocalPackages = { paths: [], manifests: [] };
  const pending = [root];
  const seen = new Set<string>();
  while (pending.length > 0 && !out.problem) {
    const dir = pending.shift()!;
    if (seen.has(dir) || seen.size > 20) continue;
    seen.add(dir);
    const pkg = readJson(context, join(dir, 'package.json'));
    if (!pkg) continue;
    for (const spec of dependencySpecs(pkg)) {
      const m = /^(?:file|link|portal):(.+)$/.exec(spec.trim());
      if (!m) continue;
      const path = localPath(dir, m[1], limit);
      if (path === undefined || !context.exists(path)) {
        out.problem = `package.json installs the local package "${spec}", which is not in the copied folder of the build context`;
        break;
      }
      if (context.isDirectory(path)) {
        out.paths.push(`${path}/`);
        if (context.exists(join(path, 'package.json'))) out.manifests.push(join(path, 'package.json'));
        pending.push(path);
      } else out.paths.push(path);
    }
  }
  return { ...out, paths: [...new Set(out.paths)] };
}

/** Patch files the install applies: patch-package's folder, pnpm patchedDependencies, yarn `patch:`. */
function nodePatches(context: ContextFiles, root: string, pkg: Record<string, unknown>, limit: string): { paths: string[]; scripts: Set<string> } {
  const paths: string[] = [];
  const scripts = new Set<string>();
  for (const [name, body] of Object.entries(scriptsOf(pkg))) {
    const m = /^(?:npx\s+|yarn\s+|pnpm\s+(?:exec\s+)?)?patch-package(?:\s+--patch-dir[\s=](\S+))?$/.exec(body.trim());
    if (!m) continue;
    const dir = localPath(root, m[1] ?? 'patches', limit);
    // patch-package with no patches folder applies nothing; the script still needs no sources.
    if (dir && context.isDirectory(dir)) paths.push(`${dir}/`);
    scripts.add(name);
  }
  const patched = { ...recordOf(recordOf(pkg.pnpm).patchedDependencies) };
  let inPatched = false;
  for (const line of (context.read(join(root, 'pnpm-workspace.yaml')) ?? '').split(/\r?\n/)) {
    if (/^patchedDependencies\s*:/.test(line)) inPatched = true;
    else if (/^\S/.test(line)) inPatched = false;
    else if (inPatched) {
      const m = /^\s+['"]?([^'":]+(?::[^'":\s]+)?)['"]?\s*:\s*['"]?([^'"#\s]+)['"]?/.exec(line);
      if (m) patched[m[1]] = m[2];
    }
  }
  for (const file of Object.values(patched)) {
    const path = typeof file === 'string' ? localPath(root, file, limit) : undefined;
    if (path && context.exists(path)) paths.push(path);
  }
  for (const spec of dependencySpecs(pkg)) {
    const m = /^patch:.*#(?:~\/)?([^&:]+)(?:::.*)?$/.exec(spec);
    const path = m ? localPath(root, safeDecode(m[1]), limit) : undefined;
    if (path && context.exists(path) && !path.startsWith(join(root, '.yarn/patches/'))) paths.push(path);
  }
  return { paths, scripts };
}

/** npm 7 and later (Node 16 images onward) run lifecycle scripts in `npm rebuild` as during `npm ci`. */
function modernNpmImage(image: string | undefined): boolean {
  const m = image ? /^(?:docker\.io\/)?(?:library\/)?node(?::([^@\s]+))?(?:@\S+)?$/.exec(image) : null;
  if (!m) return false;
  const tag = m[1] ?? 'latest';
  if (/^(?:latest|lts|current|slim|alpine|bookworm|bullseye|trixie)(?:-[\w.]+)?$/.test(tag)) return true;
  // Release code names: gallium 16, hydrogen 18, iron 20, jod 22, krypton 24.
  if (/^(?:gallium|hydrogen|iron|jod|krypton)(?:-[\w.]+)?$/.test(tag)) return true;
  const major = /^(\d+)/.exec(tag);
  return major !== null && Number(major[1]) >= 16;
}

function nodeNeeds(tool: 'npm' | 'yarn' | 'pnpm', context: ContextFiles, root: string, command: string, limit: string, image: string | undefined): InstallNeeds {
  const pkg = readJson(context, join(root, 'package.json'));
  if (!pkg) return { extra: [] };
  const local = localNodePackages(context, root, limit);
  if (local.problem) return withheld(local.problem);
  const patches = nodePatches(context, root, pkg, limit);
  const extra = [...local.paths, ...patches.paths];
  const ignoreScripts = /(?:^|\s)--ignore-scripts(?:\s|=true|$)/.test(command) || /^\s*ignore-scripts\s*=\s*true\b/m.test(context.read(join(root, '.npmrc')) ?? '');
  if (ignoreScripts) return { extra };

  const scripts = scriptsOf(pkg);
  const rootScripts = NODE_INSTALL_SCRIPTS.filter((name) => name in scripts && !patches.scripts.has(name));
  // Linked packages (workspaces, file: folders) run their own install scripts and get their bins linked;
  // a bin whose file is not there yet is silently skipped, so a bin needs the sources too.
  const linked = [...workspacePackageFiles(context, root), ...local.manifests].filter((file) => {
    const p = readJson(context, file);
    return p && (NODE_INSTALL_SCRIPTS.some((name) => name in scriptsOf(p)) || p.bin !== undefined);
  });
  if (rootScripts.length === 0 && linked.length === 0) return { extra };

  const what = rootScripts.length > 0
    ? `package.json runs a "${rootScripts[0]}" script (${scripts[rootScripts[0]]}) during ${tool} install, which may read the sources`
    : `the linked package ${linked[0]} has install scripts or bins that need its sources`;
  if (tool !== 'npm') return withheld(`${what}; ${tool} cannot run them later exactly as its install does`);
  if (!modernNpmImage(image)) return withheld(`${what}; splitting it into \`npm ci --ignore-scripts\` and \`npm rebuild\` is only exact with npm 7 or later, and the base image ${image ?? '(unknown)'} is not a known Node 16+ image`);
  const other = rootScripts.find((name) => !NPM_REBUILD_SCRIPTS.has(name));
  if (other) return withheld(`package.json runs a "${other}" script during npm install, which \`npm rebuild\` does not run again`);
  // Git dependencies are prepared (their own scripts run) while they are fetched, which --ignore-scripts stops.
  if (dependencySpecs(pkg).some((s) => /^(?:git\+|git:|github:|gitlab:|bitbucket:)|^[\w.-]+\/[\w.-]+(?:#.*)?$/.test(s))) {
    return withheld(`${what}, and it has git dependencies that --ignore-scripts would leave unprepared`);
  }
  const after = ['npm rebuild', ...('prepare' in scripts ? ['npm run prepare'] : [])].join(' && ');
  return { extra, split: { flags: '--ignore-scripts', after } };
}

/** Lines of requirement files that install something from the context rather than an index. */
const LOCAL_REQUIREMENT = /^\s*(?:-e|--editable)\b|^\s*(?:\.{1,2}|~)?\/|^\s*\.\s*(?:$|\[)|^\s*file:|@\s*file:|^\s*\S+\.(?:whl|tar\.gz|zip)\s*$|^\s*(?:-f|--find-links)[\s=]+(?!https?:)/;

function pipNeeds(context: ContextFiles, root: string, command: string, limit: string): InstallNeeds {
  const extra: string[] = [];
  for (const m of command.matchAll(/(?:^|\s)(?:-f|--find-links)(?:\s+|=)(\S+)/g)) {
    if (/^https?:/.test(m[1])) continue;
    const path = localPath(root, m[1], limit);
    if (!path || !context.exists(path)) return withheld(`the install reads packages from ${m[1]}, which is not in the copied folder of the build context`);
    extra.push(context.isDirectory(path) ? `${path}/` : path);
  }
  const files = [...command.matchAll(/(?:^|\s)(?:-r|--requirement|-c|--constraint)(?:\s+|=)(\S+)/g)].map((m) => join(root, m[1].replace(/^\.\//, '')));
  const seen = new Set<string>();
  while (files.length > 0) {
    const file = files.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = context.read(file) ?? '';
    const local = text.split(/\r?\n/).find((line) => LOCAL_REQUIREMENT.test(line.replace(/\s+#.*$/, '')));
    if (local) return withheld(`${file} installs "${local.trim()}" from the build context, which needs the sources`);
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
    for (const m of text.matchAll(/^\s*(?:-r|--requirement|-c|--constraint)\s*=?\s*(\S+)/gm)) files.push(join(dir, m[1].replace(/^\.\//, '')));
  }
  return { extra };
}

/** The `[project]` table of a pyproject.toml, as text (up to the next table). */
function projectTable(text: string): string | undefined {
  const m = /^\[project\]\s*$([\s\S]*?)(?=^\[(?!\[)|(?![\s\S]))/m.exec(text);
  return m?.[1];
}

/** The strings of a TOML array `key = [ ... ]` in a table's text. */
function tomlStrings(table: string, key: string): string[] | undefined {
  const m = new RegExp(`^${key}\\s*=\\s*\\[([^\\]]*(?:\\][^\\]\\n]*)*?)\\]\\s*(?:#.*)?$`, 'm').exec(table);
  return m ? [...m[1].replace(/#.*$/gm, '').matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g)].map((x) => x[1] ?? x[2]) : undefined;
}

/** tomllib, which reads pyproject.toml in the dependency step, comes with Python 3.11. */
function pythonWithTomllib(image: string | undefined): boolean {
  const m = image ? /^(?:docker\.io\/)?(?:library\/)?python(?::([^@\s]+))?(?:@\S+)?$/.exec(image) : null;
  if (!m) return false;
  const version = /^(\d+)(?:\.(\d+))?/.exec(m[1] ?? 'latest');
  if (!version) return /^(?:latest|slim|bookworm|trixie|slim-\w+)$/.test(m[1] ?? 'latest');
  return Number(version[1]) > 3 || (Number(version[1]) === 3 && (version[2] === undefined || Number(version[2]) >= 11));
}

function pipProjectNeeds(context: ContextFiles, root: string, command: string, limit: string, image: string | undefined): InstallNeeds {
  const what = `\`${command}\` builds and installs the project from its sources`;
  const table = projectTable(context.read(join(root, 'pyproject.toml')) ?? '');
  if (table === undefined) return withheld(`${what}, and pyproject.toml has no [project] table that lists its dependencies`);
  if (tomlStrings(table, 'dynamic')?.includes('dependencies')) return withheld(`${what}, and its dependencies are computed by the build (dynamic)`);
  const dependencies = tomlStrings(table, 'dependencies') ?? [];
  if (dependencies.length === 0) return withheld(`${what}, and it declares no dependencies to install ahead of them`);
  if (/(?:^|\s)--no-deps(?:\s|$)/.test(command)) return withheld(`${what} without its dependencies (--no-deps)`);
  const local = dependencies.find((d) => /@\s*file:|^\s*\.{0,2}\//.test(d));
  if (local) return withheld(`${what}, and it depends on "${local}" from the build context`);
  const name = /^name\s*=\s*["']([^"']+)["']/m.exec(table)?.[1];
  const normalized = (text: string) => text.toLowerCase().replace(/[-_.]+/g, '-');
  const selfReference = name && [...table.matchAll(/["']([A-Za-z0-9][\w.-]*)\s*\[/g)].some((m) => normalized(m[1]) === normalized(name));
  if (/\.\[/.test(command) && selfReference) {
    return withheld(`${what}, and its extras refer to the project itself`);
  }
  if (!pythonWithTomllib(image)) return withheld(`${what}; installing its dependencies ahead reads pyproject.toml with tomllib, which needs a Python 3.11+ image (${image ?? 'unknown'})`);
  return pipNeeds(context, root, command, limit);
}

/** Why a command that installs the project itself cannot move, or undefined. */
export function projectInstallReason(part: string): string | undefined {
  const pip = /^(?:\w+=\S*\s+)*(?:pip3?|python3?(?:\.\d+)?\s+-m\s+pip|uv\s+pip)\s+install\b(.*)$/.exec(part);
  if (pip) {
    const words = pip[1].trim().split(/\s+/);
    const local = words.find((w, i) => /^(?:\.{1,2}(?:\/\S*)?|\.\[[^\]]*\]|\.\/\S+)$/.test(w) || ((words[i - 1] === '-e' || words[i - 1] === '--editable') && !/^(?:git\+|https?:)/.test(w)));
    if (local) return `\`${part}\` builds and installs the project from its sources (${local}), so it must come after them`;
  }
  if (/^(?:\w+=\S*\s+)*npm\s+(?:install|i)\s+(?:-g|--global)\s+\.(?:\s|$)/.test(part)) return `\`${part}\` installs the project itself from its sources`;
  return undefined;
}

/** Path dependencies of a pyproject.toml / Pipfile: `name = { path = "../lib", develop = true }`. */
function pathDependencies(text: string): string[] {
  return [...text.matchAll(/^[^#\n]*\bpath\s*=\s*["']([^"']+)["']/gm)].map((m) => m[1]);
}

function readmeFiles(pyproject: string): string[] {
  const out: string[] = [];
  for (const m of pyproject.matchAll(/^\s*readme\s*=\s*(.+)$/gm)) {
    for (const f of m[1].matchAll(/["']([^"']+)["']/g)) if (!/^text\/|^[a-z-]+$/.test(f[1]) || f[1].includes('.')) out.push(f[1]);
  }
  return out;
}

function pythonProjectNeeds(tool: 'poetry' | 'uv' | 'pipenv', context: ContextFiles, root: string, limit: string): InstallNeeds {
  const manifest = tool === 'pipenv' ? 'Pipfile' : 'pyproject.toml';
  const text = context.read(join(root, manifest)) ?? '';
  if (tool === 'uv' && /^\s*\[tool\.uv\.workspace\]/m.test(text)) {
    return withheld('pyproject.toml declares a uv workspace, whose members uv sync installs from their sources');
  }
  const extra: string[] = [];
  for (const rel of pathDependencies(text)) {
    const path = localPath(root, rel, limit);
    if (path === undefined || path === normalize(root)) return withheld(`${manifest} installs the path dependency "${rel}" (the project itself or a folder outside the copied one)`);
    if (!context.exists(path)) return withheld(`${manifest} installs the path dependency "${rel}", which is not in the build context`);
    extra.push(context.isDirectory(path) ? `${path}/` : path);
  }
  // Poetry reads the project's metadata even with --no-root, and fails when its readme is missing.
  if (tool === 'poetry') {
    for (const rel of readmeFiles(text)) {
      const path = localPath(root, rel, limit);
      if (path && context.exists(path)) extra.push(path);
    }
  }
  return { extra };
}

function goNeeds(context: ContextFiles, root: string, limit: string): InstallNeeds {
  const extra: string[] = [];
  const mod = context.read(join(root, 'go.mod')) ?? '';
  const work = context.read(join(root, 'go.work')) ?? '';
  const dirs: string[] = [];
  // `replace x => ./y` (one line or inside a block) and go.work's `use ./y`: go reads ./y/go.mod.
  for (const m of `${mod}\n${work}`.matchAll(/=>\s*(\.{1,2}\/\S*|\.{1,2})\s*$/gm)) dirs.push(m[1]);
  for (const block of work.matchAll(/^use\s*\(([^)]*)\)|^use\s+(\S+)/gm)) {
    for (const d of (block[1] ?? block[2]).split(/\s+/).filter((w) => w && !w.startsWith('//'))) dirs.push(d);
  }
  for (const dir of dirs) {
    const path = localPath(root, dir, limit);
    if (path === undefined) return withheld(`go.mod or go.work points at ${dir}, which is outside the copied folder of the build context`);
    if (path === normalize(root)) continue;
    const file = join(path, 'go.mod');
    if (!context.exists(file)) return withheld(`go.mod or go.work points at ${dir}, which has no go.mod in the build context`);
    extra.push(file);
  }
  return { extra };
}

function cargoNeeds(context: ContextFiles, root: string, limit: string): InstallNeeds {
  const text = context.read(join(root, 'Cargo.toml')) ?? '';
  // The download step stands in a placeholder src/main.rs: targets the manifest names must exist.
  const target = /^\s*\[\[?(lib|bin|example|test|bench)\]?\]|^\s*build\s*=/m.exec(text);
  if (target) return withheld(`Cargo.toml declares ${target[1] ? `a [${target[1]}] target` : 'a build script'} whose files \`cargo fetch\` needs`);
  const extra: string[] = [];
  for (const rel of pathDependencies(text)) {
    const path = localPath(root, rel, limit);
    if (path === undefined || !context.isDirectory(path)) return withheld(`Cargo.toml has the path dependency "${rel}", which is not a folder in the copied part of the build context`);
    extra.push(`${path}/`);
  }
  return { extra };
}

function bundlerNeeds(context: ContextFiles, root: string, limit: string): InstallNeeds {
  const gemfile = context.read(join(root, 'Gemfile')) ?? '';
  if (/\bpath\s*(?::|=>)/.test(gemfile)) return withheld('the Gemfile installs gems from local paths, which need their sources');
  if (!/^\s*gemspec\b/m.test(gemfile)) return { extra: [] };
  const extra: string[] = [];
  const gemspecs = context.list(root).filter((n) => n.endsWith('.gemspec'));
  if (gemspecs.length === 0) return withheld('the Gemfile loads a gemspec that is not next to it in the build context');
  for (const name of gemspecs) {
    const spec = context.read(join(root, name)) ?? '';
    // A gemspec usually loads its version file; a literal path can be copied ahead, anything else cannot.
    for (const m of spec.matchAll(/\b(require_relative|require|load|File\.read|File\.readlines|IO\.read)\s*\(?\s*(["'])([^"'#]+)\2/g)) {
      if (m[1] === 'require' && !m[3].startsWith('.')) continue;
      const rel = m[1] === 'require_relative' && !m[3].endsWith('.rb') ? `${m[3]}.rb` : m[3];
      const path = localPath(root, rel, limit);
      if (!path || !context.exists(path)) return withheld(`${name} reads ${m[3]}, which is not in the copied folder of the build context`);
      extra.push(path);
    }
    if (/\b(?:File\.(?:read|open|readlines)|IO\.read|require_relative|load)\s*\(?\s*[^"'\s(]/.test(spec)) {
      return withheld(`${name} reads files named at run time, which the install would not find before the sources`);
    }
  }
  return { extra };
}

/** Composer `path` repositories: packages installed (symlinked or copied) from folders of the context. */
function composerNeeds(context: ContextFiles, root: string, limit: string): InstallNeeds {
  const composer = readJson(context, join(root, 'composer.json'));
  const repositories = Array.isArray(composer?.repositories) ? composer.repositories : Object.values(recordOf(composer?.repositories));
  const extra: string[] = [];
  for (const repo of repositories.map(recordOf)) {
    if (repo.type !== 'path' || typeof repo.url !== 'string') continue;
    const path = /[*?[]/.test(repo.url) ? undefined : localPath(root, repo.url, limit);
    if (!path || !context.isDirectory(path)) return withheld(`composer.json installs packages from the path repository ${repo.url}, which is not a folder in the copied part of the build context`);
    extra.push(`${path}/`);
  }
  return { extra };
}

/**
 * Folders the installs of the project at the context root read (local packages, patches, path
 * dependencies): a COPY of one of them before the install is part of the install, not a copy of sources.
 */
export function dependencyFolders(context: ContextFiles): Set<string> {
  const out = new Set<string>();
  for (const kind of ['npm', 'poetry', 'uv', 'pipenv', 'cargo', 'composer']) {
    for (const path of installNeeds(kind, context, '', '', '', undefined).extra) if (path.endsWith('/')) out.add(path.slice(0, -1));
  }
  return out;
}
