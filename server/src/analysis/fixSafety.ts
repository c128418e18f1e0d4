// The last line of defence behind every rule's own care: a fix is offered only when the text it
// produces has no builder error that the original did not have. Checked when a user asks for fixes
// (code actions, fix-all, `multistage fix`), never on the typing path.
import { BUILDER_ERRORS_ONLY, validateDockerfile } from './builderValidation';
import type { TextEdit } from 'vscode-languageserver-types';
import { applyEdits } from './textEdits';

/** Builder errors of a text, without positions, so that moved lines still compare equal. */
export function builderErrors(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of validateDockerfile(text, BUILDER_ERRORS_ONLY)) {
    if (d.severity !== 1) continue;
    const message = typeof d.message === 'string' ? d.message : d.message.value;
    counts.set(message, (counts.get(message) ?? 0) + 1);
  }
  return counts;
}

/** Builder errors in `after` beyond those `before` had (messages only: edits move lines). */
export function newBuilderErrors(before: Map<string, number>, after: string): string[] {
  return [...builderErrors(after)].filter(([message, count]) => count > (before.get(message) ?? 0)).map(([message]) => message);
}

/** Whether applying the edits keeps the document free of new builder errors. */
export function keepsParsing(text: string, edits: readonly TextEdit[], before: Map<string, number> = builderErrors(text)): boolean {
  let after: string;
  try {
    after = applyEdits(text, edits);
  } catch {
    return false;
  }
  return newBuilderErrors(before, after).length === 0;
}
