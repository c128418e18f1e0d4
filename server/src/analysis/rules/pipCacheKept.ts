import { LANGUAGE_MANAGERS, PIP_NO_CACHE_ENV, PIP_NO_CACHE_FLAGS } from '../data/packageManagers';
import { envAt, hasFlag, isCommand, stageEnvAt, subcommandOf } from '../shell';
import { deletedPaths, insertAfter, mountKeepsOut, onbuildPrefix, pathWithin, runTextMatchesUpTo, sizeRuleRuns } from '../shell/layers';
import type { Finding, Rule } from '../types';

const PIP_CACHE = LANGUAGE_MANAGERS.pip.cacheDirs;
/** `pip config set global.no-cache-dir false` or a pip.conf line `no-cache-dir = …`. */
const PIP_CONFIG_NO_CACHE = /config\s+set\s+\S*no[-_]cache[-_]dir|no[-_]cache[-_]dir\s*=/i;

export const pipCacheKept: Rule = {
  id: 'pip-cache-kept',
  defaultSeverity: 'info',
  summary: 'pip install keeps its download/wheel cache in the layer.',
  hadolint: ['DL3042'],
  check(model) {
    const findings: Finding[] = [];
    for (const stageRun of sizeRuleRuns(model)) {
      const { stage, run, commands } = stageRun;
      const installs = commands.filter((c) => isCommand(c, 'pip', 'install'));
      if (installs.length === 0) continue;
      if (mountKeepsOut(run, PIP_CACHE)) continue;
      // `pip config set global.no-cache-dir …` or a pip.conf written earlier turns the cache off for the stage.
      const configured = runTextMatchesUpTo(model, stage, run, PIP_CONFIG_NO_CACHE);
      if (configured) continue;
      const stageEnv = stageEnvAt(model, stage, run);
      let lastCleanup = -1;
      for (const c of commands) {
        if (deletedPaths(c).some((p) => pathWithin(p.text, [...PIP_CACHE, '/root/.cache', '~/.cache', '$HOME/.cache'])) || isCommand(c, 'pip', 'cache')) lastCleanup = c.index;
      }
      for (const install of installs) {
        if (hasFlag(install, ...PIP_NO_CACHE_FLAGS, '--cache-dir')) continue;
        const env = envAt(commands, install, stageEnv);
        if (Object.entries(PIP_NO_CACHE_ENV).some(([name, accepts]) => env.has(name) && accepts(env.get(name)!))) continue;
        if (lastCleanup > install.index) continue;
        findings.push({
          range: install.range,
          message: onbuildPrefix(stageRun) + 'pip install keeps its cache (~/.cache/pip) in this layer. Add --no-cache-dir, or use RUN --mount=type=cache,target=/root/.cache/pip.',
          fixes: [{ title: 'Add --no-cache-dir', edits: [insertAfter(subcommandOf(install)!, '--no-cache-dir')], preferred: true, safe: !stageRun.onbuild }],
          hadolint: 'DL3042',
        });
      }
    }
    return findings;
  },
};
