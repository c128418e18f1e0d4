// Sizes of images already pulled: `docker image inspect` through the shared argv-only runner. When the
// CLI or the daemon is missing the lookup resolves to undefined and the hover simply has no local row.
import type { DockerResult, RunDockerOptions } from '../docker/runner';
import { formatPlatform, platformMatches, type Platform } from './platform';

export type DockerRunner = (argv: readonly string[], options?: RunDockerOptions) => Promise<DockerResult>;

export interface LocalImageFacts {
  /** What `docker image inspect` reports as Size: the unpacked size on disk. */
  uncompressedBytes: number;
  layers: number;
  /** Digest as pulled (RepoDigests), when the image came from a registry. */
  repoDigest?: string;
  platform: string;
  /** When this figure was read. */
  inspectedAt: number;
}

export interface LocalImageSource {
  inspect(reference: string, platform: Platform, options: { dockerPath?: string; timeoutMs: number }): Promise<LocalImageFacts | undefined>;
}

export class DockerCliImages implements LocalImageSource {
  /** After the CLI is found missing or the daemon down, skip it for a while instead of spawning per hover. */
  private unavailableUntil = 0;

  constructor(private readonly run: DockerRunner, private readonly now: () => number = Date.now) {}

  async inspect(reference: string, platform: Platform, options: { dockerPath?: string; timeoutMs: number }): Promise<LocalImageFacts | undefined> {
    if (this.unavailableUntil > this.now()) return undefined;
    const result = await this.run(['image', 'inspect', '--format', '{{json .}}', reference], { dockerPath: options.dockerPath, timeoutMs: options.timeoutMs });
    if (result.code !== 0) {
      // "No such image" is the normal answer for images never pulled; anything else means no usable Docker.
      if (!/no such (image|object)/i.test(result.stderr)) this.unavailableUntil = this.now() + 60_000;
      return undefined;
    }
    return parseInspect(result.stdout, platform, this.now());
  }
}

/** Reads one `docker image inspect --format '{{json .}}'` line; undefined when it is for another platform. */
export function parseInspect(stdout: string, platform: Platform, inspectedAt: number): LocalImageFacts | undefined {
  let json: any;
  try {
    json = JSON.parse(stdout.trim().split('\n')[0]);
  } catch {
    return undefined;
  }
  if (!json || typeof json.Size !== 'number') return undefined;
  const local: Platform = { os: json.Os ?? 'linux', architecture: json.Architecture ?? '', variant: json.Variant || undefined };
  // A local image for another architecture says nothing about the one being built.
  if (!platformMatches(local, platform)) return undefined;
  const layers = Array.isArray(json.RootFS?.Layers) ? json.RootFS.Layers.length : 0;
  const repoDigest = Array.isArray(json.RepoDigests) && typeof json.RepoDigests[0] === 'string' ? json.RepoDigests[0].split('@')[1] : undefined;
  return { uncompressedBytes: json.Size, layers, repoDigest, platform: formatPlatform(local), inspectedAt };
}
