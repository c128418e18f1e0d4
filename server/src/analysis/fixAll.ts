// "Fix all auto-fixable problems": applies every safe fix, re-analyses, and repeats until nothing is
// left to fix (a fix can make another one possible), then reports the result as one minimal edit.
import type { TextEdit } from 'vscode-languageserver-types';
import { analyze } from './analyze';
import { applyEdits, minimalEdit, rangesOverlap } from './textEdits';
import { builderErrors, keepsParsing } from './fixSafety';
import { allRules } from './rules';
import type { Fix, Rule, RuleContext } from './types';

const MAX_ROUNDS = 5;

export interface FixAllResult {
  text: string;
  applied: { rule: string; title: string }[];
}

export function fixAllText(text: string, ctx: Partial<RuleContext> = {}, rules: readonly Rule[] = allRules): FixAllResult {
  let current = text;
  const applied: FixAllResult['applied'] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const { problems } = analyze(current, ctx, rules);
    const errorsBefore = builderErrors(current);
    const chosen: { rule: string; fix: Fix }[] = [];
    for (const problem of problems) {
      const fix = problem.fixes.find((f) => f.safe);
      if (!fix || fix.edits.length === 0) continue;
      if (!keepsParsing(current, fix.edits, errorsBefore)) continue;
      const clashes = chosen.some((c) => c.fix.edits.some((a) => fix.edits.some((b) => rangesOverlap(a.range, b.range))));
      if (!clashes) chosen.push({ rule: problem.rule, fix });
    }
    if (chosen.length === 0) break;
    const next = applyEdits(current, chosen.flatMap((c) => c.fix.edits));
    // Each fix parses alone; together they must too, else stop with what is already safe.
    if (next === current || !keepsParsing(current, chosen.flatMap((c) => c.fix.edits), errorsBefore)) break;
    current = next;
    applied.push(...chosen.map((c) => ({ rule: c.rule, title: c.fix.title })));
  }
  return { text: current, applied };
}

/** The fix-all result as edits for the original text ([] when nothing changes). */
export function fixAllEdits(text: string, ctx: Partial<RuleContext> = {}): TextEdit[] {
  const edit = minimalEdit(text, fixAllText(text, ctx).text);
  return edit ? [edit] : [];
}
