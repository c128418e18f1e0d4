import { APK } from '../data/packageManagers';
import { hasFlag, isCommand, subcommandOf, type ShellCommand } from '../shell';
import { deletedPaths, insertAfter, mountKeepsOut, onbuildPrefix, pathWithin, sizeRuleRuns } from '../shell/layers';
import type { Finding, Fix, Rule } from '../types';
import type { TextEdit } from 'vscode-languageserver-types';

// `apk add` without --no-cache stores the package index (APKINDEX, ~2 MB per repository) under
// /var/cache/apk; `apk update` does the same. `--no-cache` fetches the index to a temporary place.
export const apkCacheKept: Rule = {
  id: 'apk-cache-kept',
  defaultSeverity: 'warning',
  summary: 'apk add without --no-cache keeps the package index in the layer.',
  hadolint: ['DL3019'],
  check(model) {
    const findings: Finding[] = [];
    for (const stageRun of sizeRuleRuns(model)) {
      const { run, commands } = stageRun;
      if (mountKeepsOut(run, APK.cacheDirs)) continue;
      // --no-network installs from what is already there and fetches no index.
      const adds = commands.filter((c) => isCommand(c, APK.tools, APK.installSubcommands) && !hasFlag(c, APK.noCacheFlag, '--no-network'));
      const updates = commands.filter((c) => isCommand(c, APK.tools, 'update'));
      if (adds.length === 0 && updates.length === 0) continue;
      const writers = [...adds, ...updates];
      const lastWriter = Math.max(...writers.map((c) => c.index));
      const cleaned = commands.some((c) => c.index > lastWriter
        && (deletedPaths(c).some((p) => pathWithin(p.text, APK.cacheDirs)) || isCommand(c, APK.tools, 'cache')));
      if (cleaned) continue;
      // `apk update` alone, with every add using --no-cache, still leaves the index: only when some add follows.
      const anyAdd = commands.some((c) => isCommand(c, APK.tools, APK.installSubcommands));
      if (adds.length === 0 && !anyAdd) continue;
      const first = adds[0] ?? updates[0];
      const fix = noCacheFix(commands, adds, updates, !stageRun.onbuild);
      findings.push({
        range: first.range,
        message: onbuildPrefix(stageRun) + (adds.length > 0
          ? `apk ${subcommandOf(adds[0])?.text ?? 'add'} without ${APK.noCacheFlag} keeps the package index in /var/cache/apk in this layer. Use apk add ${APK.noCacheFlag}.`
          : `apk update keeps the package index in /var/cache/apk in this layer; apk add ${APK.noCacheFlag} fetches a fresh index without keeping it.`),
        fixes: fix ? [fix] : [],
        hadolint: 'DL3019',
      });
    }
    return findings;
  },
};

/** Adds --no-cache to every add and drops `apk update &&` (which --no-cache makes redundant). */
function noCacheFix(commands: ShellCommand[], adds: ShellCommand[], updates: ShellCommand[], safe: boolean): Fix | undefined {
  const edits: TextEdit[] = [];
  for (const add of adds) edits.push(insertAfter(subcommandOf(add)!, APK.noCacheFlag));
  for (const update of updates) {
    const next = commands[update.index + 1];
    // Only `apk update && next` / `apk update; next` at the same level can be cut out cleanly.
    if (!next || next.depth !== update.depth || (update.separatorAfter !== '&&' && update.separatorAfter !== ';')) return undefined;
    if (update.inCondition || next.inCondition || !isCommand(next, APK.tools, APK.installSubcommands)) return undefined;
    if (Object.keys(update.env).length > 0 || update.argv.length !== 2 && !update.argv.slice(2).every((a) => a.startsWith('-'))) return undefined;
    edits.push({ range: { start: update.range.start, end: next.range.start }, newText: '' });
  }
  return { title: `Use apk add ${APK.noCacheFlag}`, edits, preferred: true, safe };
}
