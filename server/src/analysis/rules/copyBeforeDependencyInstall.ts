import type { Instruction } from 'dockerfile-ast';
import { LANGUAGE_MANAGERS, type LanguageManagerId } from '../data/packageManagers';
import { flagValues, invocationOf, isCommand, positionalArgs, type ShellCommand } from '../shell';
import { dependencyInstallOf } from '../shell/installs';
import { copyArgsOf, isRun, stageRuns } from '../shell/layers';
import { isWholeContext } from '../stageFacts';
import { textOf, type DockerfileModel, type Stage } from '../model';
import type { ContextFiles, Finding, Rule } from '../types';

interface Install {
  manager: LanguageManagerId;
  /** True when only the manifests are needed (else: a build that also downloads dependencies). */
  manifestsOnly: boolean;
}

/** Scripts npm runs during install; they may need the sources, so moving the install is not safe. */
const NPM_LIFECYCLE = ['preinstall', 'install', 'postinstall', 'prepare'];

// No fix here: the fix is the "Reorder for layer cache" refactoring, offered by the code-action handler
// for this diagnostic (it copies exactly the manifests that exist in the context).
export const copyBeforeDependencyInstall: Rule = {
  id: 'copy-before-dependency-install',
  defaultSeverity: 'warning',
  summary: 'The build context is copied before the dependency install, so every source change reinstalls all dependencies.',
  check(model, ctx) {
    const findings: Finding[] = [];
    for (const stage of model.stagesReachingTarget()) {
      const finding = checkStage(model, stage, ctx.context);
      if (finding) findings.push(finding);
    }
    return findings;
  },
};

function checkStage(model: DockerfileModel, stage: Stage, context: ContextFiles | undefined): Finding | undefined {
  let broad: { instruction: Instruction; source: string } | undefined;
  const commandsOf = new Map(stageRuns(model, stage).map((r) => [r.run as Instruction, r.commands]));
  const prefetched = new Set<LanguageManagerId>();
  for (const instruction of stage.instructions) {
    if (!broad) {
      const source = broadSource(instruction, context);
      if (source !== undefined) broad = { instruction, source };
      for (const c of commandsOf.get(instruction) ?? []) {
        const install = installOf(c, context);
        if (install?.manifestsOnly) prefetched.add(install.manager);
      }
      continue;
    }
    if (!isRun(instruction)) continue;
    const commands = commandsOf.get(instruction) ?? [];
    for (const c of commands) {
      // `cd sub && npm ci`: the manifests live in a folder we would have to guess.
      if (commands.some((x) => x.index < c.index && isCommand(x, 'cd'))) break;
      // An install inside if/case runs only on some builds (often a deprecated or optional path).
      if (c.inBranch) continue;
      const install = installOf(c, context);
      if (!install || prefetched.has(install.manager)) continue;
      if (!install.manifestsOnly && !context) continue;
      if (context && !contextSupports(install.manager, context)) continue;
      const files = manifestList(install.manager, context);
      const copyLine = broad.instruction.getRange().start.line + 1;
      const what = [invocationOf(c)!.tool, ...positionalArgs(c).slice(0, install.manager === 'go' || install.manager === 'maven' ? 2 : 1).map((w) => w.text)].join(' ');
      const copyText = broad.instruction.getRange().start.line === broad.instruction.getRange().end.line
        ? textOf(model, broad.instruction.getRange()).trim()
        : `${broad.instruction.getKeyword()} ${broad.source}`;
      return {
        range: broad.instruction.getRange(),
        message: `${copyText} on line ${copyLine} comes before ${what} on line ${c.range.start.line + 1}: any source change invalidates the install layer, so every rebuild downloads all dependencies again. Copy ${files} first, install, then copy the rest.`,
      };
    }
  }
  return undefined;
}

