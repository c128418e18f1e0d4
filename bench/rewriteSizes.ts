// Per sample app (test/docker/samples/*): the size of the naive single-stage image, of the image built
// from "Split into builder and runtime stages" and of the hand-written multi-stage image where the sample
// has one; whether the split behaves like the original on the sample's probes; the median reduction;
// and for the samples with a dependency install, how long a rebuild after a one-line source change takes
// before and after "Reorder for layer cache". Sizes are `docker image inspect` .Size (uncompressed bytes).
// Run: node --import tsx bench/rewriteSizes.ts [--json]   (needs test/setup/docker.sh and mirrors.sh;
// MULTISTAGE_SAMPLES=a,b for a subset)
import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { formatMegabytes } from '../server/src/analysis/bytes';
import { engineAvailable } from '../test/docker/dockerTestSupport';
import {
  buildImage,
  copySample,
  median,
  proveSplit,
  removeImages,
  reorderedDockerfile,
  runnableSamples,
  sampleTag,
  summaryLine,
  type Sample,
  type SplitOutcome,
} from '../test/docker/rewriteSamples';

interface Row {
  sample: string;
  behaves: boolean;
  /** What differed or failed, when it does not behave. */
  problems: string[];
  singleBytes?: number;
  splitBytes?: number;
  handBytes?: number;
  /** split / hand-written. */
  splitToHand?: number;
  reductionPercent?: number;
  goalPercent?: number;
  rebuild?: { originalSeconds: number; reorderedSeconds: number; ratio: number; installCached: boolean };
}

const tags: string[] = [];

async function build(text: string, dir: string, tag: string) {
  const outcome = await buildImage(text, dir, tag);
  tags.push(tag);
  if (outcome.code !== 0) throw new Error(`build ${tag} failed:\n${outcome.output.slice(-2000)}`);
  return outcome;
}

async function measureSizes(sample: Sample): Promise<{ row: Row; outcome: SplitOutcome }> {
  const outcome = await proveSplit(sample, { hand: true });
  const handBytes = outcome.hand?.bytes;
  const row: Row = {
    sample: sample.name,
    behaves: outcome.behaves,
    problems: [...outcome.differences, ...(outcome.error ? [outcome.error.split('\n')[0]] : [])],
    singleBytes: outcome.singleBytes,
    splitBytes: outcome.splitBytes,
    handBytes,
    splitToHand: handBytes && outcome.splitBytes ? outcome.splitBytes / handBytes : undefined,
    reductionPercent: outcome.reductionPercent,
    goalPercent: sample.minReductionPercent,
  };
  return { row, outcome };
}

/** Rebuild after a source change, original vs reordered Dockerfile, each with a warm cache. */
async function measureRebuild(sample: Sample): Promise<Row['rebuild']> {
  const { sourceFile, install } = sample.reorder!;
  const dir = copySample(sample);
  try {
    const original = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    const reordered = reorderedDockerfile(sample);
    const tag = (kind: string) => sampleTag(sample, `bench-${kind}`);
    await build(original, dir, tag('original'));
    await build(reordered, dir, tag('reordered'));
    appendFileSync(join(dir, sourceFile), `\n${sourceFile.endsWith('.py') ? '#' : '//'} bench change ${Date.now()}\n`);
    const before = await build(original, dir, tag('original'));
    const after = await build(reordered, dir, tag('reordered'));
    return {
      originalSeconds: before.seconds,
      reorderedSeconds: after.seconds,
      ratio: before.seconds / after.seconds,
      installCached: after.steps.find((s) => install.test(s.command))?.cached ?? false,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const mb = (bytes: number | undefined) => (bytes === undefined ? '—' : formatMegabytes(bytes));

function table(rows: Row[], outcomes: SplitOutcome[]): string {
  const lines = [
    '| sample | single-stage | split | hand-written | split / hand-written | reduction (goal) | behaves | rebuild after a source change: original → reordered |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |',
  ];
  for (const r of rows) {
    const rebuild = r.rebuild
      ? `${r.rebuild.originalSeconds.toFixed(1)} s → ${r.rebuild.reorderedSeconds.toFixed(1)} s (${r.rebuild.ratio.toFixed(1)}× faster; install ${r.rebuild.installCached ? 'CACHED' : 'NOT cached'})`
      : '—';
    const goal = r.goalPercent ? ` (≥ ${r.goalPercent} %)` : '';
    const behaves = r.behaves ? 'yes' : `NO: ${r.problems.join('; ').replace(/\|/g, '\\|').slice(0, 200)}`;
    const ratio = r.splitToHand === undefined ? '—' : r.splitToHand.toFixed(2);
    const reduction = r.reductionPercent === undefined ? '—' : `${r.reductionPercent.toFixed(1)} %${goal}`;
    lines.push(`| ${r.sample} | ${mb(r.singleBytes)} | ${mb(r.splitBytes)} | ${mb(r.handBytes)} | ${ratio} | ${reduction} | ${behaves} | ${rebuild} |`);
  }
  const reductions = rows.flatMap((r) => (r.reductionPercent === undefined ? [] : [r.reductionPercent]));
  lines.push('', `Median reduction over ${reductions.length} samples: ${median(reductions).toFixed(1)} %.`, summaryLine(outcomes));
  return lines.join('\n');
}

async function main(): Promise<number> {
  if (!(await engineAvailable())) {
    process.stderr.write('No Docker engine: run test/setup/docker.sh first.\n');
    return 2;
  }
  const rows: Row[] = [];
  const outcomes: SplitOutcome[] = [];
  try {
    for (const sample of await runnableSamples()) {
      process.stderr.write(`measuring ${sample.name}…\n`);
      const { row, outcome } = await measureSizes(sample);
      if (sample.reorder) row.rebuild = await measureRebuild(sample);
      rows.push(row);
      outcomes.push(outcome);
    }
  } finally {
    await removeImages(tags);
  }
  process.stdout.write(process.argv.includes('--json') ? `${JSON.stringify(rows, null, 2)}\n` : `${table(rows, outcomes)}\n`);
  return 0;
}

main().then((code) => { process.exitCode = code; }, (error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
