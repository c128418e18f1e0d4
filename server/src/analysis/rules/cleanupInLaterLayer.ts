import type { Instruction } from 'dockerfile-ast';
import { APK, APT, DNF_LIKE, JS_CACHES, LANGUAGE_MANAGERS, PIP_NO_CACHE_FLAGS } from '../data/packageManagers';
import { textOf, type DockerfileModel } from '../model';
import { appendKeepsExitStatus, appendToRunEdit, hasFlag, invocationOf, isCommand, positionalArgs, subcommandOf, type ShellCommand, type ShellWord } from '../shell';
import { adjacentRuns, copyArgsOf, deletedPaths, deleteInstruction, isYarnInstall, mountKeepsOut, pathWithin, resolveShellPath, runsInFinalImage, type StageRun } from '../shell/layers';
import { baseChain, buildOrder, workdirAt } from '../stageFacts';
import type { Finding, Fix, Rule } from '../types';

/**
 * Things one layer creates that a later layer may try to delete. `creates` says whether a command
 * leaves them behind; `cleans` whether a command removes them (by path or by the tool's own command).
 */
interface Artifact {
  label: string;
  creates(c: ShellCommand, run: StageRun): boolean;
  cleans(c: ShellCommand): boolean;
}

/** Files worth the warning when copied and deleted later: archives, packages, installers. */
const ARCHIVE = /\.(tar|tgz|tar\.gz|tar\.xz|tar\.bz2|tar\.zst|zip|7z|gz|xz|bz2|deb|rpm|apk|whl|jar|war|run|bin|iso|msi|pkg)$/i;

const hasCacheMount = (run: StageRun, dirs: readonly string[]) => mountKeepsOut(run.run, dirs);
const removes = (c: ShellCommand, dirs: readonly string[]) => deletedPaths(c).some((p) => pathWithin(p.text, dirs));

const ARTIFACTS: readonly Artifact[] = [
  {
    label: 'the apt package lists',
    creates: (c, run) => isCommand(c, APT.tools, 'update') && !hasCacheMount(run, [APT.listsDir]),
    cleans: (c) => removes(c, [APT.listsDir]) || isCommand(c, APT.tools, APT.listsCleanupSubcommands),
  },
  {
    label: 'the npm cache',
    creates: (c, run) => isCommand(c, 'npm', JS_CACHES.npm.fillingSubcommands) && !hasFlag(c, '--cache') && !hasCacheMount(run, JS_CACHES.npm.mountTargets),
    // `npm cache clean` is also spelled `npm cache rm` and `npm cache clear`.
    cleans: (c) => (isCommand(c, 'npm', 'cache') && c.argv.some((a) => a === 'clean' || a === 'rm' || a === 'clear')) || deletedPaths(c).some((p) => JS_CACHES.npm.cachePath.test(p.text)),
  },
  {
    label: 'the yarn cache',
    creates: (c, run) => (isYarnInstall(c) || isCommand(c, 'yarn', JS_CACHES.yarn.fillingSubcommands)) && !hasCacheMount(run, JS_CACHES.yarn.mountTargets),
    cleans: (c) => (isCommand(c, 'yarn', 'cache') && c.argv.includes('clean')) || deletedPaths(c).some((p) => JS_CACHES.yarn.cachePath.test(p.text)),
  },
  {
    label: "pip's cache",
    creates: (c, run) => isCommand(c, 'pip', 'install') && !hasFlag(c, ...PIP_NO_CACHE_FLAGS) && !hasCacheMount(run, LANGUAGE_MANAGERS.pip.cacheDirs),
    cleans: (c) => isCommand(c, 'pip', 'cache') || removes(c, [...LANGUAGE_MANAGERS.pip.cacheDirs]),
  },
  {
    label: 'the apk cache',
    creates: (c, run) => (isCommand(c, APK.tools, 'update') || (isCommand(c, APK.tools, 'add') && !hasFlag(c, APK.noCacheFlag))) && !hasCacheMount(run, APK.cacheDirs),
    cleans: (c) => isCommand(c, APK.tools, 'cache') || removes(c, APK.cacheDirs),
  },
  {
    label: 'the dnf/yum cache',
    creates: (c, run) => isCommand(c, DNF_LIKE.tools, DNF_LIKE.installSubcommands) && !hasCacheMount(run, DNF_LIKE.cacheDirs),
    cleans: (c) => isCommand(c, DNF_LIKE.tools, 'clean') || removes(c, DNF_LIKE.cacheDirs),
  },
];

