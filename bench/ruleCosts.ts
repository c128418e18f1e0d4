// `node --import tsx bench/ruleCosts.ts`: where analysis time goes, rule by rule, over the corpus
// (CPU ms after a warm-up). For finding the rule to optimise when the corpus goal in run.ts is missed.
import { resolve } from 'node:path';
import { buildModel } from '../server/src/analysis/model';
import { allRules } from '../server/src/analysis/rules';
import { collectSuppressions } from '../server/src/analysis/suppression';
import { DEFAULT_SETTINGS } from '../server/src/analysis/types';
import { cpuNowMs } from './clock';
import { loadCorpus } from './corpus';
import { table } from './stats';

const corpus = loadCorpus(resolve(__dirname, '..', '..', 'shared', 'corpus', 'files'));
const ctx = { settings: { ...DEFAULT_SETTINGS } };
const models = corpus.map((f) => buildModel(f.text));
const costs = new Map<string, { ms: number; worstMs: number; worstFile: string }>();
const add = (key: string, ms: number, file: string) => {
  const c = costs.get(key) ?? { ms: 0, worstMs: 0, worstFile: '' };
  c.ms += ms;
  if (ms > c.worstMs) Object.assign(c, { worstMs: ms, worstFile: file });
  costs.set(key, c);
};
for (let pass = 0; pass < 2; pass++) {
  costs.clear();
  corpus.forEach((file, i) => {
    let t = cpuNowMs();
    const model = buildModel(file.text);
    add('(model: parse + stage graph)', cpuNowMs() - t, file.name);
    t = cpuNowMs();
    collectSuppressions(models[i]);
    add('(suppressions)', cpuNowMs() - t, file.name);
    for (const rule of allRules) {
      t = cpuNowMs();
      try {
        rule.check(model, ctx);
      } catch {
        // Crashes are the robustness test's business; this only measures time.
      }
      add(rule.id, cpuNowMs() - t, file.name);
    }
  });
}
const rows = [...costs].sort((a, b) => b[1].ms - a[1].ms).map(([id, c]) => [id, Math.round(c.ms), c.worstMs, c.worstFile.slice(0, 70)]);
process.stdout.write(table(['rule', 'total CPU ms', 'worst file ms', 'worst file'], rows) + '\n');
