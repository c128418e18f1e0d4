// Hover content, rendered from the model and the image facts the handler already gathered. Pure: no
// IO, no clock (the caller passes `now`), no LSP library; returns markdown strings and ranges.
import type { Position, Range } from 'vscode-languageserver-types';
import { looksLikeImageReference } from './data/officialImages';
import type { DockerfileModel, Stage } from './model';
import { formatMegabytes } from './bytes';

/** Everything known about one image for one platform, figure by figure, with where it came from. */
export interface ImageSizeReport {
  reference: string;
  platform: string;
  online: boolean;
  registry?: { compressedBytes: number; layers: number; digest: string; platformDigest: string; createdAt?: string; pushedAt?: string; fetchedAt: number; stale?: boolean;
    /** The platform the measured image is for; differs from `platform` for single-platform images. */
    imagePlatform?: string };
  local?: { uncompressedBytes: number; layers: number; inspectedAt: number };
  snapshot?: { compressedBytes: number; layers?: number; asOf: string; source: string; approximate?: boolean;
    /** The snapshot's own date (when its figures were collected): shown wherever its figures are. */
    date?: string;
    sourceCommit?: string;
    /** When the image was built, as far as the source tells (its newest layer). */
    newestLayerAt?: string;
    digest?: string;
    /** Found under another name: "mirror.gcr.io mirrors Docker Hub". */
    via?: string;
    imagePlatform?: string };
  /** The last registry failure, while it is recent. */
  error?: string;
  /** The failure was no network to the registry (so the hover says "offline", not an error). */
  unreachable?: boolean;
  /** A lookup is still running. */
  pending?: boolean;
}

export interface VariantSize {
  reference: string;
  label: string;
  note?: string;
  report?: ImageSizeReport;
}

export type HoverTarget =
  /** An image: a FROM image (ARGs resolved) or an image named by `COPY --from=` / `RUN --mount=from=`. */
  | { kind: 'image'; image: string; unresolved: boolean; platform?: string; range: Range }
  | { kind: 'stage'; stage: Stage; range: Range };

function contains(range: Range | null | undefined, p: Position): range is Range {
  if (!range) return false;
  const afterStart = p.line > range.start.line || (p.line === range.start.line && p.character >= range.start.character);
  const beforeEnd = p.line < range.end.line || (p.line === range.end.line && p.character <= range.end.character);
  return afterStart && beforeEnd;
}

/** What the cursor is on: a FROM image, a stage name after AS, or a reference to a stage. */
export function hoverTargetAt(model: DockerfileModel, position: Position): HoverTarget | undefined {
  for (const stage of model.stages) {
    if (contains(stage.nameRange, position)) return { kind: 'stage', stage, range: stage.nameRange };
    // An unresolvable variable leaves `image` empty; the text as written is what the hover can name.
    const image = stage.imageUnresolved ? stage.imageRaw : stage.image;
    if (stage.baseStage === undefined && image) {
      const range = stage.from.getImageRange();
      if (contains(range, position)) return { kind: 'image', image, unresolved: stage.imageUnresolved, platform: stage.platform, range };
    }
  }
  for (const ref of model.refs) {
    if (!contains(ref.range, position)) continue;
    if (ref.target !== undefined) return { kind: 'stage', stage: model.stages[ref.target], range: ref.range };
    // `COPY --from=nginx:1.27 …` pulls that image: it has a size like a FROM image does.
    if (ref.forward === undefined && ref.kind !== 'from' && looksLikeImageReference(ref.value)) {
      return { kind: 'image', image: ref.value, unresolved: ref.value.includes('$'), platform: model.stages[ref.fromStage]?.platform, range: ref.range };
    }
  }
  return undefined;
}

