// Helpers for rule tests: run one rule (through the full pipeline, so suppressions and overrides
// apply) and apply a fix's edits to text.
import { analyze } from '../../server/src/analysis/analyze';
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
