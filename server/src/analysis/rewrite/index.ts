// The refactorings offered for a Dockerfile: split into builder and runtime stages, and reorder for the
// layer cache (plain and with BuildKit cache mounts). Pure: the code-action handler and the CLI call
// this with a model and the build context and apply the edits as they are.
import { validateDockerfile } from '../builderValidation';
import type { TextEdit } from 'vscode-languageserver-types';
import { memo } from '../memo';
import { buildModel, lineTextOf, type DockerfileModel } from '../model';
import type { RuleContext } from '../types';
import { reorderEdits } from './reorder';
import { splitFinalStage } from './split';
import { REORDER_CACHE_TITLE, REORDER_KIND, REORDER_TITLE, SPLIT_KIND, SPLIT_TITLE } from './names';

export type RefactorKind = typeof SPLIT_KIND | typeof REORDER_KIND;

export interface RefactorAction {
  title: string;
  kind: RefactorKind;
  edits: TextEdit[];
  /** The rule whose diagnostics this action fixes, so it is also offered as their quick fix. */
  fixesRule?: string;
}

// The titles stay importable from here, the rewrites' entry point, for the tests and benchmarks that apply them.
export { REORDER_CACHE_TITLE, REORDER_TITLE, SPLIT_TITLE } from './names';

export function refactorActions(model: DockerfileModel, ctx: RuleContext): RefactorAction[] {
  const actions = computeActions(model, ctx);
  // The rewrites write '\n'; a CRLF file keeps its line endings.
  if (!model.text.includes('\r\n')) return actions;
  return actions.map((a) => ({ ...a, edits: a.edits.map((e) => ({ ...e, newText: e.newText.replace(/\r?\n/g, '\r\n') })) }));
}

/**
 * Rewrites are for Dockerfiles people write by hand. Past this size (a generated file) the code-action
 * request would spend hundreds of milliseconds re-parsing, so none are offered; diagnostics still run.
 */
export const MAX_REWRITE_LINES = 2000;

/**
 * Why no rewrite is offered for this file as it stands, or undefined. A file the builder already
 * rejects gets none: the rewrite would carry the error along, and a rewrite's output must parse.
 */
export function rewritesWithheld(model: DockerfileModel): string | undefined {
  // The code-action handler asks before refactorActions() does: the syntax check runs once per model.
  let reason = withheldReasons.get(model);
  if (reason === undefined) withheldReasons.set(model, (reason = computeWithheld(model) ?? null));
  return reason ?? undefined;
}

const withheldReasons = memo<DockerfileModel, string | null>('multistage.rewritesWithheld');

function computeWithheld(model: DockerfileModel): string | undefined {
  if (model.lineStarts.length > MAX_REWRITE_LINES) return `the file has more than ${MAX_REWRITE_LINES} lines`;
  const error = validateDockerfile(model.text, undefined, model.dockerfile).find((d) => d.severity === 1);
  if (error) return `the Dockerfile has a syntax error on line ${error.range.start.line + 1} (${typeof error.message === 'string' ? error.message : error.message.value}); fix it first`;
  return undefined;
}

/**
 * Why "Reorder for layer cache" is not offered although installs follow a copy of the sources: each of
 * them needs something from the sources (a lifecycle script, the project itself, a local path). Undefined
 * when the reorder is offered or nothing is there to reorder.
 */
export function reorderWithheld(model: DockerfileModel, ctx: RuleContext): string | undefined {
  const result = reorderEdits(model, ctx, { cacheMounts: false });
  if (result.edits.length > 0 || result.withheld.length === 0) return undefined;
  return `the dependency install needs the sources: ${result.withheld.join('; ')}`;
}

function computeActions(model: DockerfileModel, ctx: RuleContext): RefactorAction[] {
  const actions: RefactorAction[] = [];
  if (model.stages.length === 0 || rewritesWithheld(model)) return actions;
  // Only the rewritten lines are re-checked, behind the file's directives and global ARGs.
  const preamble = model.text.slice(0, model.lineStarts[model.stages[0].range.start.line] ?? 0);
  const split = splitFinalStage(model, ctx);
  if (split && parsesCleanly(preamble + split.newText)) {
    actions.push({ title: SPLIT_TITLE, kind: SPLIT_KIND, edits: [split.edit], fixesRule: 'toolchain-in-final-stage' });
  }
  for (const cacheMounts of [false, true]) {
    const edits = reorderUntilStable(model, ctx, cacheMounts);
    // The changed lines start at an instruction inside some stage: a stand-in FROM makes them a stage.
    if (edits.length === 0 || !parsesCleanly(`${preamble}FROM scratch\n${edits.map((e) => e.newText).join('\n')}`)) continue;
    if (cacheMounts && actions.some((a) => a.kind === REORDER_KIND && sameEdits(a.edits, edits))) continue;
    actions.push({
      title: cacheMounts ? REORDER_CACHE_TITLE : REORDER_TITLE,
      kind: REORDER_KIND,
      edits,
      fixesRule: 'copy-before-dependency-install',
    });
  }
  return actions;
}

/**
 * Reorders until nothing is left to move (a stage with two copies of the sources and two installs needs
 * two rounds), so that applying the action a second time changes nothing. Returns one edit spanning the
 * changed lines.
 */
function reorderUntilStable(model: DockerfileModel, ctx: RuleContext, cacheMounts: boolean): TextEdit[] {
  const first = reorderEdits(model, ctx, { cacheMounts });
  // The common case: one round moved everything (or nothing), and its edits are the answer.
  if (!first.incomplete) return first.edits;
  let current = buildModel(applyTextEdits(model, first.edits), { target: ctx.settings.target });
  for (let round = 1; round < 5; round++) {
    const next = reorderEdits(current, ctx, { cacheMounts });
    if (next.edits.length === 0) break;
    current = buildModel(applyTextEdits(current, next.edits), { target: ctx.settings.target });
    if (!next.incomplete) break;
  }
  return [changedLines(model, current.text)];
}

/** One edit replacing the lines that differ between the model's text and `after`. */
function changedLines(model: DockerfileModel, after: string): TextEdit {
  const before = model.text.split(/\r?\n/);
  const next = after.split(/\r?\n/);
  let head = 0;
  while (head < before.length && head < next.length && before[head] === next[head]) head++;
  let tail = 0;
  while (tail < before.length - head && tail < next.length - head && before[before.length - 1 - tail] === next[next.length - 1 - tail]) tail++;
  const lastLine = before.length - 1 - tail;
  const replaced = next.slice(head, next.length - tail);
  if (lastLine < head) {
    // Pure insertion before line `head`.
    return { range: { start: { line: head, character: 0 }, end: { line: head, character: 0 } }, newText: replaced.map((l) => `${l}\n`).join('') };
  }
  return {
    range: { start: { line: head, character: 0 }, end: { line: lastLine, character: lineTextOf(model, lastLine).length } },
    newText: replaced.join('\n'),
  };
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
