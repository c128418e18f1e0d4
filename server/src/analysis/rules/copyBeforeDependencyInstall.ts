import type { Instruction } from 'dockerfile-ast';
import { LANGUAGE_MANAGERS, type LanguageManagerId } from '../data/packageManagers';
import { flagValues, invocationOf, isCommand, positionalArgs, type ShellCommand } from '../shell';
import { dependencyInstallOf } from '../shell/installs';
import { copyArgsOf, isRun, resolveShellPath, stageRuns } from '../shell/layers';
import { isWholeContext, workdirAt } from '../stageFacts';
import { textOf, type DockerfileModel, type Stage } from '../model';
import type { ContextFiles, Finding, Rule } from '../types';
import { dependencyFolders, installNeeds } from '../rewrite/installNeeds';
import { PIP_PROJECT } from '../rewrite/packageManifests';
import { contextFreeRun, copyDestinationIsSafe } from '../rewrite/contextFree';
import { commandOf, propertyNames, variablesIn } from '../rewrite/stageParts';

interface Install {
  manager: LanguageManagerId;
  /** True when only the manifests are needed (else: a build that also downloads dependencies). */
  manifestsOnly: boolean;
}

/** Instructions a context-free install may move past: they read no context file. */
const MOVABLE_PAST = new Set(['ENV', 'ARG', 'LABEL', 'EXPOSE', 'WORKDIR', 'USER', 'SHELL', 'STOPSIGNAL']);

// No fix here: the fix is the "Reorder for layer cache" refactoring, offered by the code-action handler
// for this diagnostic (it copies the manifests that exist in the context, and whatever else the install
// reads that the manifests name). Where the install needs the sources themselves (a lifecycle script the
// reorder cannot split off, the project itself) the rule stays quiet, as the reorder is not offered.
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
  const image = baseImageOf(model, stage);
  let dependencyDirs: Set<string> | undefined;
  const isDependencyDir = (path: string) => (dependencyDirs ??= context ? dependencyFolders(context) : new Set()).has(path);
  const between: Instruction[] = [];
  // A dependency install after the copy is the bigger loss: it is reported first when there is one.
  let contextFree: Finding | undefined;
  for (const instruction of stage.instructions) {
    if (!broad) {
      const source = broadSource(instruction, context, isDependencyDir);
      if (source !== undefined) broad = { instruction, source };
      for (const c of commandsOf.get(instruction) ?? []) {
        const install = installOf(c, context, image);
        if (install?.manifestsOnly) prefetched.add(install.manager);
      }
      continue;
    }
    contextFree ??= contextFreeFinding(model, stage, broad, between, instruction);
    between.push(instruction);
    if (!isRun(instruction)) continue;
    const commands = commandsOf.get(instruction) ?? [];
    for (const c of commands) {
      // `cd sub && npm ci`: the manifests live in a folder we would have to guess.
      if (commands.some((x) => x.index < c.index && isCommand(x, 'cd'))) break;
      // An install inside if/case runs only on some builds (often a deprecated or optional path).
      if (c.inBranch) continue;
      const install = installOf(c, context, image);
      if (!install || prefetched.has(install.manager)) continue;
      if (!install.manifestsOnly && !context) continue;
      if (context && !contextSupports(install.manager, context)) continue;
      const files = manifestList(install.manager, context);
      const copyLine = broad.instruction.getRange().start.line + 1;
      const what = [invocationOf(c)!.tool, ...positionalArgs(c).slice(0, install.manager === 'go' || install.manager === 'maven' ? 2 : 1).map((w) => w.text)].join(' ');
      return {
        range: broad.instruction.getRange(),
        message: `${copyTextOf(model, broad)} on line ${copyLine} comes before ${what} on line ${c.range.start.line + 1}: any source change invalidates the install layer, so every rebuild downloads all dependencies again. Copy ${files} first, install, then copy the rest.`,
      };
    }
  }
  return contextFree;
}

function copyTextOf(model: DockerfileModel, broad: { instruction: Instruction; source: string }): string {
  return broad.instruction.getRange().start.line === broad.instruction.getRange().end.line
    ? textOf(model, broad.instruction.getRange()).trim()
    : `${broad.instruction.getKeyword()} ${broad.source}`;
}

function andParts(model: DockerfileModel, instruction: Instruction): string[] {
  return commandOf(instruction, model.escapeChar).split(/\s*&&\s*/).map((p) => p.trim()).filter(Boolean);
}

/**
 * A RUN after the copy that installs only what its command line names (apt packages, `pip install
 * flask`): it reads nothing from the context and can move above the copy as it is, when nothing between
 * them stops it and the sources do not land where the install writes.
 */
