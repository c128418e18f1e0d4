// Where analysis time goes over the corpus, rule by rule (CPU ms, second of two passes so that the
// code is warm). A rule that computes a shared, cached fact first (a RUN's shell commands) pays for
// it; later rules get it free. Printed by `npm run bench` to show what to optimise when the corpus
// goal is missed.
import { DEFAULT_SETTINGS } from '../server/src/analysis/types';
import { cpuNowMs } from './clock';
import type { CorpusFile } from './corpus';
import { loadShipped } from './shippedAnalysis';
import { round } from './stats';

export interface RuleCost {
  id: string;
  totalMs: number;
  worstMs: number;
  worstFile: string;
}

export function measureRuleCosts(corpus: readonly CorpusFile[]): RuleCost[] {
  const { buildModel, allRules, collectSuppressions } = loadShipped();
  const ctx = { settings: { ...DEFAULT_SETTINGS } };
  let costs = new Map<string, RuleCost>();
  const add = (id: string, ms: number, file: string) => {
    const cost = costs.get(id) ?? { id, totalMs: 0, worstMs: 0, worstFile: '' };
    cost.totalMs += ms;
    if (ms > cost.worstMs) Object.assign(cost, { worstMs: ms, worstFile: file });
    costs.set(id, cost);
  };
  for (let pass = 0; pass < 2; pass++) {
    costs = new Map();
    for (const file of corpus) {
      let started = cpuNowMs();
      const model = buildModel(file.text);
      add('(model: parse + stage graph)', cpuNowMs() - started, file.name);
      started = cpuNowMs();
      collectSuppressions(model);
      add('(suppressions)', cpuNowMs() - started, file.name);
      for (const rule of allRules) {
        started = cpuNowMs();
        try {
          rule.check(model, ctx);
        } catch {
          // Crashes are the robustness tests' business; this only measures time.
        }
        add(rule.id, cpuNowMs() - started, file.name);
      }
    }
  }
  return [...costs.values()]
    .sort((a, b) => b.totalMs - a.totalMs)
    .map((c) => ({ ...c, totalMs: round(c.totalMs, 1), worstMs: round(c.worstMs, 2) }));
}