export function formatAge(thenMs: number, nowMs: number): string {
  const seconds = Math.max(0, Math.round((nowMs - thenMs) / 1000));
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 48 * 3600) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} days ago`;
}

function shortDigest(digest: string): string {
  const [algorithm, hex] = digest.split(':');
  return hex ? `${algorithm}:${hex.slice(0, 12)}` : digest;
}

/** "the bundled snapshot of 2026-12-03" (older snapshot files carry only the figure's own date). */
function snapshotName(snapshot: NonNullable<ImageSizeReport['snapshot']>): string {
  return `bundled snapshot of ${snapshot.date ?? snapshot.asOf}`;
}

/** The compressed figure to show and its provenance: the registry's when known, else the snapshot's. */
export function compressedOf(report: ImageSizeReport | undefined): { bytes: number; source: string; sourceShort: string; approximate?: boolean } | undefined {
  if (!report) return undefined;
  if (report.registry) return { bytes: report.registry.compressedBytes, source: 'registry', sourceShort: 'registry' };
  if (report.snapshot) {
    const name = snapshotName(report.snapshot);
    return { bytes: report.snapshot.compressedBytes, source: name, sourceShort: name.replace('bundled ', ''), approximate: report.snapshot.approximate };
  }
  return undefined;
}

/** "48.1 MB", or "≈58.0 MB" for a rounded figure taken from a page. */
function sizeText(size: { bytes: number; approximate?: boolean }): string {
  return `${size.approximate ? '≈' : ''}${formatMegabytes(size.bytes)}`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Where the main figures come from, in one line under the table. */
function provenance(report: ImageSizeReport, now: number): string {
  const parts: string[] = [];
  if (report.registry) {
    parts.push(`registry, read ${formatAge(report.registry.fetchedAt, now)}${report.registry.stale ? ' (refreshing)' : ''}`);
    parts.push(`digest \`${shortDigest(report.registry.digest)}\``);
    if (report.registry.pushedAt) parts.push(`pushed ${report.registry.pushedAt.slice(0, 10)}`);
  } else if (report.snapshot) {
    const s = report.snapshot;
    const repo = /^docker-library\/repo-info\/(.+)$/.exec(s.source);
    let from = '';
    if (repo && s.sourceCommit) from = ` ([repo-info](https://github.com/docker-library/repo-info/blob/${s.sourceCommit}/${repo[1]}))`;
    else if (/^https?:\/\//.test(s.source)) from = ` ([source](${s.source}))`;
    parts.push(`${snapshotName(s)}${s.approximate ? `, rounded figure from a page as of ${s.asOf}` : ''}${from}`);
    if (s.via) parts.push(s.via);
    if (s.digest) parts.push(`digest \`${shortDigest(s.digest)}\``);
  }
  if (report.local) parts.push(`local size from Docker, ${formatAge(report.local.inspectedAt, now)}`);
  return parts.length > 0 ? `Figures: ${parts.join(' · ')}` : '';
}

/** When the image was built: the registry's created date, else the snapshot's newest layer. */
function builtAt(report: ImageSizeReport): string | undefined {
  return report.registry ? report.registry.createdAt : report.snapshot?.newestLayerAt;
}

export function renderImageHover(report: ImageSizeReport, variants: readonly VariantSize[], now: number): string {
  // The image and platform head a two-column table, one figure per row, in the order people ask:
  // what it costs to pull, what it takes on disk, how many layers, how old it is.
  const lines: string[] = [`| **${escapeCell(report.reference)}** | ${report.platform} |`, '|---|---|'];
  const compressed = compressedOf(report);
  if (compressed || report.local) {
    const layers = report.registry?.layers ?? report.snapshot?.layers ?? report.local?.layers;
    const built = builtAt(report);
    if (compressed) lines.push(`| Compressed download | **${sizeText(compressed)}**${compressed.approximate ? '' : ` (${compressed.bytes.toLocaleString('en-US')} bytes)`} |`);
    if (report.local) lines.push(`| Local, uncompressed | ${formatMegabytes(report.local.uncompressedBytes)} |`);
    if (layers !== undefined) lines.push(`| Layers | ${layers} |`);
    if (built) lines.push(`| Built | ${built.slice(0, 10)}, ${formatAge(Date.parse(built), now)} |`);
    lines.push('');
  } else if (report.pending) lines.push('', '_Looking up the size… it will appear here and as an inlay hint when the registry answers._', '');
  else lines.push('', '_No size known for this image._', '');

  const known = variants
    .map((v) => ({ v, size: compressedOf(v.report) }))
    .filter((x): x is { v: VariantSize; size: NonNullable<ReturnType<typeof compressedOf>> } => x.size !== undefined);
  if (known.length > 0) {
    const mainSource = compressed?.source;
    const notes = known.map(({ v, size }) => [v.note, size.source === mainSource ? '' : size.sourceShort].filter(Boolean).join('; '));
    const withNotes = notes.some(Boolean);
    lines.push(`| Smaller variant (same version) | Compressed | Saving |${withNotes ? ' Note |' : ''}`, `|---|---:|---:|${withNotes ? '---|' : ''}`);
    known.forEach(({ v, size }, i) => {
      let saving = '';
      if (compressed && compressed.bytes > 0) {
        const saved = compressed.bytes - size.bytes;
        saving = saved > 0 ? `${formatMegabytes(saved)} (${Math.round((saved / compressed.bytes) * 100)} %)` : 'none';
      }
      // A variant's figure from another source than the image's own is marked, so the saving is read with care.
      lines.push(`| \`${escapeCell(v.reference)}\` | ${sizeText(size)} | ${saving} |${withNotes ? ` ${escapeCell(notes[i])} |` : ''}`);
    });
    lines.push('');
  }
  // Where the figures come from goes last: the sizes and savings are what the reader came for.
  const from = compressed || report.local ? provenance(report, now) : '';
  if (from) lines.push(`_${from}_`, '');
  const measured = report.registry?.imagePlatform ?? (report.registry ? undefined : report.snapshot?.imagePlatform);
  if (measured && measured !== report.platform && !measured.startsWith(`${report.platform}/`) && !report.platform.startsWith(`${measured}/`)) {
    const what = report.registry ? `This tag is a single-platform image for ${measured}` : `This repository holds the ${measured} build`;
    lines.push(`_${what}; the figures are for that platform, not ${report.platform}._`);
  }
  lines.push(...statusLines(report));
  return lines.join('\n').trimEnd();
}

