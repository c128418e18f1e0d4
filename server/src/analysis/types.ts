// The vocabulary shared by the model, the rules and the handlers. Plain data only: the handlers turn
// these into LSP objects, the CLI into text/JSON/SARIF.
import type { Range, TextEdit } from 'vscode-languageserver-types';
import type { DockerfileModel } from './model';
import { SETTINGS, type RuntimeFlavor, type SeveritySetting } from './settings';

export type { SeveritySetting };
export type Severity = Exclude<SeveritySetting, 'off'>;

export const SEVERITY_ORDER: Record<Severity, number> = { error: 4, warning: 3, info: 2, hint: 1 };

/** A text change the user can apply. `safe` fixes are the ones `source.fixAll.multistage` applies. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  preferred?: boolean;
  safe?: boolean;
  /** Changes to files other than the Dockerfile (e.g. creating or extending the context's .dockerignore). */
  files?: FileChange[];
}

/** Edits to another file, by absolute path; `create` makes the file first (edits then insert at 0:0). */
export interface FileChange {
  path: string;
  create?: boolean;
  edits: TextEdit[];
}

/** What a rule reports: where, what, and how to fix it. Severity comes from the rule unless overridden. */
export interface Finding {
  range: Range;
  message: string;
  severity?: Severity;
  unnecessary?: boolean;
  fixes?: Fix[];
  /**
   * The hadolint code hadolint reports this same finding under, if any: `# hadolint ignore=<code>`
   * silences it. Per finding, not per rule: one rule can stand for several codes (DL3006 untagged,
   * DL3007 `:latest`), and some of its findings for none.
   */
  hadolint?: string;
}

/**
 * The build context as the rules see it: a read-only, synchronous view that the server fills from the
 * file system (cached, invalidated by file watching) and tests fill from memory. Paths are relative to
 * the context root and use forward slashes.
 */
export interface ContextFiles {
  /** Absolute path of the context root (fixes that create or extend files there use it). */
  readonly root: string;
  /** The Dockerfile's path relative to the root (`../…` when outside); BuildKit reads `<it>.dockerignore` first. */
  readonly dockerfile?: string;
  exists(relPath: string): boolean;
  isDirectory(relPath: string): boolean;
  /** Entries of a folder (names only), or [] when it does not exist. */
  list(relDir: string): string[];
  /** File content (small text files only), or undefined. */
  read(relPath: string): string | undefined;
}

export interface ImageFacts {
  /** Compressed size in bytes for the platform in question. */
  compressedBytes?: number;
  digest?: string;
  source?: string;
  /** Layer count of the platform's manifest (or of the local image). */
  layers?: number;
  /** Unpacked size, only known when the image is present in local Docker. */
  uncompressedBytes?: number;
  /** For figures from the bundled snapshot: its date, which messages quoting the figure must show. */
  snapshotDate?: string;
}

export interface AnalysisSettings {
  /** Per-rule severity overrides from `multistage.rules`. */
  rules: Record<string, SeveritySetting>;
  /** Whether to run the Docker builder syntax check (`syntax-error`). */
  syntaxDiagnostics: boolean;
  /** The build target stage name; the last stage when empty. */
  target?: string;
  /** Runtime image family for the split rewrite. */
  runtimeFlavor?: RuntimeFlavor;
}

export const DEFAULT_SETTINGS: AnalysisSettings = { rules: {}, syntaxDiagnostics: true, runtimeFlavor: SETTINGS['split.runtimeFlavor'].default };

export interface RuleContext {
  settings: AnalysisSettings;
  /** The build context, when the caller could read it. Rules that need it stay quiet without it. */
  context?: ContextFiles;
  /** Image facts already fetched (never fetched by a rule), keyed by the resolved image reference. */
  images?: ReadonlyMap<string, ImageFacts>;
}

export interface Rule {
  /** kebab-case id, also the diagnostic code and the docs anchor. */
  id: string;
  defaultSeverity: Severity;
  summary: string;
  /** The hadolint codes this rule's findings may carry (Finding.hadolint), for the docs. */
  hadolint?: readonly string[];
  check(model: DockerfileModel, ctx: RuleContext): Finding[];
}

/** A finding after severity overrides and suppressions: what the handlers publish. */
export interface Problem {
  rule: string;
  severity: Severity;
  range: Range;
  message: string;
  unnecessary?: boolean;
  fixes: Fix[];
}
