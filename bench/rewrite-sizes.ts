// Item 6 of the rewrites issue: per sample app, the size of the naive single-stage image, of the image
// built from "Split into builder and runtime stages" and of a hand-written multi-stage image; and for the
// samples with a dependency install, how long a rebuild after a one-line source change takes before
// and after "Reorder for layer cache". Sizes are `docker image inspect` .Size (uncompressed bytes).
// Run: node --import tsx bench/rewrite-sizes.ts [--json]   (needs test/setup/docker.sh and mirrors.sh)
import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { engineAvailable, imagesAvailable } from '../test/docker/dockerTestSupport';
import {
  buildImage,
  copySample,
  imageBytes,
  packageReposAvailable,
  removeImages,
  reorderedDockerfile,
  SAMPLES,
  sampleDir,
  splitDockerfile,
  TAG_PREFIX,
  type Sample,
} from '../test/docker/rewriteSamples';

interface Row {
  sample: string;
  singleBytes: number;
  splitBytes: number;
  handBytes: number;
  /** split / hand-written. */
  splitToHand: number;
  reductionPercent: number;
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

async function measureSizes(sample: Sample): Promise<Row> {
  const dir = sampleDir(sample);
  const tag = (kind: string) => `${TAG_PREFIX}-${sample.name}:bench-${kind}`;
  await build(readFileSync(join(dir, 'Dockerfile'), 'utf8'), dir, tag('single'));
  await build(splitDockerfile(sample), dir, tag('split'));
  await build(readFileSync(join(dir, 'Dockerfile.hand'), 'utf8'), dir, tag('hand'));
  const [singleBytes, splitBytes, handBytes] = [await imageBytes(tag('single')), await imageBytes(tag('split')), await imageBytes(tag('hand'))];
  return {
    sample: sample.name,
    singleBytes,
    splitBytes,
    handBytes,
    splitToHand: splitBytes / handBytes,
    reductionPercent: (1 - splitBytes / singleBytes) * 100,
    goalPercent: sample.minReductionPercent,
  };
}

/** Rebuild after a source change, original vs reordered Dockerfile, each with a warm cache. */
async function measureRebuild(sample: Sample): Promise<Row['rebuild']> {
  const { sourceFile, install } = sample.reorder!;
  const dir = copySample(sample);
  try {
    const original = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    const reordered = reorderedDockerfile(sample);
    const tag = (kind: string) => `${TAG_PREFIX}-${sample.name}:bench-${kind}`;
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

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

function table(rows: Row[]): string {
  const lines = [
    '| sample | single-stage | split | hand-written | split / hand-written | reduction (goal) | rebuild after a source change: original → reordered |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const r of rows) {
    const rebuild = r.rebuild
      ? `${r.rebuild.originalSeconds.toFixed(1)} s → ${r.rebuild.reorderedSeconds.toFixed(1)} s (${r.rebuild.ratio.toFixed(1)}× faster; install ${r.rebuild.installCached ? 'CACHED' : 'NOT cached'})`
      : '—';
    const goal = r.goalPercent ? ` (≥ ${r.goalPercent} %)` : '';
    lines.push(`| ${r.sample} | ${mb(r.singleBytes)} | ${mb(r.splitBytes)} | ${mb(r.handBytes)} | ${r.splitToHand.toFixed(2)} | ${r.reductionPercent.toFixed(1)} %${goal} | ${rebuild} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<number> {
  if (!(await engineAvailable())) {
    process.stderr.write('No Docker engine: run test/setup/docker.sh first.\n');
    return 2;
  }
  const mirror = await packageReposAvailable();
  const rows: Row[] = [];
  try {
    for (const sample of SAMPLES) {
      if (!(await imagesAvailable(sample.images)) || (sample.needsMirror && !mirror)) {
        process.stderr.write(`skipping ${sample.name}: base images or the local mirror are missing (test/setup/docker.sh, mirrors.sh)\n`);
        continue;
      }
      process.stderr.write(`measuring ${sample.name}…\n`);
      const row = await measureSizes(sample);
      if (sample.reorder) row.rebuild = await measureRebuild(sample);
      rows.push(row);
    }
  } finally {
    await removeImages(tags);
  }
  process.stdout.write(process.argv.includes('--json') ? `${JSON.stringify(rows, null, 2)}\n` : `${table(rows)}\n`);
  return 0;
}

main().then((code) => { process.exitCode = code; }, (error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
