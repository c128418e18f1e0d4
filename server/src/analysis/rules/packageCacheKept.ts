import { DNF_LIKE, DNF_TWO_WORD_INSTALLS, JS_CACHES, ZYPPER, type OsPackageManager } from '../data/packageManagers';
import { appendKeepsExitStatus, appendToRunEdit, envAt, hasFlag, invocationOf, isCommand, positionalArgs, stageEnvAt, type ShellCommand } from '../shell';
import { deletedPaths, isYarnInstall, mountKeepsOut, onbuildPrefix, pathWithin, sizeRuleRuns, userAt, type StageRun } from '../shell/layers';
import type { DockerfileModel } from '../model';
import type { Finding, Rule } from '../types';

/** One package manager as this rule sees it: which commands fill the cache, which empty it. */
interface CacheOwner {
  /** The tool as the message names it: the one that filled the cache (`yum`, not the family's `dnf`). */
  label(filler: ShellCommand): string;
  fills(c: ShellCommand): boolean;
  empties(c: ShellCommand): boolean;
  cleanCommand(filler: ShellCommand): string;
  /** Where the cache of this filler is: a RUN --mount on one of these (or above) keeps it out of the layer. */
  cacheDirs(filler: ShellCommand): readonly string[];
  /** The hadolint code of this finding for the tool that filled the cache (hadolint has none for npm). */
  hadolint(filler: ShellCommand): string | undefined;
  /**
   * Whether the appended clean command removes nothing but the cache. yarn's is not: under yarn 2+
   * (berry) `yarn cache clean` empties the project's .yarn/cache, which Plug'n'Play loads the packages
   * from, and the Dockerfile does not say which yarn runs.
   */
  cleanOnlyRemovesCache: boolean;
  /** Env variables that move the cache elsewhere (then we cannot tell where it went). */
  relocatingEnv: readonly string[];
  relocatingFlags: readonly string[];
}

/** hadolint's codes: DL3032 yum, DL3040 dnf and microdnf, DL3036 zypper, DL3060 yarn. */
const OS_HADOLINT: Readonly<Record<string, string>> = { yum: 'DL3032', dnf: 'DL3040', dnf5: 'DL3040', microdnf: 'DL3040', zypper: 'DL3036' };

function osOwner(pm: OsPackageManager, twoWord: Readonly<Record<string, readonly string[]>> = {}): CacheOwner {
  const fillsTwoWords = (c: ShellCommand) => {
    const [first, second] = positionalArgs(c).map((w) => w.text);
    return first !== undefined && (twoWord[first]?.includes(second ?? '') ?? false);
  };
  return {
    label: (filler) => invocationOf(filler)?.tool ?? pm.tools[0],
    fills: (c) => isCommand(c, pm.tools, pm.installSubcommands) || (isCommand(c, pm.tools) && fillsTwoWords(c)),
    empties: (c) => isCommand(c, pm.tools, pm.cleanSubcommands) || deletedPaths(c).some((p) => pathWithin(p.text, pm.cacheDirs)),
    cleanCommand: (filler) => pm.cleanCommand(invocationOf(filler)?.tool ?? pm.tools[0]),
    cacheDirs: (filler) => pm.cacheDirsByTool?.[invocationOf(filler)?.tool ?? ''] ?? pm.cacheMountTargets,
    hadolint: (filler) => OS_HADOLINT[invocationOf(filler)?.tool ?? ''],
    cleanOnlyRemovesCache: true,
    relocatingEnv: [],
    relocatingFlags: [],
  };
}

function jsOwner(id: keyof typeof JS_CACHES): CacheOwner {
  const js = JS_CACHES[id];
  return {
    label: () => id,
    fills: (c) => isCommand(c, id, js.fillingSubcommands) || (id === 'yarn' && isYarnInstall(c)),
    // `npm cache clean` is also spelled `npm cache rm` and `npm cache clear`.
    empties: (c) => (isCommand(c, id, 'cache') && c.argv.some((a) => a === 'clean' || a === 'rm' || a === 'clear' || a === 'prune'))
      || deletedPaths(c).some((p) => js.cachePath.test(p.text)),
    cleanCommand: () => js.cleanCommand,
    cacheDirs: () => js.mountTargets,
    hadolint: () => (id === 'yarn' ? 'DL3060' : undefined),
    cleanOnlyRemovesCache: id === 'npm',
    relocatingEnv: js.relocatingEnv,
    relocatingFlags: js.relocatingFlags,
  };
}

const OWNERS: readonly CacheOwner[] = [jsOwner('npm'), jsOwner('yarn'), osOwner(DNF_LIKE, DNF_TWO_WORD_INSTALLS), osOwner(ZYPPER)];

export const packageCacheKept: Rule = {
  id: 'package-cache-kept',
  defaultSeverity: 'info',
  summary: 'npm, yarn, dnf/yum or zypper leave their download cache in the layer.',
  hadolint: ['DL3032', 'DL3036', 'DL3040', 'DL3060'],
  check(model) {
    const findings: Finding[] = [];
    for (const stageRun of sizeRuleRuns(model)) {
      for (const owner of OWNERS) {
        const finding = checkOwner(model, stageRun, owner);
        if (finding) findings.push(finding);
      }
    }
    return findings;
  },
};

function checkOwner(model: DockerfileModel, stageRun: StageRun, owner: CacheOwner): Finding | undefined {
  const { stage, run, commands } = stageRun;
  const fillers = commands.filter((c) => owner.fills(c) && !c.inCondition);
  if (fillers.length === 0) return undefined;
  if (fillers.every((c) => mountKeepsOut(run, owner.cacheDirs(c)))) return undefined;
  const last = fillers[fillers.length - 1];
  if (commands.some((c) => c.index > last.index && owner.empties(c))) return undefined;
  const stageEnv = stageEnvAt(model, stage, run);
  const relocated = fillers.some((c) => hasFlag(c, ...owner.relocatingFlags) || owner.relocatingEnv.some((v) => envAt(commands, c, stageEnv).has(v)));
  if (relocated) return undefined;
  const clean = owner.cleanCommand(last);
  // `sudo -u app npm install` fills app's cache; a clean appended as root would miss it.
  const edit = fillers.some((c) => c.runAs !== undefined) ? undefined : appendToRunEdit(model, run, clean);
  // Safe means it only removes the cache: the command must be the one that empties exactly it, and run
  // as root (under another USER, `sudo dnf install && dnf clean all` would fail the build).
  const safe = owner.cleanOnlyRemovesCache && !stageRun.onbuild && appendKeepsExitStatus(model, run) && /^(root|0)(:.*)?$/.test(userAt(model, stage, run));
  return {
    range: fillers[0].range,
    message: `${onbuildPrefix(stageRun)}${owner.label(fillers[0])} keeps its download cache in this layer. Run \`${clean}\` at the end of the same RUN, or use a BuildKit cache mount.`,
    fixes: edit ? [{ title: `Append \`${clean}\` to this RUN`, edits: [edit], preferred: true, safe }] : [],
    hadolint: owner.hadolint(last),
  };
}
