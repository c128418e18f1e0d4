// Assembles the image-size parts for the server: cache (with the client's storage folder), registry
// client (Docker credentials, insecure-registry list), local Docker through the shared runner, and the
// bundled snapshot. Every caller passes the settings of the document it serves (platform, online), so no
// request depends on which document asked last.
import type { DockerfileModel } from '../analysis/model';
import type { ImageFacts } from '../analysis/types';
import { runDocker } from '../docker/runner';
import { DockerConfigCredentials } from './credentials';
import { imagesOf } from './documentImages';
import { DockerHubTags } from './dockerHubTags';
import { FactsCache } from './factsCache';
import { ImageSizeService } from './imageSizeService';
import { DockerCliImages } from './localDocker';
import { effectivePlatform } from './platform';
import { OciRegistryClient, type RegistryFacts } from './registryClient';
import { ImageSnapshot } from './snapshot/snapshot';

/** The parts of a document's settings that decide which image facts it gets. */
export interface DocumentImageSettings {
  /** `multistage.platform`; empty: the host's. */
  platform: string;
  online: boolean;
  timeoutMs: number;
  dockerPath?: string;
  insecureRegistries: readonly string[];
}

export class ImageSizes {
  private insecure: readonly string[] = [];
  readonly service: ImageSizeService;
  readonly cache: FactsCache<RegistryFacts>;

  constructor(storagePath: string | undefined, log: (message: string) => void) {
    this.cache = new FactsCache<RegistryFacts>({ storagePath, onError: log });
    const registry = new OciRegistryClient({ credentials: new DockerConfigCredentials(), insecureRegistries: () => this.insecure, pushDates: new DockerHubTags() });
    this.service = new ImageSizeService({ registry, local: new DockerCliImages(runDocker), snapshot: new ImageSnapshot(), cache: this.cache });
    // The disk copy is written lazily; the write is synchronous, so it can still happen as the server exits.
    process.once('exit', () => this.cache.flush());
  }

  /** `multistage.registries.insecure` is one list for the whole window; the latest reading wins. */
  useInsecureRegistries(list: readonly string[]): void {
    this.insecure = list;
  }

  /** Known facts for the rules of a document with these settings: synchronous, no IO. */
  factsFor(settings: DocumentImageSettings): ReadonlyMap<string, ImageFacts> {
    return this.service.knownFacts(effectivePlatform(undefined, settings.platform), settings.online);
  }

  /**
   * Starts lookups for the document's FROM images and their smaller variants that are not known yet,
   * without waiting: the rules run with what is known, and when an answer brings news the service's
   * onDidLearn makes the server re-publish diagnostics.
   */
  request(model: DockerfileModel, settings: DocumentImageSettings): void {
    this.useInsecureRegistries(settings.insecureRegistries);
    // Only the compressed figures and digests feed rules: no `docker image inspect` per FROM line here.
    const lookup = { online: settings.online, timeoutMs: settings.timeoutMs, dockerPath: settings.dockerPath, includeLocal: false };
    for (const image of imagesOf(model, settings.platform)) {
      this.service.prefetch(image.reference, image.platform, lookup);
      for (const variant of image.variants) this.service.prefetch(variant.reference, image.platform, lookup);
    }
  }
}
