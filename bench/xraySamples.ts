// The image X-ray of each sample app (test/docker/samples/*): the naive single-stage image and the one built
// from "Split into builder and runtime stages", each read from `docker save` by the same xrayImage the CLI
// uses: size (Σ bytes the layers add), wasted bytes, dive's efficiency, known waste found in the final
// filesystem, and the Dockerfile lines that added the most. The README's table is this script's output.
// Run: npm run bench:xray-samples [-- --json]   (needs test/setup/docker.sh and mirrors.sh;
// MULTISTAGE_SAMPLES=a,b for a subset, default all). Images are tagged multistage-test/xcli/… and removed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatBytes, formatMegabytes } from '../server/src/analysis/bytes';
import { instructionSource } from '../server/src/cli/xrayFormat';
import { formatPercent } from '../server/src/cli/xrayBudgets';
import { xrayImage } from '../server/src/xray/xray';
import type { XrayReport } from '../server/src/xray/types';
import { DOCKER, engineAvailable } from '../test/docker/dockerTestSupport';
import { buildImage, removeImages, runnableSamples, sampleDir, splitDockerfile, type Sample } from '../test/docker/rewriteSamples';

const TAG_PREFIX = 'multistage-test/xcli/samples';
const RUN = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;

interface Variant {
  sample: string;
  variant: 'single' | 'split';
  error?: string;
  totalBytes?: number;
  wastedBytes?: number;
  efficiency?: number;
  diveWastedBytes?: number;
  knownWasteBytes?: number;
  knownWaste?: string[];
  /** The lines that added the most (FROM's base image excluded), largest first. */
  topLines?: { line: number; source: string; addedBytes: number; wastedBytes: number }[];
  seconds?: number;
}

function summarise(sample: Sample, variant: Variant['variant'], text: string, report: XrayReport): Variant {
  const known = report.findings.filter((f) => f.kind === 'known-waste');
  const top = report.lines
    .filter((l) => l.instruction !== 'FROM' && l.addedBytes > 0)
    .sort((a, b) => b.addedBytes - a.addedBytes)
    .slice(0, 3)
    .map((l) => ({ line: l.line, source: instructionSource(text, l.line) ?? l.instruction, addedBytes: l.addedBytes, wastedBytes: l.wastedBytes }));
  return {
    sample: sample.name,
    variant,
    totalBytes: report.totalBytes,
    wastedBytes: report.wastedBytes,
    efficiency: report.efficiency,
    diveWastedBytes: report.diveWastedBytes,
    knownWasteBytes: known.reduce((n, f) => n + f.bytes, 0),
    knownWaste: known.map((f) => (f.kind === 'known-waste' ? `${f.waste} ${formatBytes(f.bytes)}` : '')),
    topLines: top,
    seconds: report.seconds,
  };
}

async function xraySample(sample: Sample): Promise<Variant[]> {
  const dir = sampleDir(sample);
  const texts: [Variant['variant'], string][] = [
    ['single', readFileSync(join(dir, 'Dockerfile'), 'utf8')],
    ['split', splitDockerfile(sample)],
  ];
  const out: Variant[] = [];
  for (const [variant, text] of texts) {
    const tag = `${TAG_PREFIX}-${sample.name}:${variant}-${RUN}`;
    try {
      const built = await buildImage(text, dir, tag);
      if (built.code !== 0) {
        out.push({ sample: sample.name, variant, error: `build failed: ${built.output.split('\n').slice(-3).join(' ')}` });
        continue;
      }
      const outcome = await xrayImage(tag, { engine: 'docker', enginePath: DOCKER, dockerfileText: text, dockerfile: `${sample.name}/Dockerfile${variant === 'split' ? ' (split)' : ''}` });
      out.push(outcome.ok ? summarise(sample, variant, text, outcome.report) : { sample: sample.name, variant, error: outcome.failure.message });
    } finally {
      await removeImages([tag]);
    }
  }
  return out;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/`/g, "'");
const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function table(rows: Variant[]): string {
  const lines = [
    '| sample | image | size | wasted | efficiency | known waste | lines that added the most |',
    '| --- | --- | ---: | ---: | ---: | --- | --- |',
  ];
  for (const r of rows) {
    if (r.error) {
      lines.push(`| ${r.sample} | ${r.variant} | — | — | — | — | ${cell(shorten(r.error, 120))} |`);
      continue;
    }
    const top = r.topLines!.map((l) => `${l.line}: \`${cell(shorten(l.source, 40))}\` +${formatMegabytes(l.addedBytes)}${l.wastedBytes > 0 ? ` (${formatMegabytes(l.wastedBytes)} wasted)` : ''}`).join('<br>');
    const known = r.knownWaste!.length > 0 ? r.knownWaste!.join(', ') : '—';
    lines.push(`| ${r.sample} | ${r.variant} | ${formatMegabytes(r.totalBytes!)} | ${formatMegabytes(r.wastedBytes!)} | ${formatPercent(r.efficiency!)} | ${cell(known)} | ${top} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<number> {
  if (!(await engineAvailable())) {
    process.stderr.write('No Docker engine: run test/setup/docker.sh first.\n');
    return 2;
  }
  const rows: Variant[] = [];
  for (const sample of await runnableSamples()) {
    process.stderr.write(`x-raying ${sample.name}…\n`);
    const variants = await xraySample(sample);
    for (const v of variants) {
      process.stderr.write(`  ${v.variant}: ${v.error ?? `${formatMegabytes(v.totalBytes!)}, wasted ${formatMegabytes(v.wastedBytes!)}, efficiency ${formatPercent(v.efficiency!)} (read in ${v.seconds!.toFixed(1)} s)`}\n`);
    }
    rows.push(...variants);
  }
  process.stdout.write(process.argv.includes('--json') ? `${JSON.stringify(rows, null, 2)}\n` : `${table(rows)}\n`);
  return rows.some((r) => r.error) ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
