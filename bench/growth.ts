// Item 2: how analysis time grows with file length. Each size is timed repeatedly (at least
// `minMs` of CPU and `minRepeats` runs after a warm-up, split over rounds) and the median run is kept,
// then the exponent of a log-log fit over the sizes is reported: ~1 is linear, ~2 quadratic.
import { cpuNowMs } from './clock';
import type { Contender } from './contenders';
import { logLogSlope, median, round } from './stats';
import { syntheticDockerfile } from './syntheticDockerfile';

export const GROWTH_SIZES = [100, 800, 3200, 8000] as const;

export interface GrowthResult {
  sizes: number[];
  /** Median ms per size, per contender key. */
  ms: Record<string, number[]>;
  /** Log-log exponent per contender key. */
  exponents: Record<string, number>;
  /** Contenders that threw on a synthetic file (their times are null). */
  crashes: Record<string, string>;
}

function medianRunMs(contender: Contender, text: string, minMs: number, minRepeats: number): number {
  contender.lint(text); // warm-up for this size
  const runs: number[] = [];
  const started = cpuNowMs();
  while (runs.length < minRepeats || cpuNowMs() - started < minMs) {
    const t0 = cpuNowMs();
    contender.lint(text);
    runs.push(cpuNowMs() - t0);
    if (runs.length >= 1000) break;
  }
  return median(runs);
}

export function timeGrowth(contenders: readonly Contender[], options: { minMs: number; minRepeats: number; rounds: number }): GrowthResult {
  const sizes = [...GROWTH_SIZES];
  const texts = sizes.map(syntheticDockerfile);
  const best = new Map<string, number[]>(contenders.map((c) => [c.key, sizes.map(() => Infinity)]));
  const crashes: Record<string, string> = {};
  // Rounds interleave the contenders; each keeps its best median, which shrugs off a burst of load
  // from other processes during one contender's turn.
  for (let round = 0; round < options.rounds; round++) {
    for (const contender of contenders) {
      if (crashes[contender.key]) continue;
      try {
        texts.forEach((text, i) => {
          const ms = medianRunMs(contender, text, options.minMs / options.rounds, options.minRepeats);
          best.get(contender.key)![i] = Math.min(best.get(contender.key)![i], ms);
        });
      } catch (error) {
        crashes[contender.key] = String((error as Error)?.message ?? error).split('\n')[0];
      }
    }
  }
  const ms: Record<string, number[]> = {};
  const exponents: Record<string, number> = {};
  for (const contender of contenders) {
    if (crashes[contender.key]) continue;
    ms[contender.key] = best.get(contender.key)!.map((v) => round(v));
    exponents[contender.key] = round(logLogSlope(sizes.map((x, i) => ({ x, y: ms[contender.key][i] }))), 2);
  }
  return { sizes, ms, exponents, crashes };
}
