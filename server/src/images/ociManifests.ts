// Reading distribution manifests: which documents are indexes, which entry serves a platform, and the
// byte sum of a platform manifest's layers. Pure; the registry client feeds it what it downloaded.
import { formatPlatform, platformMatches, type Platform } from './platform';

export const MEDIA_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;

/** What we ask for: every current manifest shape, never the deprecated schema 1. */
export const MANIFEST_ACCEPT = [MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerList, MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest].join(', ');

export class MalformedManifestError extends Error {}

interface Descriptor {
  mediaType?: string;
  digest: string;
  size: number;
  platform?: Partial<Platform> & { 'os.version'?: string };
  annotations?: Record<string, string>;
}

export type ParsedManifest =
  | { kind: 'index'; entries: Descriptor[]; annotations: Record<string, string> }
  | { kind: 'image'; layers: Descriptor[]; config?: Descriptor; annotations: Record<string, string> };

function isDescriptor(value: unknown): value is Descriptor {
  const d = value as Descriptor;
  return !!d && typeof d === 'object' && typeof d.digest === 'string' && /^[a-z0-9]+:[a-f0-9A-Za-z=_-]+$/.test(d.digest)
    && Number.isSafeInteger(d.size) && d.size >= 0;
}

export function parseManifest(body: string, contentType: string | null): ParsedManifest {
  let json: any;
  try {
    json = JSON.parse(body);
  } catch {
    throw new MalformedManifestError('the registry returned a manifest that is not JSON');
  }
  if (!json || typeof json !== 'object') throw new MalformedManifestError('the manifest is not a JSON object');
  const mediaType: string = json.mediaType ?? contentType?.split(';')[0].trim() ?? '';
  const annotations = json.annotations && typeof json.annotations === 'object' ? json.annotations : {};
  if (json.schemaVersion === 1) throw new MalformedManifestError('schema 1 manifests carry no layer sizes');
  if (Array.isArray(json.manifests) || mediaType === MEDIA_TYPES.ociIndex || mediaType === MEDIA_TYPES.dockerList) {
    if (!Array.isArray(json.manifests) || !json.manifests.every(isDescriptor)) {
      throw new MalformedManifestError('the image index has entries without a digest or size');
    }
    return { kind: 'index', entries: json.manifests, annotations };
  }
  if (!Array.isArray(json.layers) || !json.layers.every(isDescriptor)) {
    throw new MalformedManifestError('the image manifest has layers without a digest or size');
  }
  return { kind: 'image', layers: json.layers, config: isDescriptor(json.config) ? json.config : undefined, annotations };
}

/**
 * Attestation manifests (BuildKit provenance/SBOM) sit in the index as "unknown/unknown" entries with a
 * reference-type annotation; they are not images anyone pulls.
 */
export function isAttestation(entry: Descriptor): boolean {
  return entry.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest'
    || (entry.platform?.os === 'unknown' && entry.platform?.architecture === 'unknown');
}

export function pickPlatformEntry(entries: Descriptor[], wanted: Platform): Descriptor | undefined {
  return entries.find((entry) => !isAttestation(entry) && platformMatches(entry.platform, wanted));
}

export function platformsOffered(entries: Descriptor[]): string[] {
  return entries.filter((e) => !isAttestation(e) && e.platform?.os && e.platform?.architecture)
    .map((e) => formatPlatform(e.platform as Platform));
}

export function layerBytes(manifest: Extract<ParsedManifest, { kind: 'image' }>): number {
  return manifest.layers.reduce((sum, layer) => sum + layer.size, 0);
}
