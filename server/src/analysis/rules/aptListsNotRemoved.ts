import { APT } from '../data/packageManagers';
import { appendKeepsExitStatus, appendToRunEdit, invocationOf, isCommand, positionalArgs, subcommandOf, type ShellCommand } from '../shell';
import { deletedPaths, mountKeepsOut, onbuildPrefix, pathWithin, sizeRuleRuns, stageRuns, userAt, type StageRun } from '../shell/layers';
import { baseChain } from '../stageFacts';
import type { DockerfileModel } from '../model';
import type { Finding, Rule } from '../types';

// The package lists are written by `apt-get update`, into the layer of the RUN that updates. A RUN that
// installs without updating uses lists some other layer wrote, and removing them there would not
// shrink that layer, so the rule looks at the RUNs that update: one that also installs should remove
// the lists at its end; one that only updates keeps them in its layer for good (no later RUN can take
// them out of it), and the fix is to update in the RUN that installs (apt-update-in-separate-layer).
export const aptListsNotRemoved: Rule = {
  id: 'apt-lists-not-removed',
  defaultSeverity: 'warning',
  summary: 'apt-get update && apt-get install leaves /var/lib/apt/lists in the layer.',
  hadolint: ['DL3009'],
  check(model) {
    const findings: Finding[] = [];
    for (const stageRun of sizeRuleRuns(model)) {
      const { run, commands } = stageRun;
      if (mountKeepsOut(run, [APT.listsDir])) continue;
      let lastUpdate = -1;
      for (const c of commands) if (isCommand(c, APT.tools, 'update')) lastUpdate = c.index;
      if (lastUpdate < 0) continue;
      const install = commands.find((c) => c.index > lastUpdate && isCommand(c, APT.tools, APT.installSubcommands));
      const cleaned = commands.some((c) => c.index > lastUpdate
        && (deletedPaths(c).some((p) => pathWithin(p.text, [APT.listsDir])) || isCommand(c, APT.tools, APT.listsCleanupSubcommands)));
      if (cleaned) continue;
      // Only the update (nothing after it in this RUN): the lists can only go in this RUN, which would
      // leave the next RUN's install without them, so no fix here.
      if (!install && !commands.some((c) => c.index > lastUpdate && c.argv.length > 0)) {
        const update = commands[lastUpdate];
        findings.push({
          range: update.range,
          message: `${onbuildPrefix(stageRun)}${update.argv[0]} update on its own leaves the package lists in this layer for good (often 20–40 MB): removing them in a later RUN does not shrink this one. Update in the RUN that installs, and remove /var/lib/apt/lists/* at its end.`,
          hadolint: 'DL3009',
        });
        continue;
      }
      const edit = appendToRunEdit(model, run, APT.listsCleanup);
      const update = commands[lastUpdate];
      findings.push({
        range: (install ?? update).range,
        // After the update the RUN may install some other way (a script, xargs): the lists stay all the same.
        message: install
          ? `${onbuildPrefix(stageRun)}${install.argv[0]} install leaves the package lists from ${update.argv[0]} update in this layer (often 20–40 MB). Remove /var/lib/apt/lists/* at the end of the same RUN.`
          : `${onbuildPrefix(stageRun)}${update.argv[0]} update leaves the package lists in this layer (often 20–40 MB), and nothing later in this RUN removes them. Remove /var/lib/apt/lists/* at the end of the same RUN.`,
        fixes: edit ? [{ title: `Append \`${APT.listsCleanup}\` to this RUN`, edits: [edit], preferred: true, safe: !stageRun.onbuild && appendKeepsExitStatus(model, run) && runsAsRoot(model, stageRun) && !laterAptNeedsLists(model, stageRun) }] : [],
        hadolint: 'DL3009',
      });
    }
    return findings;
  },
};

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ash']);
/** apt subcommands that need no lists, or fetch their own. */
const LIST_FREE = new Set(['update', 'clean', 'autoclean', 'dist-clean', 'distclean', 'purge', 'remove', 'autoremove', '--version']);

/**
 * Whether a RUN after this one, in its stage or a stage built FROM it, may still read the lists (an
 * apt command with no update of its own before it, or a script we cannot see into): removing them
 * would then break that RUN, so the fix is not safe to apply unasked.
 */
function laterAptNeedsLists(model: DockerfileModel, current: StageRun): boolean {
  const stages = model.stages.filter((s) => s === current.stage || (s.index > current.stage.index && baseChain(model, s).includes(current.stage)));
  let after = false;
  for (const stage of stages) {
    for (const later of stageRuns(model, stage)) {
      if (later.run === current.run) {
        after = true;
        continue;
      }
      if (stage === current.stage && !after) continue;
      let updated = false;
      for (const c of later.commands) {
        const tool = invocationOf(c)?.tool ?? '';
        if (isCommand(c, APT.tools, 'update')) updated = true;
        else if ((APT.tools.includes(tool) || tool === 'apt-cache' || tool === 'add-apt-repository') && !updated && !LIST_FREE.has(subcommandOf(c)?.text ?? '')) return true;
        else if (runsScript(c)) return true;
      }
    }
  }
  return false;
}

/** `sh x.sh`, `./install.sh`, `/opt/setup`, `curl … | bash`: a script whose commands we cannot read. */
function runsScript(c: ShellCommand): boolean {
  const tool = invocationOf(c)?.tool ?? '';
  if (SHELLS.has(tool)) return c.separatorBefore === '|' || positionalArgs(c).length > 0 && !c.argv.includes('-c');
  const first = c.argv[0] ?? '';
  return /^\.{0,2}\//.test(first) && !/^\/(usr\/)?s?bin\//.test(first);
}

/** Under another USER, `sudo apt-get install` works but an appended `rm -rf /var/lib/apt/lists/*` fails the build. */
function runsAsRoot(model: DockerfileModel, { stage, run }: StageRun): boolean {
  return /^(root|0)(:.*)?$/.test(userAt(model, stage, run));
}
