// Finds the image in what the archive reader collected: which config, which layers in which order.
// Two layouts: docker-archive (manifest.json: Config + Layers as archive paths; Docker ≥ 25 and the
// containerd store also write it beside their OCI index) and OCI (index.json → manifest, possibly through
// nested indexes → config + layer blobs by digest).
import { createHash } from 'node:crypto';
import type { ArchiveLayout } from './types';
import { ArchiveError, normaliseArchivePath, type ArchiveContents } from './archiveReader';
import type { LayerTable } from './layerTable';

export interface ImageConfig {
  history?: { created_by?: string; empty_layer?: boolean; comment?: string }[];
  rootfs?: { diff_ids?: string[] };
}

export interface ArchiveImage {
  layout: ArchiveLayout;
  /** sha256 of the config: the image id engines show. */
  imageId: string;
  config: ImageConfig;
  layers: LayerTable[];
  /** Archive paths of the layers, oldest first (for messages). */
  layerPaths: string[];
}

const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);

interface Descriptor {
  mediaType?: string;
  digest?: string;
  platform?: { architecture?: string; os?: string };
  annotations?: Record<string, string>;
}

interface OciManifest {
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
}

export function findImage(contents: ArchiveContents, hostArch: string = goArch(process.arch)): ArchiveImage {
  const layout: ArchiveLayout = contents.documents.has('index.json') ? 'oci' : 'docker-archive';
  const dockerManifest = contents.documents.get('manifest.json');
  if (dockerManifest) return fromDockerManifest(contents, dockerManifest, layout);
  if (layout === 'oci') return fromOciIndex(contents, hostArch);
  const seen = contents.order.slice(0, 5).join(', ');
  throw new ArchiveError(`the archive has neither manifest.json nor index.json, so it is not an image export (it starts with: ${seen || 'nothing'})`);
}

function fromDockerManifest(contents: ArchiveContents, raw: Buffer, layout: ArchiveLayout): ArchiveImage {
  const manifest = parseJson<{ Config?: string; Layers?: string[] }[]>(raw, 'manifest.json');
  const image = Array.isArray(manifest) ? manifest[0] : undefined;
  if (!image || typeof image.Config !== 'string' || !Array.isArray(image.Layers)) {
    throw new ArchiveError('manifest.json names no image (expected [{ "Config": …, "Layers": […] }])');
  }
  const configPath = normaliseArchivePath(image.Config) ?? image.Config;
  const configBytes = documentAt(contents, configPath, 'the image config');
  const layerPaths = image.Layers.map((p) => resolveAlias(contents, normaliseArchivePath(p) ?? p));
  return {
    layout,
    imageId: `sha256:${createHash('sha256').update(configBytes).digest('hex')}`,
    config: parseJson<ImageConfig>(configBytes, configPath),
    layers: layerPaths.map((p) => layerAt(contents, p)),
    layerPaths,
  };
}

function fromOciIndex(contents: ArchiveContents, hostArch: string): ArchiveImage {
  const candidates: { manifest: OciManifest; platform?: Descriptor['platform'] }[] = [];
  const visit = (index: OciManifest, where: string, depth: number): void => {
    if (depth > 8) throw new ArchiveError(`${where}: indexes nest deeper than 8 levels`);
    for (const descriptor of index.manifests ?? []) {
      if (descriptor.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') continue;
      if (descriptor.platform?.os === 'unknown') continue;
      const path = blobPath(descriptor.digest);
      const raw = path ? contents.documents.get(resolveAlias(contents, path)) : undefined;
      // Multi-platform indexes list platforms the export does not carry: only present ones count.
      if (!raw || !path) continue;
      const child = parseJson<OciManifest>(raw, path);
      if (INDEX_TYPES.has(descriptor.mediaType ?? '') || Array.isArray(child.manifests)) visit(child, path, depth + 1);
      else if (child.config && Array.isArray(child.layers)) candidates.push({ manifest: child, platform: descriptor.platform });
    }
  };
  visit(parseJson<OciManifest>(contents.documents.get('index.json')!, 'index.json'), 'index.json', 0);
  const complete = candidates.filter((c) => [c.manifest.config, ...(c.manifest.layers ?? [])].every((d) => isPresent(contents, d)));
  const chosen = complete.find((c) => c.platform?.architecture === hostArch) ?? complete[0];
  if (!chosen) {
    throw new ArchiveError(
      candidates.length === 0
        ? 'index.json leads to no image manifest in the archive'
        : 'the archive lacks blobs its image manifest names (an incomplete export?)',
    );
  }
  const configPath = resolveAlias(contents, blobPath(chosen.manifest.config?.digest)!);
  const configBytes = documentAt(contents, configPath, 'the image config');
  const layerPaths = (chosen.manifest.layers ?? []).map((d) => resolveAlias(contents, blobPath(d.digest)!));
  return {
    layout: 'oci',
    imageId: `sha256:${createHash('sha256').update(configBytes).digest('hex')}`,
    config: parseJson<ImageConfig>(configBytes, configPath),
    layers: layerPaths.map((p) => layerAt(contents, p)),
    layerPaths,
  };
}

function isPresent(contents: ArchiveContents, descriptor: Descriptor | undefined): boolean {
  const path = blobPath(descriptor?.digest);
  if (!path) return false;
  const target = resolveAlias(contents, path);
  return contents.layers.has(target) || contents.documents.has(target) || contents.skipped.has(target);
}

/** `sha256:ab12…` → `blobs/sha256/ab12…`; undefined for anything that is not an algorithm and a hex digest. */
function blobPath(digest: string | undefined): string | undefined {
  const m = /^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-fA-F0-9]{32,})$/.exec(digest ?? '');
  return m ? `blobs/${m[1]}/${m[2]}` : undefined;
}

function resolveAlias(contents: ArchiveContents, path: string): string {
  let current = path;
  for (let hops = 0; hops < 16; hops++) {
    const next = contents.aliases.get(current);
    if (next === undefined) return current;
    current = next;
  }
  throw new ArchiveError(`${path}: links in the archive form a loop`);
}

function documentAt(contents: ArchiveContents, path: string, what: string): Buffer {
  const raw = contents.documents.get(resolveAlias(contents, path));
  if (!raw) throw new ArchiveError(`${what} ${path} is missing from the archive`);
  return raw;
}

function layerAt(contents: ArchiveContents, path: string): LayerTable {
  const table = contents.layers.get(path);
  if (table instanceof Error) throw new ArchiveError(`cannot read ${path}: ${table.message}`);
  if (table) return table;
  const reason = contents.skipped.get(path);
  throw new ArchiveError(reason ? `layer ${path} is ${reason}` : `layer ${path} is missing from the archive`);
}

function parseJson<T>(raw: Buffer, where: string): T {
  try {
    return JSON.parse(raw.toString('utf8')) as T;
  } catch (error) {
    throw new ArchiveError(`${where} is not valid JSON (${(error as Error).message})`);
  }
}

/** Node's process.arch in the OCI platform's words. */
function goArch(arch: string): string {
  return arch === 'x64' ? 'amd64' : arch === 'ia32' ? '386' : arch;
}
