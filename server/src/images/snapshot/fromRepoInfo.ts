// Builds snapshot.json from figures transcribed from docker-library/repo-info (sources/repo-info.psv),
// offline. Each line names the repo-info file and commit it was read from; the script checks every line
// before using it (digest shapes, the printed "Total Size" agreeing with the byte count, layer sums
// adding up) and refuses the whole file on any mistake, so a typo cannot become a figure.
//
//   npx tsx server/src/images/snapshot/fromRepoInfo.ts [--check] [--date YYYY-MM-DD]
//
// --check only validates and compares with the committed snapshot.json (exit 1 when they differ).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseImageReference } from '../../analysis/imageReference';
import type { SnapshotEntry, SnapshotFile } from './snapshot';

export const REPO_INFO = 'docker-library/repo-info';
const SHA256 = /^sha256:[0-9a-f]{64}$/;
const COMMIT = /^[0-9a-f]{40}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const PLATFORMS = new Set(['linux/amd64', 'linux/arm64', 'linux/arm/v7']);

export interface RepoInfoLine {
  tag: string;
  path: string;
  commit: string;
  indexDigest: string;
  platform: string;
  platformDigest?: string;
  compressedBytes: number;
  layers: number;
  newestLayer: string;
}

/** Parses and checks the transcription; throws with every bad line listed. */
export function parseRepoInfo(text: string): RepoInfoLine[] {
  const lines: RepoInfoLine[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const where = `line ${i + 1}`;
    const cols = line.split('|');
    if (cols.length !== 10) return void errors.push(`${where}: ${cols.length} columns, want 10`);
    const [tag, path, commit, indexDigest, platform, platformDigest, printed, bytesText, layersText, newestLayer] = cols;
    const ref = parseImageReference(tag);
    const name = tag.split(':')[0];
    if (!ref || ref.registry !== 'docker.io' || !ref.repository.startsWith('library/')) errors.push(`${where}: ${tag} is not an official image tag`);
    if (path !== `repos/${name}/remote/${tag.slice(name.length + 1)}.md`) errors.push(`${where}: path ${path} does not belong to ${tag}`);
    if (!COMMIT.test(commit)) errors.push(`${where}: commit ${commit}`);
    if (!SHA256.test(indexDigest)) errors.push(`${where}: index digest ${indexDigest}`);
    if (!PLATFORMS.has(platform)) errors.push(`${where}: platform ${platform}`);
    if (platformDigest !== '-' && !SHA256.test(platformDigest)) errors.push(`${where}: platform digest ${platformDigest}`);
    if (!DATE.test(newestLayer)) errors.push(`${where}: date ${newestLayer}`);
    const layers = Number(layersText);
    if (!Number.isInteger(layers) || layers < 1) errors.push(`${where}: layers ${layersText}`);
    let bytes: number;
    const sum = /^sum of layers: ([\d+]+)$/.exec(printed);
    if (sum) {
      // The platform's "Total Size" line was not read; the file's own layer sizes add up to it.
      const parts = sum[1].split('+').map(Number);
      bytes = parts.reduce((a, b) => a + b, 0);
      if (parts.length !== layers) errors.push(`${where}: ${parts.length} layer sizes for ${layers} layers`);
      if (bytesText !== '' && Number(bytesText) !== bytes) errors.push(`${where}: layer sum ${bytes} ≠ ${bytesText}`);
    } else {
      bytes = Number(bytesText);
      if (!agrees(printed, bytes)) errors.push(`${where}: printed "${printed}" does not match ${bytesText} bytes`);
    }
    if (!Number.isSafeInteger(bytes) || bytes <= 0) errors.push(`${where}: bytes ${bytesText}`);
    const key = `${tag}|${platform}`;
    if (seen.has(key)) errors.push(`${where}: ${key} twice`);
    seen.add(key);
    lines.push({ tag, path, commit, indexDigest, platform, platformDigest: platformDigest === '-' ? undefined : platformDigest, compressedBytes: bytes, layers, newestLayer });
  });
  if (errors.length > 0) throw new Error(`repo-info transcription has ${errors.length} problem(s):\n  ${errors.join('\n  ')}`);
  return lines;
}

/** repo-info prints decimal units with one decimal: "28.2 MB (28232590 bytes)", "971.6 KB". */
function agrees(printed: string, bytes: number): boolean {
  const m = /^([\d.]+) (MB|KB|GB)$/.exec(printed);
  if (!m || !Number.isFinite(bytes)) return false;
  const unit = m[2] === 'GB' ? 1e9 : m[2] === 'MB' ? 1e6 : 1e3;
  return Math.abs(bytes / unit - Number(m[1])) <= 0.05 + 1e-9;
}

export function snapshotFromRepoInfo(lines: readonly RepoInfoLine[], date: string): SnapshotFile {
  const entries: SnapshotEntry[] = lines.map((l) => ({
    image: l.tag,
    platform: l.platform,
    compressedBytes: l.compressedBytes,
    layers: l.layers,
    digest: l.indexDigest,
    ...(l.platformDigest ? { platformDigest: l.platformDigest } : {}),
    newestLayerAt: l.newestLayer,
    asOf: l.newestLayer,
    source: `${REPO_INFO}/${l.path}`,
    sourceCommit: l.commit,
  }));
  entries.sort((a, b) => a.image.localeCompare(b.image, 'en', { numeric: true }) || a.platform.localeCompare(b.platform));
  return {
    generatedAt: date,
    generator: 'server/src/images/snapshot/fromRepoInfo.ts from sources/repo-info.psv (figures transcribed from docker-library/repo-info, each with its file and commit)',
    entries,
  };
}

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function main(): void {
  const out = join(__dirname, 'snapshot.json');
  const lines = parseRepoInfo(readFileSync(join(__dirname, 'sources', 'repo-info.psv'), 'utf8'));
  let previous: SnapshotFile | undefined;
  try {
    previous = JSON.parse(readFileSync(out, 'utf8'));
  } catch {
    previous = undefined;
  }
  const date = argument('--date') ?? previous?.generatedAt ?? new Date().toISOString().slice(0, 10);
  const text = `${JSON.stringify(snapshotFromRepoInfo(lines, date), null, 1)}\n`;
  if (process.argv.includes('--check')) {
    const same = previous !== undefined && readFileSync(out, 'utf8') === text;
    process.stdout.write(`${lines.length} lines valid; snapshot.json ${same ? 'is up to date' : 'differs: run without --check'}\n`);
    if (!same) process.exitCode = 1;
    return;
  }
  writeFileSync(`${out}.tmp`, text);
  renameSync(`${out}.tmp`, out);
  process.stdout.write(`${out}: ${lines.length} entries from repo-info, snapshot date ${date}\n`);
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
