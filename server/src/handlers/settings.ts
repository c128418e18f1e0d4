// Settings per document: read with workspace/configuration in the document's scope, cached per URI,
// cleared when the configuration changes. Never held in module globals: the cache lives in the
// SettingsStore instance that server.ts creates.
import type { Connection } from 'vscode-languageserver/node';
import { readSettings, sectionOf } from '../analysis/settings';
import type { AnalysisSettings } from '../analysis/types';
import type { DocumentImageSettings } from '../images/imageSizes';

export interface DocumentSettings {
  analysis: AnalysisSettings;
  buildContexts: Record<string, string>;
  imageSizesOnline: boolean;
  imageSizesTimeoutMs: number;
  platform: string;
  insecureRegistries: string[];
  inlayHintsImageSize: boolean;
  dockerPath: string;
}

export interface ServerOptions {
  /** Set by the client when another extension (Docker DX, Container Tools) already reports syntax errors. */
  otherSyntaxProvider: boolean;
  /** Where rules' docs live; the client passes the copy bundled with the extension. */
  docsUrl: string;
  /** Extension storage folder for the image-size disk cache, when the client has one. */
  storagePath?: string;
}

/** Turns the raw `multistage` configuration object into typed settings (analysis/settings.ts reads each value). */
export function parseSettings(raw: unknown, options: Pick<ServerOptions, 'otherSyntaxProvider'>): DocumentSettings {
  const read = readSettings(sectionOf(raw));
  return {
    analysis: {
      rules: read.rules,
      syntaxDiagnostics: read.syntaxDiagnostics === 'on' || (read.syntaxDiagnostics === 'auto' && !options.otherSyntaxProvider),
      target: read.target || undefined,
      runtimeFlavor: read['split.runtimeFlavor'],
    },
    buildContexts: read.buildContexts,
    imageSizesOnline: read['imageSizes.online'],
    imageSizesTimeoutMs: read['imageSizes.timeoutMs'],
    platform: read.platform,
    insecureRegistries: read['registries.insecure'],
    inlayHintsImageSize: read['inlayHints.imageSize'],
    dockerPath: read['docker.path'],
  };
}

export class SettingsStore {
  private readonly cache = new Map<string, Promise<DocumentSettings>>();

  constructor(
    private readonly connection: Connection,
    private readonly options: ServerOptions,
    private readonly clientSupportsConfiguration: boolean,
  ) {}

  get serverOptions(): ServerOptions {
    return this.options;
  }

  forDocument(uri: string): Promise<DocumentSettings> {
    let settings = this.cache.get(uri);
    if (!settings) {
      settings = this.fetch(uri);
      this.cache.set(uri, settings);
    }
    return settings;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  clear(): void {
    this.cache.clear();
  }

  private async fetch(uri: string): Promise<DocumentSettings> {
    if (!this.clientSupportsConfiguration) return parseSettings({}, this.options);
    try {
      const raw = await this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'multistage' });
      return parseSettings(raw, this.options);
    } catch (error) {
      this.connection.console.error(`Reading settings for ${uri} failed: ${String(error)}`);
      this.cache.delete(uri);
      return parseSettings({}, this.options);
    }
  }
}

/** The image-size part of a document's settings, as the image service takes it. */
export function imageSettingsOf(settings: DocumentSettings): DocumentImageSettings {
  return {
    platform: settings.platform,
    online: settings.imageSizesOnline,
    timeoutMs: settings.imageSizesTimeoutMs,
    dockerPath: settings.dockerPath,
    insecureRegistries: settings.insecureRegistries,
  };
}