function contextFreeFinding(model: DockerfileModel, stage: Stage, broad: { instruction: Instruction; source: string }, between: Instruction[], instruction: Instruction): Finding | undefined {
  if (!isRun(instruction)) return undefined;
  const install = contextFreeRun(andParts(model, instruction));
  if (!install) return undefined;
  const movable = (i: Instruction) => MOVABLE_PAST.has(i.getKeyword()) || (isRun(i) && contextFreeRun(andParts(model, i)) !== undefined);
  if (!between.every(movable)) return undefined;
  const read = variablesIn(textOf(model, broad.instruction.getRange()));
  if (between.some((i) => (i.getKeyword() === 'ENV' || i.getKeyword() === 'ARG') && propertyNames(i).some((n) => read.has(n)))) return undefined;
  const dest = copyArgsOf(broad.instruction)?.destination?.value;
  const absolute = dest ? resolveShellPath(workdirAt(model, stage, broad.instruction), dest) : undefined;
  if (!absolute || !copyDestinationIsSafe(absolute)) return undefined;
  return {
    range: broad.instruction.getRange(),
    message: `${copyTextOf(model, broad)} on line ${broad.instruction.getRange().start.line + 1} comes before ${install} on line ${instruction.getRange().start.line + 1}, which reads nothing from the build context: every source change runs it again. Move it above the copy as it is.`,
  };
}

/** The base image a stage builds on, through earlier stages it starts FROM. */
function baseImageOf(model: DockerfileModel, stage: Stage): string | undefined {
  let current: Stage | undefined = stage;
  for (let hops = 0; current && current.baseStage !== undefined && hops < model.stages.length; hops++) current = model.stages[current.baseStage];
  return current?.image;
}

/** The source when a COPY/ADD sends the whole context or a source folder; undefined otherwise. */
function broadSource(instruction: Instruction, context: ContextFiles | undefined, isDependencyDir: (path: string) => boolean): string | undefined {
  const keyword = instruction.getKeyword();
  if (keyword !== 'COPY' && keyword !== 'ADD') return undefined;
  if ((instruction as unknown as { getFromFlag?(): unknown }).getFromFlag?.()) return undefined;
  const args = copyArgsOf(instruction);
  if (!args?.destination) return undefined;
  for (const { value } of args.sources) {
    if (/^[a-z]+:\/\/|^git@/i.test(value)) continue;
    if (isWholeContext(value)) return value;
    const path = value.replace(/^\.\//, '').replace(/\/+$/, '');
    if (context && isSourceFolder(context, path) && !isDependencyDir(path)) return value;
  }
  return undefined;
}

/** A folder that holds more than dependency manifests (a requirements/ folder does not count). */
function isSourceFolder(context: ContextFiles, path: string): boolean {
  if (!path || /[*?[]/.test(path) || !context.isDirectory(path)) return false;
  const manifestish = /\.(txt|in|cfg|toml|lock|json|ya?ml|mod|sum|xml|gradle|kts|props|csproj|fsproj|sln)$|^Gemfile|^Pipfile/;
  return context.list(path).some((entry) => context.isDirectory(`${path}/${entry}`) || !manifestish.test(entry));
}

/**
 * A dependency install that only needs manifests (or, when the context shows it, a build that downloads
 * dependencies itself), refined with what the context says about the project: an install the reorder
 * must leave after the sources (installNeeds withholds it) is no finding.
 */
function installOf(c: ShellCommand, context: ContextFiles | undefined, image: string | undefined): Install | undefined {
  const install = dependencyInstallOf(c);
  if (!install || install.named || !install.downloads) return undefined;
  const { manager } = install;
  const kind = manager === 'uv' && install.needs === 'manifests' ? 'pip' : manager;
  if (context && installNeeds(kind, context, '', c.argv.join(' '), '', image).withheld) return undefined;
  if (manager === 'npm' || manager === 'yarn' || manager === 'pnpm' || manager === 'bun') return { manager, manifestsOnly: true };
  if (manager === 'pip' || manager === 'uv') {
    // uv sync moves as `uv sync --no-install-project`; the project follows the sources.
    if (manager === 'uv' && install.needs !== 'manifests') return context ? { manager, manifestsOnly: true } : undefined;
    // `pip install .`: its declared dependencies can be installed ahead from pyproject.toml.
    if (install.needs !== 'manifests') {
      const text = c.argv.join(' ');
      return context && PIP_PROJECT.test(text) && !installNeeds('pip-project', context, '', text, '', image).withheld ? { manager, manifestsOnly: false } : undefined;
    }
    const files = [...flagValues(c, '-r'), ...flagValues(c, '--requirement')];
    const needsSources = files.some((f) => /[$]/.test(f) || requirementsNeedSources(context?.read(f.replace(/^\.\//, ''))));
    return needsSources ? undefined : { manager, manifestsOnly: true };
  }
  if (install.needs === 'manifests') return { manager, manifestsOnly: true };
  // `poetry install` moves as `poetry install --no-root`; the root package follows the sources.
  if (manager === 'poetry') return context ? { manager, manifestsOnly: true } : undefined;
  // Builds that download dependencies themselves: only with the context, which shows there are some.
  if (manager === 'go') return goModuleHasRequires(context) ? { manager, manifestsOnly: false } : undefined;
  if (manager === 'cargo' || manager === 'maven' || manager === 'gradle') return { manager, manifestsOnly: false };
  return undefined;
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
