// The bundled snapshot of popular official images' compressed sizes, used when offline or when
// `multistage.imageSizes.online` is false. Every entry names where its figure came from and when; the
// file is produced by regenerate.ts on a machine with registry access (see docs/image-sizes.md).
import snapshotJson from './snapshot.json';
import { parseImageReference } from '../reference';
import { formatPlatform, type Platform } from '../platform';

export interface SnapshotEntry {
  /** As people write it: "node:20-slim". */
  image: string;
  platform: string;
  compressedBytes: number;
  layers?: number;
  digest?: string;
  /** When the figure was true (registry read time, or the date of the page it was taken from). */
  asOf: string;
  /** Where the figure came from: "registry" (regenerate.ts) or a page URL. */
  source: string;
  /** Set for rounded figures taken from a page ("58MB"), shown with ≈. */
  approximate?: boolean;
  /** For page figures: the words the figure was taken from, so a reader can check it. */
  quote?: string;
}

export interface SnapshotFile {
  generatedAt: string;
  generator: string;
  entries: SnapshotEntry[];
}

export class ImageSnapshot {
  private readonly byKey = new Map<string, SnapshotEntry>();

  constructor(readonly file: SnapshotFile = snapshotJson as SnapshotFile) {
    for (const entry of file.entries ?? []) {
      const ref = parseImageReference(entry.image);
      if (ref && Number.isSafeInteger(entry.compressedBytes) && entry.compressedBytes > 0) {
        this.byKey.set(`${ref.canonical}|${entry.platform}`, entry);
      }
    }
  }

  get size(): number {
    return this.byKey.size;
  }

  /** The entry for a canonical reference and platform (arm64 entries serve arm64/v8 too). */
  find(canonical: string, platform: Platform): SnapshotEntry | undefined {
    return this.byKey.get(`${canonical}|${formatPlatform(platform)}`)
      ?? this.byKey.get(`${canonical}|${formatPlatform({ os: platform.os, architecture: platform.architecture })}`);
  }
}
