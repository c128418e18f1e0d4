// The refactorings offered for a Dockerfile: split into builder and runtime stages, and reorder for the
// layer cache (plain and with BuildKit cache mounts). Pure: the code-action handler and the CLI call
// this with a model and the build context and apply the edits as they are.
import { validateDockerfile } from '../builderValidation';
import type { TextEdit } from 'vscode-languageserver-types';
import type { DockerfileModel } from '../model';
import type { RuleContext } from '../types';
import { reorderEdits } from './reorder';
import { splitFinalStage } from './split';

export type RefactorKind = 'refactor.rewrite.multistage.split' | 'refactor.rewrite.multistage.reorder';

export interface RefactorAction {
  title: string;
  kind: RefactorKind;
  edits: TextEdit[];
  /** The rule whose diagnostics this action fixes, so it is also offered as their quick fix. */
  fixesRule?: string;
}

export const SPLIT_TITLE = 'Split into builder and runtime stages';
export const REORDER_TITLE = 'Reorder for layer cache';
export const REORDER_CACHE_TITLE = 'Reorder for layer cache (with BuildKit cache mounts)';

export function refactorActions(model: DockerfileModel, ctx: RuleContext): RefactorAction[] {
  const actions = computeActions(model, ctx);
  // The rewrites write '\n'; a CRLF file keeps its line endings.
  if (!model.text.includes('\r\n')) return actions;
  return actions.map((a) => ({ ...a, edits: a.edits.map((e) => ({ ...e, newText: e.newText.replace(/\r?\n/g, '\r\n') })) }));
}

function computeActions(model: DockerfileModel, ctx: RuleContext): RefactorAction[] {
  const actions: RefactorAction[] = [];
  const split = splitFinalStage(model, ctx);
  if (split && parsesCleanly(applyTextEdits(model, [split.edit]))) {
    actions.push({ title: SPLIT_TITLE, kind: 'refactor.rewrite.multistage.split', edits: [split.edit], fixesRule: 'toolchain-in-final-stage' });
  }
  for (const cacheMounts of [false, true]) {
    const edits = reorderEdits(model, ctx, { cacheMounts });
    if (edits.length === 0 || !parsesCleanly(applyTextEdits(model, edits))) continue;
    if (cacheMounts && actions.some((a) => a.kind === 'refactor.rewrite.multistage.reorder' && sameEdits(a.edits, edits))) continue;
    actions.push({
      title: cacheMounts ? REORDER_CACHE_TITLE : REORDER_TITLE,
      kind: 'refactor.rewrite.multistage.reorder',
      edits,
      fixesRule: 'copy-before-dependency-install',
    });
  }
  return actions;
}

/** The text after applying non-overlapping edits (LSP semantics: ranges refer to the original). */
export function applyTextEdits(model: DockerfileModel, edits: readonly TextEdit[]): string {
  const offset = (p: { line: number; character: number }) => Math.min((model.lineStarts[p.line] ?? model.text.length) + p.character, model.text.length);
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let text = model.text;
  for (const edit of sorted) text = text.slice(0, offset(edit.range.start)) + edit.newText + text.slice(offset(edit.range.end));
  return text;
}

/** A rewrite is only offered when its result is one the Docker builder accepts. */
function parsesCleanly(text: string): boolean {
  return validateDockerfile(text).every((d) => d.severity !== 1);
}

function sameEdits(a: readonly TextEdit[], b: readonly TextEdit[]): boolean {
  return a.length === b.length && a.every((e, i) => e.newText === b[i].newText);
}
