// `multistage images FILE… [--format text|json] [--online] [--platform P]`: each FROM image's compressed
// size, layers and age, and its smaller variants with the saving. Figures come from the bundled snapshot
// unless --online lets the registries answer (the snapshot still answers what they do not). Also gives
// `multistage lint` the same facts for larger-base-than-needed and unpinned-base-image.
import { compressedOf, type ImageSizeReport } from '../analysis/hover';
import { formatMegabytes } from '../analysis/bytes';
import { buildModel, type DockerfileModel } from '../analysis/model';
import { DockerConfigCredentials } from '../images/credentials';
import { imagesOf, type DocumentImage } from '../images/documentImages';
import { DockerHubTags } from '../images/dockerHubTags';
import { FactsCache } from '../images/factsCache';
import { ImageSizeService } from '../images/imageSizeService';
import { effectivePlatform, formatPlatform, parsePlatform } from '../images/platform';
import { OciRegistryClient, type RegistryFacts } from '../images/registryClient';
import { ImageSnapshot } from '../images/snapshot/snapshot';
import { parseArgs, UsageError } from './args';
import { readDockerfile } from './files';
import type { CliIO } from './io';

/** A registry lookup from the command line may take longer than an editor hover would wait. */
const ONLINE_TIMEOUT_MS = 15_000;

/** Snapshot, and the registries when online; no disk cache and no local Docker for a one-shot command. */
export function cliImageService(): ImageSizeService {
  const registry = new OciRegistryClient({ credentials: new DockerConfigCredentials(), pushDates: new DockerHubTags() });
  return new ImageSizeService({ registry, snapshot: new ImageSnapshot(), cache: new FactsCache<RegistryFacts>() });
}

/** Checks `--platform`; undefined means each FROM's own --platform, else the host's. */
export function platformOption(value: string | undefined): string | undefined {
  if (value !== undefined && !parsePlatform(value)) throw new UsageError(`--platform must look like linux/amd64 or linux/arm64/v8, not '${value}'`);
  return value;
}

/** With --online: asks the registries for the images and their variants, all at once, and waits. */
export async function lookUpOnline(service: ImageSizeService, images: readonly DocumentImage[]): Promise<void> {
  const settings = { online: true, timeoutMs: ONLINE_TIMEOUT_MS, includeLocal: false };
  await Promise.all(images.flatMap((image) => [image.reference, ...image.variants.map((v) => v.reference)].map((reference) => service.lookup(reference, image.platform, settings))));
}

interface ImageRow {
  file: string;
  line: number;
  image: string;
  platform: string;
  compressedBytes?: number;
  layers?: number;
  builtAt?: string;
  digest?: string;
  /** "registry", or "bundled snapshot of 2026-12-03". */
  source?: string;
  /** Why there is no figure, when there is none. */
  missing?: string;
  variants: { image: string; compressedBytes: number; savingBytes: number; source: string; note?: string }[];
}

function rowFor(file: string, image: DocumentImage, report: ImageSizeReport | undefined, variants: (ImageSizeReport | undefined)[], online: boolean, snapshotDate: string): ImageRow {
  const size = compressedOf(report);
  const row = { file, line: image.line + 1, image: image.reference, platform: formatPlatform(image.platform) } as ImageRow;
  if (size && report) {
    row.compressedBytes = size.bytes;
    row.layers = report.registry?.layers ?? report.snapshot?.layers;
    row.builtAt = (report.registry ? report.registry.createdAt : report.snapshot?.newestLayerAt)?.slice(0, 10);
    row.digest = report.registry?.digest ?? report.snapshot?.digest;
    row.source = size.source;
  } else {
    row.missing = online
      ? `the registry gave no figure${report?.error ? ` (${report.error})` : ''} and the bundled snapshot of ${snapshotDate} has none`
      : `not in the bundled snapshot of ${snapshotDate}; --online asks the registry`;
  }
  row.variants = [];
  image.variants.forEach((variant, i) => {
    const v = compressedOf(variants[i]);
    if (!v || !size || v.bytes >= size.bytes) return;
    row.variants.push({ image: variant.reference, compressedBytes: v.bytes, savingBytes: size.bytes - v.bytes, source: v.source, ...(variant.note ? { note: variant.note } : {}) });
  });
  return row;
}

function formatRows(rows: readonly ImageRow[]): string {
  const out: string[] = [];
  for (const row of rows) {
    out.push(`${row.file}:${row.line}  ${row.image}  ${row.platform}`);
    if (row.compressedBytes === undefined) {
      out.push(`  no size known: ${row.missing}`);
      continue;
    }
    const facts = [`${formatMegabytes(row.compressedBytes)} compressed (${row.compressedBytes.toLocaleString('en-US')} bytes)`];
    if (row.layers !== undefined) facts.push(`${row.layers} layers`);
    if (row.builtAt) facts.push(`built ${row.builtAt}`);
    facts.push(`from the ${row.source}`);
    out.push(`  ${facts.join(' · ')}`);
    for (const v of row.variants) {
      const pct = Math.round((v.savingBytes / row.compressedBytes) * 100);
      const extra = [v.note, v.source === row.source ? '' : `from the ${v.source}`].filter(Boolean).join('; ');
      out.push(`  smaller: ${v.image}  ${formatMegabytes(v.compressedBytes)}, saves ${formatMegabytes(v.savingBytes)} (${pct} %)${extra ? ` — ${extra}` : ''}`);
    }
  }
  return `${out.join('\n')}\n`;
}

export async function runImages(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, ['format', 'platform'], ['online']);
  const format = args.options.get('format') ?? 'text';
  if (!['text', 'json'].includes(format)) throw new UsageError(`--format must be text or json, not '${format}'`);
  if (args.positionals.length === 0) throw new UsageError('images needs a Dockerfile');
  const platform = platformOption(args.options.get('platform'));
  const online = args.flags.has('online');
  const service = cliImageService();
  const snapshotDate = new ImageSnapshot().date;
  const files: { file: string; model: DockerfileModel }[] = [];
  let unreadable = false;
  for (const file of args.positionals) {
    const read = readDockerfile(file);
    if ('error' in read) {
      io.stderr(`multistage: ${file}: ${read.error}\n`);
      unreadable = true;
    } else files.push({ file, model: buildModel(read.text) });
  }
  const rows: ImageRow[] = [];
  for (const { file, model } of files) {
    const images = imagesOf(model, platform);
    if (online) await lookUpOnline(service, images);
    for (const image of images) {
      const report = service.report(image.reference, image.platform, { online });
      const variants = image.variants.map((v) => service.report(v.reference, image.platform, { online }));
      rows.push(rowFor(file, image, report, variants, online, snapshotDate));
    }
  }
  if (format === 'json') io.stdout(`${JSON.stringify({ snapshotDate, online, images: rows }, null, 2)}\n`);
  else io.stdout(rows.length > 0 ? formatRows(rows) : 'No FROM image with a size to look up (only stages, scratch or build-time ARGs).\n');
  return unreadable ? 2 : 0;
}

/** Facts for lint's rules: the snapshot's, plus the registries' with --online (looked up first). */
export async function lintImageFacts(models: readonly DockerfileModel[], platform: string | undefined, online: boolean) {
  const service = cliImageService();
  if (online) await lookUpOnline(service, models.flatMap((m) => imagesOf(m, platform)));
  return service.knownFacts(effectivePlatform(undefined, platform), { online });
}
