import { DNF_LIKE, JS_CACHES, ZYPPER, type OsPackageManager } from '../data/packageManagers';
import { appendToRunEdit, envAt, hasFlag, isCommand, runMounts, stageEnvAt, type ShellCommand } from '../shell';
import { deletedPaths, isYarnInstall, pathWithin, runsInFinalImage, type StageRun } from '../shell/layers';
import type { DockerfileModel } from '../model';
import type { Finding, Rule } from '../types';

/** One package manager as this rule sees it: which commands fill the cache, which empty it. */
interface CacheOwner {
  label: string;
  fills(c: ShellCommand): boolean;
  empties(c: ShellCommand): boolean;
  cleanCommand(filler: ShellCommand): string;
  mountTargets: readonly string[];
  /** Env variables that move the cache elsewhere (then we cannot tell where it went). */
  relocatingEnv: readonly string[];
  relocatingFlags: readonly string[];
}

function osOwner(pm: OsPackageManager): CacheOwner {
  return {
    label: pm.tools[0],
    fills: (c) => isCommand(c, pm.tools, pm.installSubcommands),
    empties: (c) => isCommand(c, pm.tools, pm.cleanSubcommands) || deletedPaths(c).some((p) => pathWithin(p.text, pm.cacheDirs)),
    cleanCommand: (filler) => pm.cleanCommand(filler.argv[0].replace(/^.*\//, '')),
    mountTargets: pm.cacheMountTargets,
    relocatingEnv: [],
    relocatingFlags: [],
  };
}

function jsOwner(id: keyof typeof JS_CACHES): CacheOwner {
  const js = JS_CACHES[id];
  return {
    label: id,
    fills: (c) => isCommand(c, id, js.fillingSubcommands) || (id === 'yarn' && isYarnInstall(c)),
    empties: (c) => (isCommand(c, id, 'cache') && c.argv.some((a) => a === 'clean' || a === 'rm' || a === 'prune'))
      || deletedPaths(c).some((p) => js.cachePath.test(p.text)),
    cleanCommand: () => js.cleanCommand,
    mountTargets: js.mountTargets,
    relocatingEnv: js.relocatingEnv,
    relocatingFlags: js.relocatingFlags,
  };
}

const OWNERS: readonly CacheOwner[] = [jsOwner('npm'), jsOwner('yarn'), osOwner(DNF_LIKE), osOwner(ZYPPER)];

export const packageCacheKept: Rule = {
  id: 'package-cache-kept',
  defaultSeverity: 'info',
  summary: 'npm, yarn, dnf/yum or zypper leave their download cache in the layer.',
  hadolint: ['DL3032', 'DL3036', 'DL3040', 'DL3060'],
  check(model) {
    const findings: Finding[] = [];
    for (const stageRun of runsInFinalImage(model)) {
      for (const owner of OWNERS) {
        const finding = checkOwner(model, stageRun, owner);
        if (finding) findings.push(finding);
      }
    }
    return findings;
  },
};

function checkOwner(model: DockerfileModel, { stage, run, commands }: StageRun, owner: CacheOwner): Finding | undefined {
  const fillers = commands.filter((c) => owner.fills(c) && !c.inCondition);
  if (fillers.length === 0) return undefined;
  if (runMounts(run).some((m) => m.type === 'cache' && m.target && pathWithin(m.target, owner.mountTargets))) return undefined;
  const last = fillers[fillers.length - 1];
  if (commands.some((c) => c.index > last.index && owner.empties(c))) return undefined;
  const stageEnv = stageEnvAt(model, stage, run);
  const relocated = fillers.some((c) => hasFlag(c, ...owner.relocatingFlags) || owner.relocatingEnv.some((v) => envAt(commands, c, stageEnv).has(v)));
  if (relocated) return undefined;
  const clean = owner.cleanCommand(last);
  // `sudo -u app npm install` fills app's cache; a clean appended as root would miss it.
  const edit = fillers.some((c) => c.runAs !== undefined) ? undefined : appendToRunEdit(model, run, clean);
  return {
    range: fillers[0].range,
    message: `${owner.label} keeps its download cache in this layer. Run \`${clean}\` at the end of the same RUN, or use a BuildKit cache mount.`,
    fixes: edit ? [{ title: `Append \`${clean}\` to this RUN`, edits: [edit], preferred: true, safe: true }] : [],
  };
}
