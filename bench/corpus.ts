// Item 1: every contender over every corpus file, in one process, after a warm-up. Rounds interleave
// the contenders (rotating their order) so that load from other processes on this shared machine
// lands on all of them alike; a file's time (CPU time, see clock.ts) is its median over the rounds.
import { cpuNowMs } from './clock';
import type { Contender } from './contenders';
import { median, round, summarize, type TimingSummary } from './stats';
import type { CorpusFile } from '../test/support/corpus';

export type { CorpusFile };

export interface ContenderResult extends TimingSummary {
  /**
   * CPU time of one whole pass over the corpus (median over rounds), every file's time summed as it
   * fell. Unlike totalMs (the sum of per-file medians), it keeps the garbage collections a pass
   * triggers, which land on a few files per round and so drop out of the per-file medians.
   */
  passMs: number;
  /** Unrecorded passes this contender ran before timing (see the warm-up in timeCorpus). */
  warmupPasses: number;
  filesPerSecond: number;
  crashes: number;
  crashExamples: { file: string; message: string }[];
  problemsFound: number;
}

const MAX_WARMUP_PASSES = 8;

export function timeCorpus(files: readonly CorpusFile[], contenders: readonly Contender[], rounds: number): Record<string, ContenderResult> {
  const timings = new Map<string, number[][]>(contenders.map((c) => [c.key, files.map(() => [])]));
  const crashes = new Map<string, Map<string, string>>(contenders.map((c) => [c.key, new Map()]));
  const found = new Map<string, number>();
  const passes = new Map<string, number[]>(contenders.map((c) => [c.key, []]));

  const pass = (contender: Contender, record: boolean) => {
    let problems = 0;
    let pass = 0;
    const perFile = timings.get(contender.key)!;
    for (let i = 0; i < files.length; i++) {
      const started = cpuNowMs();
      try {
        problems += contender.lint(files[i].text);
      } catch (error) {
        crashes.get(contender.key)!.set(files[i].name, String((error as Error)?.message ?? error).split('\n')[0].slice(0, 200));
      }
      const elapsed = cpuNowMs() - started;
      pass += elapsed;
      if (record) perFile[i].push(elapsed);
    }
    if (record) passes.get(contender.key)!.push(pass);
    found.set(contender.key, problems);
  };

  // Warm-up: unrecorded passes until each contender's pass time stops falling (under 3% better than
  // the pass before, at most MAX_WARMUP_PASSES), so that every contender is timed at its JIT steady
  // state. A single parse settles after one pass; Multistage's analysis, with hundreds of functions
  // for V8 to tier up, takes four to five over this corpus (measured: 3.6 s, 1.6, 1.3, 1.0, 0.97, 0.91).
  const warmupPasses: Record<string, number> = {};
  for (const contender of contenders) {
    let previous = Infinity;
    for (let n = 1; n <= MAX_WARMUP_PASSES; n++) {
      const started = cpuNowMs();
      pass(contender, false);
      const took = cpuNowMs() - started;
      warmupPasses[contender.key] = n;
      if (took > previous * 0.97) break;
      previous = took;
    }
  }
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < contenders.length; k++) pass(contenders[(k + round) % contenders.length], true);
  }

  const results: Record<string, ContenderResult> = {};
  for (const contender of contenders) {
    const perFile = timings.get(contender.key)!.map(median);
    const summary = summarize(perFile);
    const crashed = crashes.get(contender.key)!;
    results[contender.key] = {
      ...summary,
      passMs: round(median(passes.get(contender.key)!)),
      warmupPasses: warmupPasses[contender.key],
      filesPerSecond: Math.round(files.length / (summary.totalMs / 1000)),
      crashes: crashed.size,
      crashExamples: [...crashed].slice(0, 5).map(([file, message]) => ({ file, message })),
      problemsFound: found.get(contender.key) ?? 0,
    };
  }
  return results;
}
