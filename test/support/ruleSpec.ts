// Rule specs in the shape of ESLint's RuleTester (`invalid` cases with their `errors` and fixed `output`,
// `valid` cases) and ruff's fix tests (fixes must converge and leave no syntax error):
//   catches(rule, text)        the rule reports exactly `count` findings (1 unless said) on text
//   catchesNot(rule, texts)    the rule reports nothing on any of them
//   fixesTo(rule, text, out)   applying the fix gives `out`, a second pass of the rule's fixes changes
//                              nothing, and the result parses with no error the input did not have
// Every helper runs the rule through the whole pipeline (suppressions, overrides, target), as findings() does.
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/analysis/analyze';
import { buildModel } from '../../server/src/analysis/model';
import type { Problem, RuleContext } from '../../server/src/analysis/types';
import { applyEdits, findings } from './analysis';
import { newErrors } from './parseCheck';

export interface CatchOptions extends Partial<RuleContext> {
  /** How many findings the rule must report (default 1). */
  count?: number;
}

/** Asserts that `rule` reports exactly `count` findings on `text`; returns them for further checks. */
export function catches(rule: string, text: string, options: CatchOptions = {}): Problem[] {
  const { count = 1, ...ctx } = options;
  const problems = findings(text, rule, ctx);
  assert.equal(problems.length, count, `${rule} should report ${count} finding(s) on:\n${text}\ngot: ${problems.map((p) => `${p.range.start.line + 1}: ${p.message}`).join('\n     ') || 'none'}`);
  return problems;
}

/** Asserts that `rule` reports nothing on each text. */
export function catchesNot(rule: string, texts: string | readonly string[], ctx: Partial<RuleContext> = {}): void {
  for (const text of typeof texts === 'string' ? [texts] : texts) {
    const problems = findings(text, rule, ctx);
    assert.deepEqual(problems.map((p) => `${p.range.start.line + 1}: ${p.message}`), [], `${rule} should not report anything on:\n${text}`);
  }
}

export interface FixOptions extends Partial<RuleContext> {
  /** Which finding's fix to apply (default the first); `'all'` applies the chosen fix of every finding. */
  finding?: number | 'all';
  /** Which of the finding's fixes (default the first). */
  fix?: number;
  /** When given, the fix's `safe` flag must be exactly this (`undefined`: offered, never applied by fix-all). */
  safe?: boolean | undefined;
  /** How many findings of the rule the fixed text still has (default 0: the fix clears what it fixed). */
  remaining?: number;
}

/**
 * Applies a fix of `rule` to `text` and returns the result, after asserting what every fix owes:
 * it changes the text (to `expected` when given: the exact text, or a pattern it matches); the rule then
 * reports `remaining` findings (default none) and applying their fixes again changes nothing; and the
 * result parses with no builder error the input did not have, no new error-severity finding and the
 * same number of stages.
 */
export function fixesTo(rule: string, text: string, expected?: string | RegExp, options: FixOptions = {}): string {
  const { finding = 0, fix = 0, safe, remaining = 0, ...ctx } = options;
  const problems = findings(text, rule, ctx);
  const chosen = finding === 'all' ? problems : [problems[finding]];
  assert.ok(chosen.length > 0 && chosen.every((p) => p !== undefined), `${rule} should report a finding to fix on:\n${text}`);
  for (const p of chosen) {
    assert.ok(p.fixes[fix], `${rule} should offer fix #${fix} for "${p.message}" on:\n${text}`);
    if ('safe' in options) assert.equal(p.fixes[fix].safe, safe, `${rule}: the safe flag of "${p.fixes[fix].title}"`);
  }
  const fixed = applyEdits(text, chosen.flatMap((p) => p.fixes[fix].edits));
  assert.notEqual(fixed, text, `${rule}: the fix changed nothing`);
  if (typeof expected === 'string') assert.equal(fixed, expected);
  else if (expected) assert.match(fixed, expected);

  // Second pass, as fix-all converges: what the rule still reports on the fixed text changes nothing.
  const again = findings(fixed, rule, ctx);
  assert.equal(again.length, remaining, `${rule} still reports after the fix:\n${fixed}\n${again.map((p) => p.message).join('\n')}`);
  const twice = applyEdits(fixed, again.flatMap((p) => p.fixes[0]?.edits ?? []));
  assert.equal(twice, fixed, `${rule}: applying the fix a second time changed the text again`);

  assertStillParses(text, fixed, ctx, `${rule}: the fix`);
  return fixed;
}

/**
 * Asserts that `after` (an edit of `before`) still parses as well: no builder error `before` did not have,
 * no new error-severity finding of any rule, and the same number of stages.
 */
export function assertStillParses(before: string, after: string, ctx: Partial<RuleContext> = {}, label = 'the edit'): void {
  assert.deepEqual(newErrors(before, after), [], `${label} introduced a builder error:\n${after}`);
  const errors = (t: string) => analyze(t, ctx).problems.filter((p) => p.severity === 'error').map((p) => `${p.rule}: ${p.message}`);
  const old = errors(before);
  assert.deepEqual(errors(after).filter((e) => !old.includes(e)), [], `${label} introduced an error:\n${after}`);
  assert.equal(buildModel(after).stages.length, buildModel(before).stages.length, `${label} changed the number of stages`);
}
