// How much of the corpus the bundled image-size snapshot answers on its own: the share of FROM lines
// (by count) that get a compressed size from the snapshot with no registry and no local Docker. ARGs
// are resolved as the editor resolves them; `FROM scratch` and `FROM <stage>` are not images anyone
// downloads and are left out; a FROM whose image is decided at build time (an ARG without a default)
// stays in the count as unanswered. Prints the share for linux/amd64 and linux/arm64 (the platform a
// FROM --platform names wins), a breakdown by where the images come from, and the most frequent images
// the snapshot misses, which is the list to read next when extending sources/repo-info.psv.
//
//   npm run bench:image-coverage -- [--corpus DIR] [--missing N] [--json] [--write-docs]
//
// --write-docs replaces the snapshot and coverage tables in docs/image-sizes.md (between their markers).
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModel } from '../server/src/analysis/model';
import { effectivePlatform } from '../server/src/images/platform';
import { parseImageReference } from '../server/src/analysis/imageReference';
import { ImageSnapshot } from '../server/src/images/snapshot/snapshot';
import { corpusPaths } from '../test/support/corpus';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const filesDir = corpusPaths(option('--corpus')).files;
const showMissing = Number(option('--missing') ?? 15);

/** Where an image comes from, for the breakdown: what the snapshot can hope to cover and what not. */
function origin(canonical: string): string {
  if (/^docker\.io\/library\//.test(canonical) || /^mirror\.gcr\.io\/(library\/)?[^/]+$/.test(canonical)) return 'official images (Docker Hub, mirror.gcr.io)';
  if (/^docker\.io\/(amd64|arm64v8|arm32v7)\/[^/]+$/.test(canonical)) return 'per-architecture official images (amd64/, arm64v8/, …)';
  if (canonical.startsWith('docker.io/')) return 'other Docker Hub images';
  return 'other registries (mcr, gcr, ghcr, quay, …)';
}

interface FromLine { image?: string; platform?: string }

const lines: FromLine[] = [];
let scratch = 0;
let stages = 0;
let files = 0;
for (const name of readdirSync(filesDir).sort()) {
  files++;
  const model = buildModel(readFileSync(join(filesDir, name), 'utf8'));
  for (const stage of model.stages) {
    if (stage.baseStage !== undefined) stages++;
    else if (stage.imageUnresolved || !stage.image) lines.push({});
    else if (stage.image.toLowerCase() === 'scratch') scratch++;
    else lines.push({ image: stage.image, platform: stage.platform });
  }
}

const snapshot = new ImageSnapshot();
const result: Record<string, unknown> = { files, fromLines: lines.length, excluded: { scratch, stages }, snapshotDate: snapshot.date, snapshotEntries: snapshot.size };
for (const platform of ['linux/amd64', 'linux/arm64']) {
  let answered = 0;
  const byOrigin = new Map<string, { lines: number; answered: number }>();
  const missing = new Map<string, number>();
  for (const line of lines) {
    const ref = line.image ? parseImageReference(line.image) : undefined;
    const group = ref ? origin(ref.canonical) : 'decided at build time (ARG without default) or unparsable';
    const row = byOrigin.get(group) ?? { lines: 0, answered: 0 };
    row.lines++;
    byOrigin.set(group, row);
    if (ref && snapshot.match(ref.canonical, effectivePlatform(line.platform, platform))) {
      answered++;
      row.answered++;
    } else if (ref && group.startsWith('official') || ref && group.startsWith('per-arch')) {
      missing.set(ref!.canonical, (missing.get(ref!.canonical) ?? 0) + 1);
    }
  }
  result[platform] = {
    answered,
    share: Math.round((answered / lines.length) * 1000) / 10,
    byOrigin: Object.fromEntries([...byOrigin].sort((a, b) => b[1].lines - a[1].lines)),
    missingOfficial: [...missing].sort((a, b) => b[1] - a[1]).slice(0, showMissing),
  };
}

if (args.includes('--json')) {
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} else {
  const out: string[] = [
    `Image-size snapshot of ${snapshot.date} (${snapshot.size} entries) over ${files} corpus Dockerfiles:`,
    `${lines.length} FROM lines counted (ARGs resolved); left out: ${scratch} FROM scratch, ${stages} FROM <stage>.`,
  ];
  for (const platform of ['linux/amd64', 'linux/arm64']) {
    const r = result[platform] as { answered: number; share: number; byOrigin: Record<string, { lines: number; answered: number }>; missingOfficial: [string, number][] };
    out.push('', `${platform}: ${r.answered} of ${lines.length} FROM lines get a size from the snapshot alone = ${r.share.toFixed(1)} %`);
    for (const [group, row] of Object.entries(r.byOrigin)) out.push(`  ${String(row.answered).padStart(5)} / ${String(row.lines).padEnd(5)} ${group}`);
    if (platform === 'linux/amd64' && r.missingOfficial.length > 0) {
      out.push('  most frequent official images without a figure:');
      for (const [image, n] of r.missingOfficial) out.push(`    ${String(n).padStart(4)}  ${image}`);
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

/** The two generated tables of docs/image-sizes.md. */
function docsTables(): { snapshot: string; coverage: string } {
  const platforms = ['linux/amd64', 'linux/arm64', 'linux/arm/v7'];
  const counts = new Map<string, Map<string, number>>();
  for (const entry of snapshot.file.entries) {
    const name = entry.image.split(':')[0];
    const row = counts.get(name) ?? new Map<string, number>();
    row.set(entry.platform, (row.get(entry.platform) ?? 0) + 1);
    counts.set(name, row);
  }
  const totals = platforms.map(() => 0);
  const rows = [...counts].sort((a, b) => a[0].localeCompare(b[0])).map(([name, row]) => {
    const cells = platforms.map((p, i) => {
      totals[i] += row.get(p) ?? 0;
      return row.get(p) ?? 0;
    });
    return `| ${name} | ${cells.join(' | ')} |`;
  });
  const snapshotTable = ['| image | linux/amd64 | linux/arm64 | linux/arm/v7 |', '| --- | ---: | ---: | ---: |', ...rows, `| **all** | **${totals.join('** | **')}** |`].join('\n');
  const coverageRows = ['linux/amd64', 'linux/arm64'].map((platform) => {
    const r = result[platform] as { answered: number; share: number };
    return `| ${platform} | ${lines.length} | ${r.answered} | **${r.share.toFixed(1)} %** |`;
  });
  const coverageTable = [`Snapshot of ${snapshot.date}, ${files} corpus Dockerfiles (${scratch} FROM scratch and ${stages} FROM <stage> left out):`, '', '| platform | FROM lines | with a size from the snapshot | share |', '| --- | ---: | ---: | ---: |', ...coverageRows].join('\n');
  return { snapshot: snapshotTable, coverage: coverageTable };
}

function replaceBetween(text: string, marker: string, body: string): string {
  const start = `<!-- ${marker} -->`;
  const end = `<!-- /${marker} -->`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`docs/image-sizes.md has no ${start} … ${end} markers`);
  return `${text.slice(0, a + start.length)}\n${body}\n${text.slice(b)}`;
}

if (args.includes('--write-docs')) {
  const docs = join(__dirname, '../docs/image-sizes.md');
  const tables = docsTables();
  const text = replaceBetween(replaceBetween(readFileSync(docs, 'utf8'), 'snapshot-table', tables.snapshot), 'coverage-table', tables.coverage);
  writeFileSync(`${docs}.tmp`, text);
  renameSync(`${docs}.tmp`, docs);
  process.stdout.write(`${docs}: tables written\n`);
}
