// Settings per document: read with workspace/configuration in the document's scope, cached per URI,
// cleared when the configuration changes. Never held in module globals: the cache lives in the
// SettingsStore instance that server.ts creates.
import type { Connection } from 'vscode-languageserver/node';
import type { AnalysisSettings, SeveritySetting } from '../analysis/types';
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

const SEVERITIES = new Set(['off', 'hint', 'info', 'warning', 'error']);

/** multistage.imageSizes.timeoutMs: whole milliseconds in these bounds (package.json declares the same). */
export const TIMEOUT_MS_BOUNDS = { minimum: 100, maximum: 60_000, default: 2000 } as const;

function timeoutMs(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return TIMEOUT_MS_BOUNDS.default;
  return Math.min(TIMEOUT_MS_BOUNDS.maximum, Math.max(TIMEOUT_MS_BOUNDS.minimum, Math.round(value)));
}

/** Turns the raw `multistage` configuration object into typed settings, ignoring malformed values. */
export function parseSettings(raw: unknown, options: Pick<ServerOptions, 'otherSyntaxProvider'>): DocumentSettings {
  const cfg = (raw && typeof raw === 'object' ? raw : {}) as Record<string, any>;
  const rules: Record<string, SeveritySetting> = {};
  if (cfg.rules && typeof cfg.rules === 'object') {
    for (const [id, value] of Object.entries(cfg.rules)) {
      if (typeof value === 'string' && SEVERITIES.has(value)) rules[id] = value as SeveritySetting;
    }
  }
  const syntax = cfg.syntaxDiagnostics === 'on' || cfg.syntaxDiagnostics === 'off' ? cfg.syntaxDiagnostics : 'auto';
  const flavor = ['auto', 'distroless', 'slim', 'alpine'].includes(cfg.split?.runtimeFlavor) ? cfg.split.runtimeFlavor : 'auto';
  const stringRecord = (v: unknown) =>
    Object.fromEntries(Object.entries(v && typeof v === 'object' ? v : {}).filter(([, s]) => typeof s === 'string')) as Record<string, string>;
  return {
    analysis: {
      rules,
      syntaxDiagnostics: syntax === 'on' || (syntax === 'auto' && !options.otherSyntaxProvider),
      target: typeof cfg.target === 'string' && cfg.target.trim() ? cfg.target.trim() : undefined,
      runtimeFlavor: flavor,
    },
    buildContexts: stringRecord(cfg.buildContexts),
    imageSizesOnline: cfg.imageSizes?.online !== false,
    imageSizesTimeoutMs: timeoutMs(cfg.imageSizes?.timeoutMs),
    platform: typeof cfg.platform === 'string' ? cfg.platform : '',
    insecureRegistries: Array.isArray(cfg.registries?.insecure) ? cfg.registries.insecure.filter((s: unknown) => typeof s === 'string') : [],
    inlayHintsImageSize: cfg.inlayHints?.imageSize !== false,
    dockerPath: typeof cfg.docker?.path === 'string' && cfg.docker.path ? cfg.docker.path : 'docker',
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
