// Item 1: every contender over every corpus file, in one process, after a warm-up. Rounds interleave
// the contenders (rotating their order) so that load from other processes on this shared machine
// lands on all of them alike; a file's time (CPU time, see clock.ts) is its median over the rounds.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuNowMs } from './clock';
import type { Contender } from './contenders';
import { median, summarize, type TimingSummary } from './stats';

export interface CorpusFile {
  name: string;
  text: string;
}

export interface ContenderResult extends TimingSummary {
  filesPerSecond: number;
  crashes: number;
  crashExamples: { file: string; message: string }[];
  problemsFound: number;
}

export function loadCorpus(dir: string): CorpusFile[] {
  return readdirSync(dir)
    .sort()
    .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
}

export function timeCorpus(files: readonly CorpusFile[], contenders: readonly Contender[], rounds: number): Record<string, ContenderResult> {
  const timings = new Map<string, number[][]>(contenders.map((c) => [c.key, files.map(() => [])]));
  const crashes = new Map<string, Map<string, string>>(contenders.map((c) => [c.key, new Map()]));
  const found = new Map<string, number>();

  const pass = (contender: Contender, record: boolean) => {
    let problems = 0;
    const perFile = timings.get(contender.key)!;
    for (let i = 0; i < files.length; i++) {
      const started = cpuNowMs();
      try {
        problems += contender.lint(files[i].text);
      } catch (error) {
        crashes.get(contender.key)!.set(files[i].name, String((error as Error)?.message ?? error).split('\n')[0].slice(0, 200));
      }
      const elapsed = cpuNowMs() - started;
      if (record) perFile[i].push(elapsed);
    }
    found.set(contender.key, problems);
  };

  // Warm-up: one full unrecorded pass each, so every contender's code is JIT-compiled before timing.
  for (const contender of contenders) pass(contender, false);
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
      filesPerSecond: Math.round(files.length / (summary.totalMs / 1000)),
      crashes: crashed.size,
      crashExamples: [...crashed].slice(0, 5).map(([file, message]) => ({ file, message })),
      problemsFound: found.get(contender.key) ?? 0,
    };
  }
  return results;
}
