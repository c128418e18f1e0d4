import { APT } from '../data/packageManagers';
import { flagValues, hasFlag, isCommand, positionalArgs, subcommandOf } from '../shell';
import { insertAfter, onbuildPrefix, runTextMatchesUpTo, sizeRuleRuns } from '../shell/layers';
import type { Finding, Rule } from '../types';

const RECOMMENDS_OFF = /Install-Recommends\s*(=|\s)\s*"?(false|0|no|off)"?/i;

export const aptRecommendsInstalled: Rule = {
  id: 'apt-recommends-installed',
  defaultSeverity: 'info',
  summary: 'apt-get install pulls in recommended packages the image does not need.',
  hadolint: ['DL3015'],
  check(model) {
    const findings: Finding[] = [];
    for (const stageRun of sizeRuleRuns(model)) {
      const { stage, run, commands } = stageRun;
      // An apt.conf setting written by this or an earlier RUN (echo 'APT::Install-Recommends "0";' > …)
      // applies too; looked up once per stage and RUN (per install it was quadratic, found by the lead).
      const configuredByEarlierRun = () => runTextMatchesUpTo(model, stage, run, RECOMMENDS_OFF);
      for (const c of commands) {
        if (!isCommand(c, ['apt-get', 'apt'], 'install')) continue;
        if (hasFlag(c, APT.noRecommendsFlag)) continue;
        // `apt-get -f install` with no package names repairs dependencies; it chooses nothing new.
        if (positionalArgs(c).length < 2) continue;
        if ([...flagValues(c, '-o'), ...flagValues(c, '--option')].some((v) => RECOMMENDS_OFF.test(v))) continue;
        if (c.argv.some((a) => RECOMMENDS_OFF.test(a))) continue;
        if (configuredByEarlierRun()) continue;
        const sub = subcommandOf(c)!;
        findings.push({
          range: c.range,
          message: `${onbuildPrefix(stageRun)}${c.argv[0]} install also installs every recommended package; add ${APT.noRecommendsFlag} and name the few you need.`,
          fixes: [{ title: `Add ${APT.noRecommendsFlag}`, edits: [insertAfter(sub, APT.noRecommendsFlag)], preferred: true }],
          hadolint: 'DL3015',
        });
      }
    }
    return findings;
  },
};
