import { APT } from '../data/packageManagers';
import { textOf } from '../model';
import { isCommand } from '../shell';
import { adjacentRuns, deleteInstruction, stageRuns, type StageRun } from '../shell/layers';
import type { Finding, Fix, Rule } from '../types';
import type { DockerfileModel } from '../model';

const APT_TOOLS = [...APT.tools, 'add-apt-repository', 'apt-cache', 'apt-key', 'dpkg'];

/**
 * `RUN apt-get update` on its own is cached as a layer: when the install line changes later, the
 * builder reuses the old lists and installs stale versions (or fails on removed ones).
 */
export const aptUpdateInSeparateLayer: Rule = {
  id: 'apt-update-in-separate-layer',
  defaultSeverity: 'warning',
  summary: 'apt-get update runs in a different RUN than the install that needs it.',
  check(model) {
    const findings: Finding[] = [];
    for (const stage of model.stagesReachingTarget()) {
      const runs = stageRuns(model, stage);
      runs.forEach((current, i) => {
        const update = current.commands.find((c) => isCommand(c, APT.tools, 'update'));
        if (!update) return;
        const installsHere = current.commands.some((c) => c.index > update.index && isCommand(c, APT.tools, APT.installSubcommands));
        if (installsHere) return;
        const next = runs.slice(i + 1).find((r) => r.commands.some((c) => isCommand(c, APT.tools, APT.installSubcommands)));
        if (!next) return;
        const installLine = next.run.getRange().start.line + 1;
        const fix = mergeFix(model, current, next, runs.slice(i + 1));
        findings.push({
          range: update.range,
          message: `${update.argv[0]} update runs in its own layer; the install on line ${installLine} can then reuse stale package lists from the build cache. Run both in the same RUN.`,
          fixes: fix ? [fix] : [],
        });
      });
    }
    return findings;
  },
};

/**
 * Deletes the update-only RUN and runs the update right before the install. Offered only when the RUN
 * does nothing but update and no RUN in between touches apt (which would need the lists).
 */
function mergeFix(model: DockerfileModel, updateRun: StageRun, installRun: StageRun, after: StageRun[]): Fix | undefined {
  if (updateRun.run.getFlags().length > 0) return undefined;
  if (!updateRun.commands.every((c) => isCommand(c, APT.tools, 'update'))) return undefined;
  if (updateRun.commands.some((c) => c.inCondition || c.separatorAfter === '||' || c.separatorAfter === '|')) return undefined;
  for (const r of after) {
    if (r === installRun) break;
    if (r.commands.some((c) => APT_TOOLS.includes(c.argv[0] ?? ''))) return undefined;
  }
  const install = installRun.commands.find((c) => isCommand(c, APT.tools, APT.installSubcommands))!;
  if (install.inCondition || install.separatorBefore === '|' || install.separatorBefore === '||') return undefined;
  const before = installRun.commands.slice(0, install.index);
  if (before.some((c) => APT_TOOLS.includes(c.argv[0] ?? ''))) return undefined;
  const updateText = textOf(model, updateRun.commands[updateRun.commands.length - 1].range);
  // Safe (the same files, only in one layer) when nothing between the two RUNs could change what the
  // update fetches or how it runs: a COPY of sources.list, an ENV proxy, a USER, another RUN that adds a
  // repository without naming apt. Otherwise the merge is offered, but not applied unasked.
  // An ENV or ARG in between matters to the update only if it is a proxy or apt's own setting.
  // A failed update stopped the build; merged as `update && install`, it still does when nothing after
  // the install runs on regardless (`install; other` would end with other's status).
  const stops = install.depth === 0 && installRun.commands.every((c) => c.index < install.index || c.depth > 0 || c.separatorAfter === null || c.separatorAfter === '&&');
  const safe = adjacentRuns(updateRun.stage, updateRun.run, installRun.run, (name) => !/proxy|^APT_|^DPKG_/i.test(name)) && installRun.run.getFlags().length === 0 && stops;
  return {
    title: 'Merge apt-get update into the next install',
    edits: [
      deleteInstruction(model, updateRun.run),
      { range: { start: install.range.start, end: install.range.start }, newText: `${updateText} && ` },
    ],
    preferred: true,
    safe,
  };
}