export const cleanupInLaterLayer: Rule = {
  id: 'cleanup-in-later-layer',
  defaultSeverity: 'warning',
  summary: 'A RUN deletes files that an earlier layer created; the bytes stay in the image.',
  check(model) {
    const runs = runsInFinalImage(model);
    const findings: Finding[] = [];
    runs.forEach((current, i) => {
      const earlier = runs.slice(0, i);
      const cleaners = current.commands.filter(mayClean);
      for (const artifact of cleaners.length > 0 ? ARTIFACTS : []) {
        const finding = checkArtifact(model, artifact, current, cleaners, earlier, runs);
        if (finding) findings.push(finding);
      }
      findings.push(...packageRemovals(current, earlier), ...copiedFileRemovals(model, current));
      if (current.commands.some((c) => deletedPaths(c).some((p) => /node_modules/.test(p.text)))) findings.push(...nodeModulesRemovals(model, current, earlier));
    });
    return findings;
  },
};

/** Tools whose own subcommands clean an artifact (`apt-get clean`, `npm cache clean`, `dnf clean all`…). */
const CLEANING_TOOLS = new Set<string>([...APT.tools, 'npm', 'yarn', 'pip', ...APK.tools, ...DNF_LIKE.tools]);

/**
 * Whether some artifact's cleans() may hold for the command: it deletes paths, or runs one of
 * CLEANING_TOOLS. Most commands do neither, and are not asked six times. Keep in step with ARTIFACTS
 * (test/unit/rules/cleanupInLaterLayer.test.ts checks it over the corpus).
 */
export function mayClean(c: ShellCommand): boolean {
  return deletedPaths(c).length > 0 || CLEANING_TOOLS.has(invocationOf(c)?.tool ?? '');
}

/** Whether any artifact's cleans() holds (for the test of mayClean). */
export function cleansAnArtifact(c: ShellCommand): boolean {
  return ARTIFACTS.some((a) => a.cleans(c));
}

function checkArtifact(model: DockerfileModel, artifact: Artifact, current: StageRun, cleaners: readonly ShellCommand[], earlier: readonly StageRun[], all: readonly StageRun[]): Finding | undefined {
  const cleanup = cleaners.find((c) => artifact.cleans(c));
  if (!cleanup) return undefined;
  if (current.commands.some((c) => c.index < cleanup.index && artifact.creates(c, current))) return undefined;
  // The most recent earlier layer that created the artifact and left it there.
  const creator = earlier.findLast((r) => {
    const made = r.commands.filter((c) => artifact.creates(c, r));
    if (made.length === 0) return false;
    const last = made[made.length - 1].index;
    return !r.commands.some((c) => c.index > last && artifact.cleans(c));
  });
  if (!creator) return undefined;
  const line = creator.run.getRange().start.line + 1;
  return {
    range: cleanup.range,
    message: `This RUN removes ${artifact.label} that the RUN on line ${line} left in its layer: the bytes stay in that layer, so the image is no smaller. Clean up in the RUN on line ${line}.`,
    fixes: moveFix(model, artifact, current, creator, all),
  };
}

/**
 * Moves the cleanup into the creating RUN. Only when it is safe: the cleanup RUN does nothing else, has
 * no flags, and no RUN between the two could still need the files.
 */
function moveFix(model: DockerfileModel, artifact: Artifact, current: StageRun, creator: StageRun, all: readonly StageRun[]): Fix[] {
  if (current.stage !== creator.stage || current.run.getFlags().length > 0) return [];
  if (!current.commands.every((c) => artifact.cleans(c) && c.depth === 0 && !c.inCondition)) return [];
  if (all.indexOf(current) !== all.indexOf(creator) + 1) return [];
  const cleanupText = current.commands.map((c) => textOf(model, c.range)).join(' && ');
  const append = appendToRunEdit(model, creator.run, cleanupText);
  if (!append) return [];
  // The same files in the end, when the cleanup runs where it ran before in all but the layer: nothing
  // between the two RUNs that could change its user, directory, environment or the files it removes.
  const safe = adjacentRuns(current.stage, creator.run, current.run) && creator.run.getFlags().length === 0 && appendKeepsExitStatus(model, creator.run);
  return [{ title: `Move the cleanup into the RUN on line ${creator.run.getRange().start.line + 1}`, edits: [append, deleteInstruction(model, current.run)], preferred: true, safe }];
}

/** `apt-get purge gcc` / `apk del .build-deps` of packages an earlier RUN installed. */
function packageRemovals(current: StageRun, earlier: readonly StageRun[]): Finding[] {
  const findings: Finding[] = [];
  const managers = [
    { tools: APT.tools, install: APT.installSubcommands, remove: ['purge', 'remove'] as readonly string[] },
    { tools: APK.tools, install: APK.installSubcommands, remove: ['del'] as readonly string[] },
  ];
  for (const m of managers) {
    for (const removal of current.commands.filter((c) => isCommand(c, m.tools, m.remove))) {
      const removed = packagesOf(removal);
      if (current.commands.some((c) => c.index < removal.index && isCommand(c, m.tools, m.install) && packagesOf(c).some((p) => removed.includes(p)))) continue;
      const installer = earlier.findLast((r) => r.commands.some((c) => isCommand(c, m.tools, m.install) && installedNames(c).some((p) => removed.includes(p))));
      if (!installer) continue;
      findings.push({
        range: removal.range,
        message: `${removal.argv[0]} ${subcommandOf(removal)!.text} removes packages the RUN on line ${installer.run.getRange().start.line + 1} installed: their files stay in that layer. Install, use and remove them in one RUN.`,
      });
    }
  }
  return findings;
}

