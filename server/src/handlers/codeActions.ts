// Code actions: quick fixes read back from diagnostics' `data` (recomputed when the document moved on),
// "Ignore <rule> for this line", and `source.fixAll.multistage`. No per-rule logic lives here.
// Order is what the menu shows: real fixes first (one preferred per diagnostic), the rewrites, and the
// "Ignore …" suppressions last. Rewrites come with the light bulb (an automatic request) only where a
// diagnostic they fix is under the cursor, so comments and clean lines show none; explicit requests
// (Ctrl+., the Refactor menu) list them everywhere.
import { CodeActionKind, CodeActionTriggerKind, type CancellationToken, type CodeAction, type CodeActionParams, type Connection, type Diagnostic, type TextDocuments, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { pathToFileURL } from 'node:url';
import { builderErrors, keepsParsing } from '../analysis/fixSafety';
import { ignoreRuleEdit } from '../analysis/ignoreComment';
import { lineDiffEdits } from '../analysis/lineDiffEdits';
import { applyEdits, minimalEdit } from '../analysis/textEdits';
import { refactorActions, reorderWithheld, rewritesWithheld } from '../analysis/rewrite';
import { FIX_ALL_KIND, REORDER_KIND, REORDER_TITLE, SPLIT_KIND, SPLIT_TITLE } from '../analysis/rewrite/names';
import type { Fix } from '../analysis/types';
import type { DiagnosticData, DiagnosticsService } from './diagnostics';
import { isLintedDocument } from './documentFilter';
import type { FixAllRunner } from './fixAllRunner';

export const CODE_ACTION_KINDS = [CodeActionKind.QuickFix, SPLIT_KIND, REORDER_KIND, FIX_ALL_KIND];

function wanted(only: string[] | undefined, kind: string): boolean {
  if (!only || only.length === 0) return true;
  return only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

function sameRange(a: Diagnostic['range'], b: Diagnostic['range']): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** The fix a rule marked preferred, else its only safe fix, else none: "preferred" must mean "the right one". */
function preferredFix(fixes: Fix[]): Fix | undefined {
  const marked = fixes.find((f) => f.preferred);
  if (marked) return marked;
  const safe = fixes.filter((f) => f.safe);
  return safe.length === 1 ? safe[0] : undefined;
}

export function createCodeActionHandler(connection: Connection, documents: TextDocuments<TextDocument>, diagnostics: DiagnosticsService, fixAll: FixAllRunner) {
  return async (params: CodeActionParams, token?: CancellationToken): Promise<CodeAction[]> => {
    try {
      const document = documents.get(params.textDocument.uri);
      if (!document || !isLintedDocument(document.uri)) return [];
      const { uri } = params.textDocument;
      const edit = (edits: TextEdit[]) => ({ documentChanges: [{ textDocument: { uri, version: document.version }, edits }] });
      // Fixes may also create or extend other files (the context's .dockerignore).
      const fixEdit = (fix: Fix) => {
        const changes: NonNullable<WorkspaceEdit['documentChanges']> = fix.edits.length > 0 ? edit(fix.edits).documentChanges : [];
        for (const file of fix.files ?? []) {
          const fileUri = pathToFileURL(file.path).toString();
          if (file.create) changes.push({ kind: 'create', uri: fileUri, options: { ignoreIfExists: true } });
          changes.push({ textDocument: { uri: fileUri, version: null }, edits: file.edits });
        }
        return { documentChanges: changes };
      };
      const only = params.context.only;
      const automatic = params.context.triggerKind === CodeActionTriggerKind.Automatic;
      const actions: CodeAction[] = [];
      const ignores: CodeAction[] = [];
      const analysed = await diagnostics.analysisFor(document);

      let errorsBefore: Map<string, number> | undefined;
      if (wanted(only, CodeActionKind.QuickFix)) {
        for (const diagnostic of params.context.diagnostics) {
          if (diagnostic.source !== 'multistage' || typeof diagnostic.code !== 'string') continue;
          const rule = diagnostic.code;
          const data = diagnostic.data as DiagnosticData | undefined;
          // Fixes computed for another version would edit the wrong text: recompute them then.
          let fixes: Fix[] | undefined = data?.version === document.version ? data.fixes : undefined;
          fixes ??= analysed.result.problems.find((p) => p.rule === rule && sameRange(p.range, diagnostic.range))?.fixes ?? [];
          const kept = fixes.filter((fix) => {
            errorsBefore ??= builderErrors(document.getText());
            if (keepsParsing(document.getText(), fix.edits, errorsBefore)) return true;
            connection.console.warn(`Dropped the fix '${fix.title}' of ${rule}: it would not parse (please report this)`);
            return false;
          });
          const best = preferredFix(kept);
          // The preferred fix first: VS Code applies it with "Auto Fix" and highlights it in the menu.
          for (const fix of best ? [best, ...kept.filter((f) => f !== best)] : kept) {
            actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix === best || undefined, edit: fixEdit(fix) });
          }
          const ignore = analysed.result.model ? ignoreRuleEdit(analysed.result.model, rule, diagnostic.range.start.line) : undefined;
          if (ignore) {
            ignores.push({ title: `Ignore ${rule} for this line`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: edit([ignore]) });
          }
        }
      }

      // Split / reorder rewrites: refactorings, and the quick fix of the diagnostics they resolve.
      try {
        const model = analysed.result.model;
        // The Refactor menu (an explicit request) says why the rewrites are missing, greyed out.
        const withheld = model && only?.length && !automatic ? rewritesWithheld(model) : undefined;
        if (withheld) {
          for (const [title, kind] of [[SPLIT_TITLE, SPLIT_KIND], [REORDER_TITLE, REORDER_KIND]]) {
            if (wanted(only, kind)) actions.push({ title, kind, disabled: { reason: `Not available: ${withheld}.` } });
          }
        }
        // Rewrites are only worked out for requests that can show them (not for a fix-all on save).
        const showsRewrites = wanted(only, CodeActionKind.QuickFix) || wanted(only, SPLIT_KIND) || wanted(only, REORDER_KIND);
        const refactorings = model && !withheld && showsRewrites ? refactorActions(model, diagnostics.ruleContext(uri, analysed.settings)) : [];
        // An explicit Refactor request also says why the reorder is missing when an install needs the sources.
        if (model && !withheld && !automatic && only?.length && wanted(only, REORDER_KIND) && !refactorings.some((a) => a.kind === REORDER_KIND)) {
          const why = reorderWithheld(model, diagnostics.ruleContext(uri, analysed.settings));
          if (why) actions.push({ title: REORDER_TITLE, kind: REORDER_KIND, disabled: { reason: `Not available: ${why}.` } });
        }
        for (const action of refactorings) {
          // One edit per changed run of lines: the Refactor Preview then shows a readable diff.
          const text = document.getText();
          const rewrite = edit(lineDiffEdits(text, applyEdits(text, action.edits)));
          const fixes = params.context.diagnostics.filter((d) => d.source === 'multistage' && d.code === action.fixesRule);
          const asQuickFix = fixes.length > 0 && wanted(only, CodeActionKind.QuickFix);
          if (asQuickFix) actions.push({ title: action.title, kind: CodeActionKind.QuickFix, diagnostics: fixes, isPreferred: action.fixesRule === 'toolchain-in-final-stage', edit: rewrite });
          // Unfiltered requests list it once, as the quick fix; the Refactor menu still gets it; the light
          // bulb gets it only as the quick fix of a diagnostic under the cursor.
          if (automatic || !wanted(only, action.kind) || (asQuickFix && !only?.length)) continue;
          actions.push({ title: action.title, kind: action.kind, edit: rewrite });
        }
      } catch (error) {
        connection.console.error(`Rewrites for ${uri} failed: ${error instanceof Error ? error.stack : String(error)}`);
      }

      actions.push(...ignores);

      if (only?.some((o) => FIX_ALL_KIND === o || FIX_ALL_KIND.startsWith(`${o}.`)) ) {
        // Off the main thread (fixAllRunner.ts); given up when cancelled or when the document moves on.
        // The version is read now: TextDocuments updates the document object in place on each change.
        const text = document.getText();
        const version = document.version;
        const fixed = await fixAll.run(text, diagnostics.ruleContext(uri, analysed.settings), () => token?.isCancellationRequested === true || documents.get(uri)?.version !== version);
        const change = fixed === undefined ? undefined : minimalEdit(text, fixed);
        const edits = change ? [change] : [];
        if (edits.length > 0 && documents.get(uri)?.version === version) actions.push({ title: 'Fix all auto-fixable Multistage problems', kind: FIX_ALL_KIND, edit: edit(edits) });
      }
      return actions;
    } catch (error) {
      connection.console.error(`Code actions for ${params.textDocument.uri} failed: ${error instanceof Error ? error.stack : String(error)}`);
      return [];
    }
  };
}

