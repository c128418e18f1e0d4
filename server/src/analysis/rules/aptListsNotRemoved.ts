import { APT } from '../data/packageManagers';
import { appendToRunEdit, isCommand, runMounts } from '../shell';
import { deletedPaths, pathWithin, runsInFinalImage } from '../shell/layers';
import type { Finding, Rule } from '../types';

// The package lists are written by `apt-get update`. A RUN that installs without updating uses lists
// some other layer wrote, and removing them here would not shrink that layer, so the rule looks at RUNs
// that both update and install (the layer that pays for the lists), and at cleanups after the update.
export const aptListsNotRemoved: Rule = {
  id: 'apt-lists-not-removed',
  defaultSeverity: 'warning',
  summary: 'apt-get update && apt-get install leaves /var/lib/apt/lists in the layer.',
  hadolint: ['DL3009'],
  check(model) {
    const findings: Finding[] = [];
    for (const { run, commands } of runsInFinalImage(model)) {
      if (runMounts(run).some((m) => m.type === 'cache' && m.target && pathWithin(m.target, [APT.listsDir]))) continue;
      let lastUpdate = -1;
      for (const c of commands) if (isCommand(c, APT.tools, 'update')) lastUpdate = c.index;
      if (lastUpdate < 0) continue;
      const install = commands.find((c) => c.index > lastUpdate && isCommand(c, APT.tools, APT.installSubcommands));
      if (!install) continue;
      const cleaned = commands.some((c) => c.index > lastUpdate
        && (deletedPaths(c).some((p) => pathWithin(p.text, [APT.listsDir])) || isCommand(c, APT.tools, APT.listsCleanupSubcommands)));
      if (cleaned) continue;
      const edit = appendToRunEdit(model, run, APT.listsCleanup);
      findings.push({
        range: install.range,
        message: `${install.argv[0]} install leaves the package lists from ${commands[lastUpdate].argv[0]} update in this layer (often 20–40 MB). Remove /var/lib/apt/lists/* at the end of the same RUN.`,
        fixes: edit ? [{ title: `Append \`${APT.listsCleanup}\` to this RUN`, edits: [edit], preferred: true, safe: true }] : [],
      });
    }
    return findings;
  },
};
