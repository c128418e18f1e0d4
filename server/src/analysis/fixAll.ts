// "Fix all auto-fixable problems": applies every safe fix, re-analyses, and repeats until nothing is
// left to fix (a fix can make another one possible), and the caller reports the result (the code-action handler as one minimal edit).
//
// Cost is linear in the file: per round, one analysis, and the chosen fixes are checked for new builder
// errors all together (one validation of the whole text). Only when that check fails are they split in
// halves to find the culprits, so k fixes of which b are bad cost O(b log k) validations, not one per
// fix (which made 1,000 fixes take 25 s). The work is a generator that yields between its steps, so
// the language server can answer other requests in between and stop when the document moves on.
import { analyze } from './analyze';
import { applyEdits, lineStartsOf } from './textEdits';
import { builderErrors } from './fixSafety';
import { allRules } from './rules';
import type { Fix, Rule, RuleContext } from './types';

const MAX_ROUNDS = 5;

export interface FixAllResult {
  text: string;
  applied: { rule: string; title: string }[];
}

interface Chosen {
  rule: string;
  fix: Fix;
}

/** Half-open offset spans of edits already chosen, sorted, for overlap checks in O(log k). */
class Spans {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  /** Same rule as rangesOverlap: edits clash when they overlap or start at the same point. */
  clashes(start: number, end: number): boolean {
    const i = this.firstAtOrAfter(start);
    if (i < this.starts.length && (this.starts[i] === start || this.starts[i] < end)) return true;
    return i > 0 && this.ends[i - 1] > start;
  }

  add(start: number, end: number): void {
    const i = this.firstAtOrAfter(start);
    this.starts.splice(i, 0, start);
    this.ends.splice(i, 0, end);
  }

  private firstAtOrAfter(offset: number): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * The fix-all work as steps: each `yield` marks a point where a caller may pause (to serve other
 * requests) or stop. Run it to the end with `fixAllText`, or step it from the language server.
 */
export function* fixAllSteps(text: string, ctx: Partial<RuleContext> = {}, rules: readonly Rule[] = allRules): Generator<void, FixAllResult> {
  let current = text;
  let errorsBefore: Map<string, number> | undefined;
  const applied: FixAllResult['applied'] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const { problems } = analyze(current, ctx, rules);
    yield;
    const starts = lineStartsOf(current);
    const offset = (p: { line: number; character: number }) => (p.line >= starts.length ? current.length : Math.min(starts[p.line] + p.character, current.length));
    const spans = new Spans();
    const candidates: Chosen[] = [];
    for (const problem of problems) {
      const fix = problem.fixes.find((f) => f.safe);
      if (!fix || fix.edits.length === 0) continue;
      const own = fix.edits.map((e) => [offset(e.range.start), offset(e.range.end)] as const);
      if (own.some(([s, e]) => spans.clashes(s, e))) continue;
      for (const [s, e] of own) spans.add(s, e);
      candidates.push({ rule: problem.rule, fix });
    }
    if (candidates.length === 0) break;
    if (!errorsBefore) {
      errorsBefore = builderErrors(current);
      yield;
    }
    const kept = yield* keepWhatParses(current, candidates, errorsBefore);
    if (!kept) break;
    const { chosen, next, errorsAfter } = kept;
    if (next === current) break;
    // The errors of the new text were counted while checking it: the next round starts from them.
    current = next;
    errorsBefore = errorsAfter;
    applied.push(...chosen.map((c) => ({ rule: c.rule, title: c.fix.title })));
  }
  return { text: current, applied };
}

/** Builder errors of `after` beyond those of `before`, by message (edits move lines). */
function addsErrors(before: Map<string, number>, after: Map<string, number>): boolean {
  for (const [message, count] of after) if (count > (before.get(message) ?? 0)) return true;
  return false;
}

/**
 * The largest prefix-greedy subset of `candidates` (in their order) whose edits together add no builder
 * error: all at once when they pass, else each half in turn, down to single fixes. Returns the text
 * they make and its builder errors, or undefined when none can be applied.
 */
function* keepWhatParses(text: string, candidates: readonly Chosen[], errorsBefore: Map<string, number>): Generator<void, { chosen: Chosen[]; next: string; errorsAfter: Map<string, number> } | undefined> {
  let kept: { chosen: Chosen[]; next: string; errorsAfter: Map<string, number> } | undefined;
  const visit = function* (group: readonly Chosen[]): Generator<void, void> {
    const chosen = [...(kept?.chosen ?? []), ...group];
    let next: string | undefined;
    try {
      next = applyEdits(text, chosen.flatMap((c) => c.fix.edits));
    } catch {
      next = undefined;
    }
    const errorsAfter = next === undefined ? undefined : builderErrors(next);
    yield;
    if (next !== undefined && errorsAfter && !addsErrors(errorsBefore, errorsAfter)) {
      kept = { chosen, next, errorsAfter };
      return;
    }
    if (group.length === 1) return;
    const half = Math.ceil(group.length / 2);
    yield* visit(group.slice(0, half));
    yield* visit(group.slice(half));
  };
  yield* visit(candidates);
  return kept;
}

export function fixAllText(text: string, ctx: Partial<RuleContext> = {}, rules: readonly Rule[] = allRules): FixAllResult {
  const steps = fixAllSteps(text, ctx, rules);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
