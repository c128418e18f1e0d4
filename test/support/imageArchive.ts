// Image exports built in memory for tests, in the layouts engines write: classic `docker save`
// (`<id>/layer.tar`, the config, manifest.json last) and OCI (oci-layout, index.json, blobs/sha256/…,
// layers gzip-compressed or not, optionally behind a nested index).
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { tarArchive, type LongNames, type TarItem } from './tarWriter';

export interface TestImage {
  /** Each layer's tar entries, oldest layer first. */
  layers: TarItem[][];
  /** The config's history: one entry per instruction, `emptyLayer` for those without a layer. */
  history: { createdBy: string; emptyLayer?: boolean }[];
}

export interface BuiltArchive {
  archive: Buffer;
  /** sha256 of the config, as engines name the image. */
  imageId: string;
  diffIds: string[];
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function config(image: TestImage, diffIds: string[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Cmd: ['sh'] },
      rootfs: { type: 'layers', diff_ids: diffIds },
      history: image.history.map((h) => ({ created: '2026-01-01T00:00:00Z', created_by: h.createdBy, ...(h.emptyLayer ? { empty_layer: true } : {}) })),
    }),
  );
}

/** Classic `docker save`: one folder per layer, config next to them, manifest.json and repositories last. */
export function dockerArchive(image: TestImage, options: { longNames?: LongNames; manifestFirst?: boolean; linkRepeatedLayers?: boolean } = {}): BuiltArchive {
  const layerTars = image.layers.map((items) => tarArchive(items, options.longNames));
  const diffIds = layerTars.map((t) => `sha256:${sha256(t)}`);
  const cfg = config(image, diffIds);
  const configName = `${sha256(cfg)}.json`;
  const members: TarItem[] = [];
  const layerPaths: string[] = [];
  const seen = new Map<string, string>();
  layerTars.forEach((tar, i) => {
    const id = sha256(Buffer.concat([tar, Buffer.from(String(i))]));
    const path = `${id}/layer.tar`;
    layerPaths.push(path);
    members.push({ path: id, type: 'dir' }, { path: `${id}/VERSION`, content: '1.0' }, { path: `${id}/json`, content: '{"id":"x"}' });
    const earlier = seen.get(diffIds[i]);
    // docker save links a layer that repeats an earlier one instead of storing it twice.
    if (earlier && options.linkRepeatedLayers) members.push({ path, type: 'symlink', linkPath: `../${earlier}` });
    else members.push({ path, content: tar });
    seen.set(diffIds[i], path);
  });
  const manifest: TarItem = { path: 'manifest.json', content: JSON.stringify([{ Config: configName, RepoTags: ['test/image:1'], Layers: layerPaths }]) };
  const tail: TarItem[] = [{ path: configName, content: cfg }, { path: 'repositories', content: '{"test/image":{"1":"x"}}' }];
  const ordered = options.manifestFirst ? [manifest, ...members, ...tail] : [...members, ...tail, manifest];
  return { archive: tarArchive(ordered), imageId: `sha256:${sha256(cfg)}`, diffIds };
}

export interface OciOptions {
  /** Compress layers with gzip: all, none, or per layer. */
  gzip?: boolean | boolean[];
  /** index.json → index blob → manifest (multi-platform exports), with a manifest for a platform that is not in the archive. */
  nestedIndex?: boolean;
  /** Also write Docker's manifest.json beside the index, as Docker ≥ 25 does. */
  dockerManifest?: boolean;
  /** An attestation manifest in the index, as BuildKit adds. */
  attestation?: boolean;
}

/** OCI image layout in a tar, blobs in digest order (as engines write them). */
export function ociArchive(image: TestImage, options: OciOptions = {}): BuiltArchive {
  const layerTars = image.layers.map((items) => tarArchive(items));
  const diffIds = layerTars.map((t) => `sha256:${sha256(t)}`);
  const cfg = config(image, diffIds);
  const blobs = new Map<string, Buffer>();
  const put = (b: Buffer): string => {
    const digest = `sha256:${sha256(b)}`;
    blobs.set(digest, b);
    return digest;
  };
  const layerDescriptors = layerTars.map((tar, i) => {
    const gz = Array.isArray(options.gzip) ? options.gzip[i] : options.gzip;
    const blob = gz ? gzipSync(tar) : tar;
    return {
      mediaType: gz ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.oci.image.layer.v1.tar',
      digest: put(blob),
      size: blob.length,
    };
  });
  const configDigest = put(cfg);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: cfg.length },
      layers: layerDescriptors,
    }),
  );
  const manifestDescriptor = {
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: put(manifest),
    size: manifest.length,
    platform: { architecture: 'amd64', os: 'linux' },
  };
  const entries: object[] = [manifestDescriptor];
  if (options.attestation) {
    const att = Buffer.from(JSON.stringify({ schemaVersion: 2, config: { digest: configDigest }, layers: [] }));
    entries.push({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: put(att),
      size: att.length,
      platform: { architecture: 'unknown', os: 'unknown' },
      annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': manifestDescriptor.digest },
    });
  }
  let top: object[] = entries;
  if (options.nestedIndex) {
    // A platform the export does not carry: its manifest blob is absent.
    const absent = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'e'.repeat(64)}`, size: 10, platform: { architecture: 'arm64', os: 'linux' } };
    const inner = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [absent, ...entries] }));
    top = [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: put(inner), size: inner.length }];
  }
  const index = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: top });
  const members: TarItem[] = [{ path: 'blobs', type: 'dir' }, { path: 'blobs/sha256', type: 'dir' }];
  for (const digest of [...blobs.keys()].sort()) members.push({ path: `blobs/sha256/${digest.slice(7)}`, content: blobs.get(digest)! });
  members.push({ path: 'index.json', content: index }, { path: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' });
  if (options.dockerManifest) {
    members.push({
      path: 'manifest.json',
      content: JSON.stringify([{ Config: `blobs/sha256/${configDigest.slice(7)}`, RepoTags: ['test/image:1'], Layers: layerDescriptors.map((d) => `blobs/sha256/${d.digest.slice(7)}`) }]),
    });
  }
  return { archive: tarArchive(members), imageId: `sha256:${sha256(cfg)}`, diffIds };
}

/** Feeds a buffer to the analyser in chunks of awkward sizes, as a pipe would. */
export async function* chunked(buffer: Buffer, size = 4093): AsyncGenerator<Buffer> {
  for (let at = 0; at < buffer.length; at += size) yield buffer.subarray(at, Math.min(buffer.length, at + size));
}
