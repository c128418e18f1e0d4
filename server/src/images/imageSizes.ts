// Assembles the image-size parts for the server: cache (with the client's storage folder), registry
// client (Docker credentials, insecure-registry list), local Docker through the shared runner, and the
// bundled snapshot. Also remembers, per open document, the platform and online settings its last hover
// or inlay request used, so the diagnostics path can get facts synchronously without reading settings.
import type { ImageFacts } from '../analysis/types';
import { runDocker } from '../docker/cli';
import { DockerConfigCredentials } from './credentials';
import { DockerHubTags } from './dockerHubTags';
import { FactsCache } from './factsCache';
import { ImageSizeService } from './imageSizeService';
import { DockerCliImages } from './localDocker';
import { parsePlatform, hostPlatform } from './platform';
import { OciRegistryClient, type RegistryFacts } from './registryClient';
import { ImageSnapshot } from './snapshot/snapshot';

export interface DocumentImageSettings {
  platform: string;
  online: boolean;
}

export class ImageSizes {
  private insecure: readonly string[] = [];
  private readonly perDocument = new Map<string, DocumentImageSettings>();
  readonly service: ImageSizeService;
  readonly cache: FactsCache<RegistryFacts>;

  constructor(storagePath: string | undefined, log: (message: string) => void) {
    this.cache = new FactsCache<RegistryFacts>({ storagePath, onError: log });
    const registry = new OciRegistryClient({ credentials: new DockerConfigCredentials(), insecureRegistries: () => this.insecure, pushDates: new DockerHubTags() });
    this.service = new ImageSizeService({ registry, local: new DockerCliImages(runDocker), snapshot: new ImageSnapshot(), cache: this.cache });
    // The disk copy is written lazily; the write is synchronous, so it can still happen as the server exits.
    process.once('exit', () => this.cache.flush());
  }

  /** Handlers call this with the settings of the document they serve. */
  noteSettings(uri: string, settings: DocumentImageSettings & { insecureRegistries: readonly string[] }): void {
    this.insecure = settings.insecureRegistries;
    this.perDocument.set(uri, { platform: settings.platform, online: settings.online });
  }

  forget(uri: string): void {
    this.perDocument.delete(uri);
  }

  /** Known facts for the rules of one document: synchronous, no IO. */
  factsFor(uri: string): ReadonlyMap<string, ImageFacts> {
    const known = this.perDocument.get(uri);
    return this.service.knownFacts(parsePlatform(known?.platform) ?? hostPlatform(), known?.online ?? true);
  }
}
