// Which local images were built from a Dockerfile, for X-ray Image's "pick an existing image": the
// engine records no source file, so an image counts as built from this file when its history, aligned
// with the file's instructions (layerMapping.ts), has an entry that repeats an instruction's own text —
// a RUN command, or a BuildKit COPY/ADD with its arguments. A keyword alone (every image ends in CMD)
// is not evidence. Pure: the caller lists the images and reads their histories.
import { mapHistoryToDockerfile, type HistoryEntry } from '../../../server/src/docker/pure/layerMapping';

export interface LocalImage {
  /** repository:tag, or the short id for an untagged image. */
  name: string;
  id: string;
  createdSince: string;
  size: string;
}

export interface RankedImage extends LocalImage {
  /** Instructions of this file whose text the image's history repeats; 0: not built from it. */
  matchedInstructions: number;
}

/** `docker image ls --format '{{json .}}'` lines; dangling (<none>) images are left out. */
export function parseImageList(stdout: string): LocalImage[] {
  const images: LocalImage[] = [];
  const seen = new Set<string>();
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    let row: { Repository?: string; Tag?: string; ID?: string; CreatedSince?: string; Size?: string };
    try {
      row = JSON.parse(line);
    } catch {
      continue;
    }
    if (!row.ID || !row.Repository || row.Repository === '<none>') continue;
    const name = row.Tag && row.Tag !== '<none>' ? `${row.Repository}:${row.Tag}` : row.Repository;
    if (seen.has(name)) continue;
    seen.add(name);
    images.push({ name, id: row.ID, createdSince: row.CreatedSince ?? '', size: row.Size ?? '' });
  }
  return images;
}

/** How many of the file's instructions the history repeats word for word (whitespace collapsed). */
export function matchedInstructions(
  dockerfileText: string,
  target: string | undefined,
  history: readonly (HistoryEntry & { hasFilesystemLayer: boolean })[],
): number {
  const rows = mapHistoryToDockerfile(dockerfileText, target, history);
  let matched = 0;
  for (const row of rows) {
    if (row.fromBaseImage || !row.source || !row.instruction) continue;
    const args = collapse(row.source.slice(row.instruction.length));
    if (args.length < 3) continue;
    if (collapse(row.createdBy).includes(args.slice(0, 60))) matched++;
  }
  return matched;
}

/** Images built from the file first (most matching instructions, then the engine's order: newest first). */
export function rankImages(images: readonly LocalImage[], matched: ReadonlyMap<string, number>): RankedImage[] {
  return images
    .map((image, order) => ({ ...image, matchedInstructions: matched.get(image.id) ?? 0, order }))
    .sort((a, b) => Number(b.matchedInstructions > 0) - Number(a.matchedInstructions > 0) || a.order - b.order)
    .map(({ order: _order, ...image }) => image);
}

function collapse(text: string): string {
  return text.replace(/\\\r?\n/g, ' ').replace(/\s+/g, ' ').trim();
}
