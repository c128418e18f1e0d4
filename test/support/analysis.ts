// Helpers for rule tests: run one rule (through the full pipeline, so suppressions and overrides
// apply) and apply a fix's edits to text.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyze } from '../../server/src/analysis/analyze';
import { buildModel } from '../../server/src/analysis/model';
import { applyTextEdits, refactorActions } from '../../server/src/analysis/rewrite';
import { ruleById } from '../../server/src/analysis/rules';
import type { ContextFiles, Problem, RuleContext } from '../../server/src/analysis/types';

export function findings(text: string, ruleId: string, ctx: Partial<RuleContext> = {}): Problem[] {
  const rule = ruleById(ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  const result = analyze(text, ctx, [rule]);
  if (result.ruleErrors.length > 0) throw result.ruleErrors[0].error;
  return result.problems;
}

export { applyEdits } from '../../server/src/analysis/textEdits';

/** An in-memory build context: path → content (folders are implied by paths; '' content for empty files). */
export function memoryContext(files: Record<string, string>, root = '/ctx'): ContextFiles {
  const norm = (p: string) => p.replace(/^\.\//, '').replace(/\/+$/, '');
  const paths = Object.keys(files).map(norm);
  const dirs = new Set<string>(['']);
  for (const p of paths) {
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return {
    root,
    exists: (p) => paths.includes(norm(p)) || dirs.has(norm(p)),
    isDirectory: (p) => dirs.has(norm(p)),
    list: (d) => {
      const prefix = norm(d) === '' ? '' : norm(d) + '/';
      const names = new Set<string>();
      for (const p of [...paths, ...dirs]) {
        if (p !== '' && p.startsWith(prefix) && p.length > prefix.length) names.add(p.slice(prefix.length).split('/')[0]);
      }
      return [...names].sort();
    },
    read: (p) => files[norm(p)] ?? files['./' + norm(p)],
  };
}

/**
 * A fixture folder's files as a build context (path relative to `dir` → content), leaving out the files at
 * its top level named in `expected` (the golden outputs and options that sit beside the context).
 */
export function fixtureFiles(dir: string, expected: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (!(folder === dir && expected.has(name))) out[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** The text after applying the refactor titled `title`, or undefined when it is not offered. */
export function rewrittenBy(text: string, ctx: RuleContext, title: string): string | undefined {
  const model = buildModel(text);
  const action = refactorActions(model, ctx).find((a) => a.title === title);
  return action ? applyTextEdits(model, action.edits) : undefined;
}