/** The source when a COPY/ADD sends the whole context or a source folder; undefined otherwise. */
function broadSource(instruction: Instruction, context: ContextFiles | undefined): string | undefined {
  const keyword = instruction.getKeyword();
  if (keyword !== 'COPY' && keyword !== 'ADD') return undefined;
  if ((instruction as unknown as { getFromFlag?(): unknown }).getFromFlag?.()) return undefined;
  const args = copyArgsOf(instruction);
  if (!args?.destination) return undefined;
  for (const { value } of args.sources) {
    if (/^[a-z]+:\/\/|^git@/i.test(value)) continue;
    if (isWholeContext(value)) return value;
    if (context && isSourceFolder(context, value.replace(/^\.\//, '').replace(/\/+$/, ''))) return value;
  }
  return undefined;
}

/** A folder that holds more than dependency manifests (a requirements/ folder does not count). */
function isSourceFolder(context: ContextFiles, path: string): boolean {
  if (!path || /[*?[]/.test(path) || !context.isDirectory(path)) return false;
  const manifestish = /\.(txt|in|cfg|toml|lock|json|ya?ml|mod|sum|xml|gradle|kts|props|csproj|fsproj|sln)$|^Gemfile|^Pipfile/;
  return context.list(path).some((entry) => context.isDirectory(`${path}/${entry}`) || !manifestish.test(entry));
}

/** A dependency install, and whether it needs only the manifests. */
/**
 * A dependency install that only needs manifests (or, when the context shows it, a build that downloads
 * dependencies itself), refined with what the context says about the project.
 */
function installOf(c: ShellCommand, context: ContextFiles | undefined): Install | undefined {
  const install = dependencyInstallOf(c);
  if (!install || install.named || !install.downloads) return undefined;
  const { manager } = install;
  if (manager === 'npm' || manager === 'yarn' || manager === 'pnpm' || manager === 'bun') {
    return hasLifecycleScripts(context) ? undefined : { manager, manifestsOnly: true };
  }
  if (manager === 'pip' || manager === 'uv') {
    if (install.needs !== 'manifests') return undefined;
    const files = [...flagValues(c, '-r'), ...flagValues(c, '--requirement')];
    const needsSources = files.some((f) => /[$]/.test(f) || requirementsNeedSources(context?.read(f.replace(/^\.\//, ''))));
    return needsSources ? undefined : { manager, manifestsOnly: true };
  }
  if (manager === 'bundler' && /^\s*(gemspec|.*path:)/m.test(context?.read('Gemfile') ?? '')) return undefined;
  if (install.needs === 'manifests') return { manager, manifestsOnly: true };
  // Builds that download dependencies themselves: only with the context, which shows there are some.
  if (manager === 'go') return goModuleHasRequires(context) ? { manager, manifestsOnly: false } : undefined;
  if (manager === 'cargo' || manager === 'maven' || manager === 'gradle') return { manager, manifestsOnly: false };
  return undefined;
}

function hasLifecycleScripts(context: ContextFiles | undefined): boolean {
  const text = context?.read('package.json');
  if (!text) return false;
  try {
    const scripts = (JSON.parse(text) as { scripts?: Record<string, unknown> }).scripts ?? {};
    return NPM_LIFECYCLE.some((name) => name in scripts);
  } catch {
    return false;
  }
}

/** Requirement files with local paths or editable installs need the sources. */
function requirementsNeedSources(text: string | undefined): boolean {
  if (!text) return false;
  return text.split('\n').some((line) => /^\s*(-e|--editable|\.|\/|file:)|@\s*file:/.test(line));
}

function goModuleHasRequires(context: ContextFiles | undefined): boolean {
  return /^\s*require\b/m.test(context?.read('go.mod') ?? '');
}

/**
 * With a context, the manager's manifest must exist at the context root (where an install that runs
 * without `cd` finds it); a project in a subfolder is left alone rather than guessed at.
 */
function contextSupports(manager: LanguageManagerId, context: ContextFiles): boolean {
  return LANGUAGE_MANAGERS[manager].manifests.some((m) => (m.startsWith('*') ? context.list('').some((e) => e.endsWith(m.slice(1))) : context.exists(m)));
}

function manifestList(manager: LanguageManagerId, context: ContextFiles | undefined): string {
  const pm = LANGUAGE_MANAGERS[manager];
  const candidates = [...pm.manifests, ...pm.lockfiles];
  const present = context ? candidates.filter((f) => !f.startsWith('*') && context.exists(f)) : [];
  const names = present.length > 0 ? present : [...pm.manifests.slice(0, 1), ...pm.lockfiles.slice(0, 1)];
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names[0];
}