/** "cannot reach docker.io: the connection was refused" → "docker.io could not be reached (the connection was refused)". */
function unreachableWords(error: string): string {
  const m = /^cannot reach (\S+): (.+)$/.exec(error);
  return escapeCell(m ? `${m[1]} could not be reached (${m[2]})` : error);
}

/** Offline, failing or switched off: said in words, with the snapshot's date when its figures are shown. */
function statusLines(report: ImageSizeReport): string[] {
  const snapshot = report.snapshot && !report.registry ? snapshotName(report.snapshot) : undefined;
  if (!report.online) {
    return [`_Online lookups are off (\`multistage.imageSizes.online\`)${snapshot ? `: showing the ${snapshot}.` : '; the bundled snapshot has no figure for this image.'}_`];
  }
  if (!report.error) return [];
  if (report.unreachable) {
    const failure = unreachableWords(report.error);
    if (report.registry) return [`_Offline: ${failure}, so these are the figures it gave ${report.registry.stale ? 'earlier' : 'last time'}._`];
    if (snapshot) return [`_Offline: ${failure}, so this shows the ${snapshot}._`];
    return [`_Offline: ${failure}, and the bundled snapshot has no figure for this image._`];
  }
  return [`_Registry: ${escapeCell(report.error)}${snapshot ? `; showing the ${snapshot}` : ''}._`.replace(/\.\._$/, '._')];
}

/** `FROM ${BASE}` without a default: the image is chosen at build time, so there is nothing to measure. */
export function renderUnresolvedImageHover(image: string): string {
  return `**${escapeCell(image)}** · decided at build time: a build argument here has no default, so there is no size to show (set a default with \`ARG\` to see one).`;
}

/** "FROM scratch" is not an image anyone downloads. */
export function renderScratchHover(): string {
  return '**scratch** · the empty image: 0 bytes, no layers, no shell.';
}

/** Short text for the inlay hint: "392.4 MB · slim 70.1 MB"; undefined until a size is known. */
export function inlayLabel(report: ImageSizeReport | undefined, variants: readonly VariantSize[]): string | undefined {
  const main = compressedOf(report);
  if (!main) return undefined;
  let best: { label: string; bytes: number; approximate?: boolean } | undefined;
  for (const v of variants) {
    const size = compressedOf(v.report);
    if (size && size.bytes < main.bytes && (!best || size.bytes < best.bytes)) best = { label: v.label, bytes: size.bytes, approximate: size.approximate };
  }
  return best ? `${sizeText(main)} · ${best.label} ${sizeText(best)}` : sizeText(main);
}

/** Named stages by name; unnamed ones the way `--from=` would name them (their 0-based index). */
function stageLabel(stage: Stage): string {
  return stage.name ? `\`${stage.name}\`` : `\`${stage.index}\` (unnamed)`;
}

const REF_KIND: Record<string, string> = { copy: 'COPY --from', mount: 'RUN --mount from', from: 'FROM' };

/** `baseSize`: what the stage's base image weighs, when already known (never looked up for this). */
export function renderStageHover(model: DockerfileModel, stage: Stage, baseSize?: ImageSizeReport): string {
  const lines = [`**Stage ${stageLabel(stage)}** · stage ${stage.index + 1} of ${model.stages.length}, line ${stage.range.start.line + 1}`, ''];
  if (stage.baseStage !== undefined) lines.push(`- Base: stage ${stageLabel(model.stages[stage.baseStage])}`);
  else {
    const size = compressedOf(baseSize);
    const sizeNote = size ? `, ${sizeText(size)} compressed (${size.sourceShort})` : '';
    lines.push(`- Base: \`${escapeCell(stage.image || stage.imageRaw || '?')}\`${stage.platform ? ` (${stage.platform})` : ''}${sizeNote}`);
  }
  if (stage.index === model.targetIndex) lines.push('- This is the stage being built (the final image).');
  else if (stage.reachesTarget) lines.push(`- Reaches the final image ${stageLabel(model.stages[model.targetIndex])}: yes, through the stages that use it.`);
  else lines.push('- Reaches the final image: no, nothing that is built copies from it (BuildKit skips it).');
  const users = model.refs.filter((r) => r.target === stage.index);
  if (users.length === 0) lines.push('- No later stage uses it.');
  else {
    lines.push('- Used by:');
    for (const ref of users) {
      lines.push(`  - stage ${stageLabel(model.stages[ref.fromStage])}: ${REF_KIND[ref.kind]} (line ${ref.range.start.line + 1})`);
    }
  }
  return lines.join('\n');
}
