// Publishes diagnostics. Edits are coalesced per document: when several versions arrive before the
// analysis runs, only the newest is analysed and the others are counted as dropped, so a burst of
// typing never queues up work.
import type { Connection, Diagnostic, TextDocuments } from 'vscode-languageserver/node';
import { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, type AnalysisResult } from '../analysis/analyze';
import type { DockerfileModel } from '../analysis/model';
import type { ContextFiles, Fix, ImageFacts, Problem, RuleContext, Severity } from '../analysis/types';
import type { DocumentSettings, SettingsStore } from './settings';
import { isLintedDocument } from './documentFilter';

export interface AnalysisInputs {
  /** The build context of a Dockerfile, when it can be read. */
  contextFor?(documentUri: string, settings: DocumentSettings): ContextFiles | undefined;
  /** Image facts already known for the document's own platform, online and insecure-registry settings (never fetched here). */
  imagesFor?(documentUri: string, settings: DocumentSettings): ReadonlyMap<string, ImageFacts> | undefined;
  /**
   * Asks for the facts the document's images need, with its settings, without waiting. New facts come
   * back through a re-publish (the server re-analyses open documents when the image service learns).
   */
  requestImages?(documentUri: string, model: DockerfileModel, settings: DocumentSettings): void;
}

export interface AnalysedDocument {
  version: number;
  result: AnalysisResult;
  settings: DocumentSettings;
}

const LSP_SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** What a Multistage diagnostic carries in `data`: its fixes, valid for the version it was made for. */
export interface DiagnosticData {
  version: number;
  fixes: Fix[];
}

export function toDiagnostic(problem: Problem, docsUrl: string, version: number): Diagnostic {
  return {
    range: problem.range,
    severity: LSP_SEVERITY[problem.severity],
    code: problem.rule,
    codeDescription: { href: `${docsUrl}#${problem.rule}` },
    source: 'multistage',
    message: problem.message,
    tags: problem.unnecessary ? [DiagnosticTag.Unnecessary] : undefined,
    data: { version, fixes: problem.fixes } satisfies DiagnosticData,
  };
}

export class DiagnosticsService {
  readonly stats = { analysed: 0, droppedStaleVersions: 0 };
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly changesWaiting = new Map<string, number>();
  private readonly latest = new Map<string, AnalysedDocument>();
  /** When each document last changed (performance.now()), to tell a burst of edits from a single one. */
  private readonly lastScheduled = new Map<string, number>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly settings: SettingsStore,
    private readonly inputs: AnalysisInputs,
    private readonly delayMs = 15,
  ) {}

  /**
   * Call on open/change: analyses the newest version soon, dropping versions overtaken meanwhile. An
   * edit after a pause (typing speed, a paste) is analysed at once: waiting would only add the delay to
   * what the user sees. Edits closer together than the delay are a burst, and wait for it to end.
   */
  schedule(uri: string): void {
    if (!isLintedDocument(uri)) return;
    this.changesWaiting.set(uri, (this.changesWaiting.get(uri) ?? 0) + 1);
    const existing = this.timers.get(uri);
    if (existing) clearTimeout(existing);
    const now = performance.now();
    const previous = this.lastScheduled.get(uri);
    this.lastScheduled.set(uri, now);
    const inBurst = existing !== undefined || (previous !== undefined && now - previous < this.delayMs * 2);
    this.timers.set(uri, setTimeout(() => void this.publish(uri), inBurst ? this.delayMs : 0));
  }

  /** Re-analyses every open document (settings or build context changed). */
  refreshAll(): void {
    for (const document of this.documents.all()) this.schedule(document.uri);
  }

  forget(uri: string): void {
    const timer = this.timers.get(uri);
    if (timer) clearTimeout(timer);
    this.timers.delete(uri);
    this.changesWaiting.delete(uri);
    this.lastScheduled.delete(uri);
    this.latest.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** The analysis of exactly this document version, reusing the published one when it matches. */
  async analysisFor(document: TextDocument): Promise<AnalysedDocument> {
    const cached = this.latest.get(document.uri);
    if (cached && cached.version === document.version) return cached;
    const settings = await this.settings.forDocument(document.uri);
    return this.run(document, settings);
  }

  /** Everything the rules get besides the text: settings, build context, known image facts. */
  ruleContext(uri: string, settings: DocumentSettings): RuleContext {
    return {
      settings: settings.analysis,
      context: this.inputs.contextFor?.(uri, settings),
      images: this.inputs.imagesFor?.(uri, settings),
    };
  }

  private run(document: TextDocument, settings: DocumentSettings): AnalysedDocument {
    const result = analyze(document.getText(), this.ruleContext(document.uri, settings));
    if (result.model) this.inputs.requestImages?.(document.uri, result.model, settings);
    for (const { rule, error } of result.ruleErrors) {
      this.connection.console.error(`Rule ${rule} failed on ${document.uri}: ${error instanceof Error ? error.stack : String(error)}`);
    }
    this.stats.analysed++;
    const analysed = { version: document.version, result, settings };
    this.latest.set(document.uri, analysed);
    return analysed;
  }

  private async publish(uri: string): Promise<void> {
    this.timers.delete(uri);
    try {
      const document = this.documents.get(uri);
      if (!document) return;
      const settings = await this.settings.forDocument(uri);
      const current = this.documents.get(uri);
      // A newer version arrived while the settings were read: its own timer will publish it.
      if (!current || current.version !== document.version || this.timers.has(uri)) return;
      const waiting = this.changesWaiting.get(uri) ?? 1;
      this.changesWaiting.set(uri, 0);
      this.stats.droppedStaleVersions += Math.max(0, waiting - 1);
      const analysed = this.run(document, settings);
      const docsUrl = this.settings.serverOptions.docsUrl;
      await this.connection.sendDiagnostics({
        uri,
        version: document.version,
        diagnostics: analysed.result.problems.map((p) => toDiagnostic(p, docsUrl, document.version)),
      });
    } catch (error) {
      this.connection.console.error(`Diagnostics for ${uri} failed: ${error instanceof Error ? error.stack : String(error)}`);
    }
  }
}
