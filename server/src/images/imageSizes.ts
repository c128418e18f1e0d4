// Assembles the image-size parts for the server: cache (with the client's storage folder), registry
// client (Docker credentials), local Docker through the shared runner, and the bundled snapshot. Every
// caller passes the settings of the document it serves (platform, online, insecure registries), so no
// request depends on which document asked last.
import type { DockerfileModel } from '../analysis/model';
import type { ImageFacts } from '../analysis/types';
import { runDocker } from '../docker/runner';
import { DockerConfigCredentials } from './credentials';
import { imagesOf } from './documentImages';
import { DockerHubTags } from './dockerHubTags';
import { FactsCache } from './factsCache';
import { ImageSizeService, type ImageSizeServiceDeps, type LookupSettings } from './imageSizeService';
import { DockerCliImages } from './localDocker';
import { effectivePlatform } from './platform';
import { OciRegistryClient, type RegistryFacts } from './registryClient';
import { ImageSnapshot } from './snapshot/snapshot';

/** The parts of a document's settings that decide which image facts it gets; also what each lookup carries. */
export interface DocumentImageSettings extends LookupSettings {
  /** `multistage.platform`; empty: the host's. */
  platform: string;
  insecureRegistries: readonly string[];
}

export class ImageSizes {
  readonly service: ImageSizeService;
  readonly cache: FactsCache<RegistryFacts>;

  // The disk copy is written lazily; the write is synchronous, so it can still happen as the server exits.
  private readonly flushOnExit = () => this.cache.flush();

  /** `parts` replaces the real registry client, local Docker or snapshot (tests). */
  constructor(storagePath: string | undefined, log: (message: string) => void, parts: Partial<Pick<ImageSizeServiceDeps, 'registry' | 'local' | 'snapshot'>> = {}) {
    this.cache = new FactsCache<RegistryFacts>({ storagePath, onError: log });
    const registry = parts.registry ?? new OciRegistryClient({ credentials: new DockerConfigCredentials(), pushDates: new DockerHubTags() });
    this.service = new ImageSizeService({ registry, local: parts.local ?? new DockerCliImages(runDocker), snapshot: parts.snapshot ?? new ImageSnapshot(), cache: this.cache });
    process.once('exit', this.flushOnExit);
  }

  /** Writes the disk cache now and stops waiting for the process to exit to do it. */
  dispose(): void {
    process.off('exit', this.flushOnExit);
    this.cache.flush();
  }

  /** Known facts for the rules of a document with these settings: synchronous, no IO. */
  factsFor(settings: DocumentImageSettings): ReadonlyMap<string, ImageFacts> {
    return this.service.knownFacts(effectivePlatform(undefined, settings.platform), settings);
  }

  /**
   * Starts lookups for the document's FROM images and their smaller variants that are not known yet,
   * without waiting: the rules run with what is known, and when an answer brings news the service's
   * onDidLearn makes the server re-publish diagnostics.
   */
  request(model: DockerfileModel, settings: DocumentImageSettings): void {
    // Only the compressed figures and digests feed rules: no `docker image inspect` per FROM line here.
    const lookup = { ...settings, includeLocal: false };
    for (const image of imagesOf(model, settings.platform)) {
      this.service.prefetch(image.reference, image.platform, lookup);
      for (const variant of image.variants) this.service.prefetch(variant.reference, image.platform, lookup);
    }
  }
}
