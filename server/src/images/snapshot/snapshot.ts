// The bundled snapshot of popular official images' compressed sizes, used when offline or when
// `multistage.imageSizes.online` is false. Every entry names where its figure came from; the file is
// produced by fromRepoInfo.ts (figures from docker-library/repo-info) or regenerate.ts (the registries
// themselves), see docs/image-sizes.md.
import snapshotJson from './snapshot.json';
import { parseImageReference } from '../../analysis/imageReference';
import { formatPlatform, type Platform } from '../platform';

export interface SnapshotEntry {
  /** As people write it: "node:20-slim". */
  image: string;
  platform: string;
  compressedBytes: number;
  layers?: number;
  /** What the tag pointed at (the index digest for multi-platform images). */
  digest?: string;
  /** The platform's own manifest digest, when the source lists it. */
  platformDigest?: string;
  /** When the image was built: its newest layer's last-modified date (repo-info) or its creation date (registry). */
  newestLayerAt?: string;
  /** When the figure was true (registry read time, the newest layer's date, or a page's date). */
  asOf: string;
  /** Where the figure came from: "registry", a repository path ("docker-library/repo-info/repos/…"), or a page URL. */
  source: string;
  /** The commit of `source` the figure was read from, for repository sources. */
  sourceCommit?: string;
  /** Set for rounded figures taken from a page ("58MB"), shown with ≈. */
  approximate?: boolean;
  /** For page figures: the words the figure was taken from, so a reader can check it. */
  quote?: string;
}

export interface SnapshotFile {
  /** The snapshot's date: when its figures were collected (shown wherever they are). */
  generatedAt: string;
  generator: string;
  entries: SnapshotEntry[];
}

/**
 * Registries and namespaces that serve Docker Hub's official images under another name. mirror.gcr.io is
 * Google's pull-through cache of Docker Hub; `amd64/alpine`, `arm64v8/alpine`… are the per-architecture
 * repositories the official images are published to, one platform each.
 */
const ARCH_NAMESPACES: Record<string, string> = { amd64: 'linux/amd64', arm64v8: 'linux/arm64', arm32v7: 'linux/arm/v7' };

export interface SnapshotMatch {
  entry: SnapshotEntry;
  /** Set when the reference was found under another name: "mirror.gcr.io mirrors Docker Hub". */
  via?: string;
}

export class ImageSnapshot {
  private readonly byKey = new Map<string, SnapshotEntry>();
  /** Entries by "<repository>@<digest>|<platform>", index and platform digests alike. */
  private readonly byDigest = new Map<string, SnapshotEntry>();

  constructor(readonly file: SnapshotFile = snapshotJson as SnapshotFile) {
    for (const entry of file.entries ?? []) {
      const ref = parseImageReference(entry.image);
      if (ref && Number.isSafeInteger(entry.compressedBytes) && entry.compressedBytes > 0) {
        this.byKey.set(`${ref.canonical}|${entry.platform}`, entry);
        const repository = `${ref.registry}/${ref.repository}`;
        // Several tags can point at the same build (alpine:3.23 and alpine:3.23.6): the first keeps the key.
        const byDigest = (key: string) => this.byDigest.has(key) || this.byDigest.set(key, entry);
        if (entry.digest) byDigest(`${repository}@${entry.digest}|${entry.platform}`);
        // A platform manifest digest names one image: it answers whatever platform is asked for.
        if (entry.platformDigest) byDigest(`${repository}@${entry.platformDigest}|*`);
      }
    }
  }

  get size(): number {
    return this.byKey.size;
  }

  /** The snapshot's date ("2026-12-03"). */
  get date(): string {
    return this.file.generatedAt.slice(0, 10);
  }

  /** The entry for a canonical reference and platform (arm64 entries serve arm64/v8 too). */
  find(canonical: string, platform: Platform): SnapshotEntry | undefined {
    return this.match(canonical, platform)?.entry;
  }

  /** Like find, also through Docker Hub's mirror and per-architecture namespaces, saying which. */
  match(canonical: string, platform: Platform): SnapshotMatch | undefined {
    const direct = this.lookup(canonical, platform);
    if (direct) return { entry: direct };
    const mirrored = /^mirror\.gcr\.io\/(?:library\/)?([^/]+)$/.exec(canonical);
    if (mirrored) {
      const entry = this.lookup(`docker.io/library/${mirrored[1]}`, platform);
      return entry && { entry, via: 'mirror.gcr.io mirrors Docker Hub' };
    }
    const perArch = /^docker\.io\/(amd64|arm64v8|arm32v7)\/([^/]+)$/.exec(canonical);
    if (perArch) {
      // Those repositories hold one platform each, whatever platform the build asks for.
      const entry = this.byKey.get(`docker.io/library/${perArch[2]}|${ARCH_NAMESPACES[perArch[1]]}`);
      return entry && { entry, via: `${perArch[1]}/ holds the official image's ${ARCH_NAMESPACES[perArch[1]]} build` };
    }
    return undefined;
  }

  private lookup(canonical: string, platform: Platform): SnapshotEntry | undefined {
    // A digest names exactly one build: only an entry with that digest answers, never the tag's figure.
    const pinned = /^([^@]+?)(?::[^:/@]+)?(@sha256:[0-9a-f]{64})$/.exec(canonical);
    if (pinned) {
      const name = `${pinned[1]}${pinned[2]}`;
      return this.byDigest.get(`${name}|${formatPlatform(platform)}`)
        ?? this.byDigest.get(`${name}|${formatPlatform({ os: platform.os, architecture: platform.architecture })}`)
        ?? this.byDigest.get(`${name}|*`);
    }
    return this.byKey.get(`${canonical}|${formatPlatform(platform)}`)
      ?? this.byKey.get(`${canonical}|${formatPlatform({ os: platform.os, architecture: platform.architecture })}`);
  }
}