function packagesOf(c: ShellCommand): string[] {
  return positionalArgs(c).slice(1).map((w) => w.text.replace(/[=:].*$/, ''));
}

/** Package names an install makes removable, including apk's `--virtual NAME` / `-t NAME`. */
function installedNames(c: ShellCommand): string[] {
  const names = packagesOf(c);
  const words = c.argv;
  for (let i = 0; i < words.length; i++) {
    if ((words[i] === '--virtual' || words[i] === '-t') && words[i + 1]) names.push(words[i + 1]);
    else if (words[i].startsWith('--virtual=')) names.push(words[i].slice('--virtual='.length));
  }
  return names;
}

/** `rm -rf node_modules` after an earlier RUN installed them in the same folder. */
function nodeModulesRemovals(model: DockerfileModel, current: StageRun, earlier: readonly StageRun[]): Finding[] {
  const dir = workdirAt(model, current.stage, current.run);
  const targets = current.commands.flatMap((c) => deletedPaths(c).filter((p) => /(^|\/)node_modules\/?$/.test(p.text)).map((p) => ({ c, p, path: resolveShellPath(dir, p.text) })));
  const findings: Finding[] = [];
  for (const { c, p, path } of targets) {
    if (!path || current.commands.some((x) => x.index < c.index && installsNodeModules(x))) continue;
    const installer = earlier.findLast((r) => {
      if (r.commands.some((x) => isCommand(x, 'cd'))) return false;
      const modules = resolveShellPath(workdirAt(model, r.stage, r.run), 'node_modules');
      return modules === path && r.commands.some(installsNodeModules);
    });
    if (!installer) continue;
    findings.push({
      range: rangeOfWord(p, c),
      message: `This RUN deletes the node_modules that the RUN on line ${installer.run.getRange().start.line + 1} installed: they stay in that layer. Install only what the image needs (for example npm ci --omit=dev) in one RUN, or build in a separate stage.`,
    });
  }
  return findings;
}

function installsNodeModules(c: ShellCommand): boolean {
  return isCommand(c, 'npm', ['ci', 'install', 'i']) || isYarnInstall(c) || isCommand(c, 'pnpm', ['install', 'i']);
}

/** `rm /tmp/app.tar.gz` after `COPY app.tar.gz /tmp/`: the archive stays in the COPY layer. */
function copiedFileRemovals(model: DockerfileModel, current: StageRun): Finding[] {
  const removesArchive = current.commands.some((c) => isCommand(c, 'rm') && deletedPaths(c).some((w) => ARCHIVE.test(w.text)));
  if (!removesArchive) return [];
  const copies: { instruction: Instruction; paths: string[] }[] = [];
  for (const stage of buildOrder(model, current.stage)) {
    for (const instruction of stage.instructions) {
      if (instruction === current.run) break;
      const args = copyArgsOf(instruction);
      if (!args?.destination || args.sources.length === 0) continue;
      const dir = workdirAt(model, stage, instruction);
      const dest = args.destination.value;
      const paths: string[] = [];
      for (const source of args.sources) {
        const base = source.value.replace(/\/+$/, '').split('/').pop() ?? '';
        if (!base || /[*?[\]$]/.test(base) || base === '.' || /^[a-z]+:\/\//i.test(source.value)) continue;
        const intoDir = resolveShellPath(dir, `${dest}/${base}`);
        if (intoDir) paths.push(intoDir);
        if (!dest.endsWith('/') && args.sources.length === 1) {
          const asFile = resolveShellPath(dir, dest);
          if (asFile) paths.push(asFile);
        }
      }
      if (paths.length > 0) copies.push({ instruction, paths });
    }
  }
  const dir = workdirAt(model, current.stage, current.run);
  const findings: Finding[] = [];
  for (const c of current.commands) {
    if (!isCommand(c, 'rm')) continue;
    for (const word of deletedPaths(c)) {
      // Only archives and packages: deleting a copied script or config file saves a few bytes at most.
      if (!ARCHIVE.test(word.text)) continue;
      const path = resolveShellPath(dir, word.text.replace(/\/\*$/, ''));
      if (!path || path === '/') continue;
      const copy = copies.find((x) => x.paths.some((p) => p === path || p.startsWith(`${path}/`)));
      if (!copy) continue;
      findings.push({
        range: rangeOfWord(word, c),
        message: `${word.text} was added by the ${copy.instruction.getKeyword()} on line ${copy.instruction.getRange().start.line + 1}; deleting it here leaves it in that layer. Use RUN --mount=type=bind (or a build stage) so it never becomes a layer.`,
      });
    }
  }
  return findings;
}

function rangeOfWord(word: ShellWord, c: ShellCommand) {
  return word.range ?? c.range;
}
