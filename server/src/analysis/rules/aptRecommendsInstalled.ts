import { APT } from '../data/packageManagers';
import { flagValues, hasFlag, isCommand, positionalArgs, subcommandOf } from '../shell';
import { earlierRuns, insertAfter, runsInFinalImage } from '../shell/layers';
import { offsetAt } from '../model';
import type { Finding, Rule } from '../types';

const RECOMMENDS_OFF = /Install-Recommends\s*(=|\s)\s*"?(false|0|no|off)"?/i;

export const aptRecommendsInstalled: Rule = {
  id: 'apt-recommends-installed',
  defaultSeverity: 'info',
  summary: 'apt-get install pulls in recommended packages the image does not need.',
  hadolint: ['DL3015'],
  check(model) {
    const findings: Finding[] = [];
    for (const { stage, run, commands } of runsInFinalImage(model)) {
      // An apt.conf setting written by an earlier RUN (echo 'APT::Install-Recommends "0";' > …) applies
      // too. Looked up once per RUN, not per install: per install it made the rule quadratic in the
      // length of a RUN (measured: 5,000 installs in one RUN took 0.55 s, 50,000 about a minute).
      let configured: boolean | undefined;
      const configuredByEarlierRun = () =>
        (configured ??= [...earlierRuns(model, stage, run), { run }].some(({ run: r }) => {
          const range = r.getRange();
          return RECOMMENDS_OFF.test(model.text.slice(offsetAt(model, range.start), offsetAt(model, range.end)));
        }));
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
          message: `${c.argv[0]} install also installs every recommended package; add ${APT.noRecommendsFlag} and name the few you need.`,
          fixes: [{ title: `Add ${APT.noRecommendsFlag}`, edits: [insertAfter(sub, APT.noRecommendsFlag)], preferred: true }],
        });
      }
    }
    return findings;
  },
};
