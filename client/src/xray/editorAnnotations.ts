// Shows an X-ray in the editor: a CodeLens above each measured instruction (`+312.4 MB · 41.0 MB wasted`,
// its tooltip naming the build), the measured findings as diagnostics of their own collection on the line
// that caused them, and, for a finding a static rule also predicts, that rule's fix offered on the measured
// diagnostic. Everything of a file goes when it is closed or X-rayed again; a single annotation goes when
// its instruction's text changes (lineAnnotations.ts decides which).
//
// CodeLens rather than an inlay hint: the figures describe the whole instruction (often several lines), so
// they sit above it instead of after its last character, where a long RUN would push them out of view;
// and the FROM line's inlay hint already shows the base image's download size, which must not be confused
// with what was measured here.
import * as vscode from 'vscode';
import { afterEdit, type LineAnnotation, type MeasuredFinding, type XraySource } from './lineAnnotations';

export const MEASURED_SOURCE = 'Multistage (measured)';

interface FileXray {
  annotations: LineAnnotation[];
  source: XraySource;
}

export class XrayEditorAnnotations implements vscode.Disposable {
  private readonly files = new Map<string, FileXray>();
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('multistage-measured');
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [];

  /**
   * @param serverFixes the language server's quick fixes for one of its own diagnostics (asked for that
   * diagnostic alone, so every answer belongs to its rule).
   */
  constructor(
    private readonly docsUrl: string,
    private readonly output: vscode.LogOutputChannel,
    private readonly serverFixes: (document: vscode.TextDocument, diagnostic: vscode.Diagnostic) => Promise<vscode.CodeAction[]>,
  ) {
    const selector: vscode.DocumentSelector = [{ language: 'dockerfile' }];
    this.disposables.push(
      this.diagnostics,
      this.lensesChanged,
      vscode.languages.registerCodeLensProvider(selector, { onDidChangeCodeLenses: this.lensesChanged.event, provideCodeLenses: (d) => this.lenses(d) }),
      vscode.languages.registerCodeActionsProvider(selector, { provideCodeActions: (d, _r, c) => this.fixes(d, c).catch((error: unknown) => {
        // A failing provider must not take the light bulb down with it: log it, offer nothing.
        this.output.error(`X-ray fixes: ${error instanceof Error ? error.stack : String(error)}`);
        return [];
      }) }, {
        providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
      }),
      vscode.workspace.onDidChangeTextDocument((e) => this.edited(e)),
      vscode.workspace.onDidCloseTextDocument((d) => this.clear(d.uri)),
      // The extension host may keep a closed file's document for a while: its last tab closing is what
      // the user sees as closing the file.
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        for (const tab of e.closed) {
          const uri = tabUri(tab);
          if (uri && this.files.has(uri.toString()) && !isShown(uri)) this.clear(uri);
        }
      }),
    );
  }

  /** Replaces whatever the file showed with this X-ray's annotations. */
  show(document: vscode.TextDocument, annotations: LineAnnotation[], source: XraySource): void {
    // The report was mapped against the text the build used; a line edited since then gets nothing.
    const current = afterEdit(annotations, [], (n) => (n < document.lineCount ? document.lineAt(n).text : undefined));
    this.files.set(document.uri.toString(), { annotations: current, source });
    this.refresh(document.uri);
  }

  clear(uri: vscode.Uri): void {
    if (!this.files.delete(uri.toString())) return;
    this.refresh(uri);
  }

  /** What the file shows now (the end-to-end tests read it through the extension's API). */
  annotationsOf(uri: vscode.Uri): readonly LineAnnotation[] {
    return this.files.get(uri.toString())?.annotations ?? [];
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.files.clear();
  }

  private edited(event: vscode.TextDocumentChangeEvent): void {
    const file = this.files.get(event.document.uri.toString());
    if (!file || event.contentChanges.length === 0) return;
    const changes = event.contentChanges.map((c) => ({
      startLine: c.range.start.line,
      startCharacter: c.range.start.character,
      endLine: c.range.end.line,
      endCharacter: c.range.end.character,
      text: c.text,
    }));
    const document = event.document;
    const kept = afterEdit(file.annotations, changes, (n) => (n < document.lineCount ? document.lineAt(n).text : undefined));
    const moved = kept.length !== file.annotations.length || kept.some((a, i) => a.line !== file.annotations[i].line);
    if (!moved) return;
    if (kept.length === 0) this.files.delete(document.uri.toString());
    else file.annotations = kept;
    this.refresh(document.uri);
  }

  private refresh(uri: vscode.Uri): void {
    const file = this.files.get(uri.toString());
    this.diagnostics.set(uri, file ? file.annotations.flatMap((a) => a.findings.map((f) => this.diagnostic(uri, a, f))) : []);
    this.lensesChanged.fire();
  }

  private lenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const file = this.files.get(document.uri.toString());
    if (!file) return [];
    return file.annotations
      .filter((a) => a.line < document.lineCount)
      .map((a) => new vscode.CodeLens(document.lineAt(a.line).range, { title: a.label, tooltip: a.tooltip, command: '' }));
  }

  private diagnostic(uri: vscode.Uri, annotation: LineAnnotation, finding: MeasuredFinding): vscode.Diagnostic {
    const text = annotation.texts[0];
    const indent = text.length - text.trimStart().length;
    const range = new vscode.Range(annotation.line, indent, annotation.line, text.trimEnd().length);
    const diagnostic = new vscode.Diagnostic(
      range,
      finding.message,
      finding.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information,
    );
    diagnostic.source = MEASURED_SOURCE;
    if (finding.byLine !== undefined) {
      // The instruction that overwrote or deleted the bytes, moved as this one was (the static rule for
      // such waste reports there, so its fix is looked up there too).
      const by = finding.byLine + annotation.line - annotation.measuredLine;
      const verb = finding.kind === 'deleted' ? 'Deleted' : 'Overwritten';
      diagnostic.relatedInformation = [new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, new vscode.Range(by, 0, by, Number.MAX_SAFE_INTEGER)), `${verb} here`)];
    }
    diagnostic.code = finding.ruleId
      ? { value: finding.ruleId, target: vscode.Uri.parse(`${this.docsUrl}#${finding.ruleId}`) }
      : `measured-${finding.kind}`;
    return diagnostic;
  }

  /**
   * The static rule's fix for a measured finding: the rule's own diagnostics on the instruction (or on the
   * one that deleted the bytes) are sent to the language server, and the fixes it answers are re-offered
   * on the measured diagnostic; "Ignore …" is left out (it silences the prediction, not the measured bytes).
   */
  private async fixes(document: vscode.TextDocument, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const measured = context.diagnostics.filter((d) => d.source === MEASURED_SOURCE && ruleIdOf(d) !== undefined);
    const file = this.files.get(document.uri.toString());
    if (measured.length === 0 || !file) return [];
    const predicted = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'multistage');
    const out: vscode.CodeAction[] = [];
    for (const diagnostic of measured) {
      const ruleId = ruleIdOf(diagnostic)!;
      const annotation = file.annotations.find((a) => a.line === diagnostic.range.start.line);
      if (!annotation) continue;
      const lines = new Set(annotation.texts.map((_, i) => annotation.line + i));
      for (const related of diagnostic.relatedInformation ?? []) lines.add(related.location.range.start.line);
      const bytes = /^([\d.]+ [kMGT]?B)/.exec(diagnostic.message)?.[1];
      const titles = new Set<string>();
      for (const rule of predicted.filter((d) => ruleIdOf(d) === ruleId && lines.has(d.range.start.line))) {
        for (const fix of await this.serverFixes(document, rule)) {
          if (!fix.edit || fix.title.startsWith('Ignore ') || titles.has(fix.title)) continue;
          titles.add(fix.title);
          const offered = new vscode.CodeAction(`${fix.title} (measured${bytes ? `: ${bytes}` : ''})`, vscode.CodeActionKind.QuickFix);
          offered.edit = fix.edit;
          if (fix.command) offered.command = fix.command;
          offered.diagnostics = [diagnostic];
          out.push(offered);
        }
      }
    }
    return out;
  }
}

function tabUri(tab: vscode.Tab): vscode.Uri | undefined {
  const input = tab.input;
  if (input instanceof vscode.TabInputText) return input.uri;
  if (input instanceof vscode.TabInputTextDiff) return input.modified;
  return undefined;
}

function isShown(uri: vscode.Uri): boolean {
  return vscode.window.tabGroups.all.some((group) => group.tabs.some((tab) => tabUri(tab)?.toString() === uri.toString()));
}

function ruleIdOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  const value = typeof code === 'object' ? code.value : code;
  return typeof value === 'string' && !value.startsWith('measured-') ? value : undefined;
}
