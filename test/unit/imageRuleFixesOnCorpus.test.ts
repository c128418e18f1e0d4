// The image and safety rules' quick fixes, applied to every finding they make on ~3,000 real
// Dockerfiles: each fix must remove the finding it was offered for without adding findings of the same
// rule elsewhere. Needs ../shared/corpus (SKIPPED without it, failing in CI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/analysis/analyze';
import { ruleById } from '../../server/src/analysis/rules';
import { applyEdits } from '../../server/src/analysis/textEdits';
import type { ImageFacts } from '../../server/src/analysis/types';
import { corpusFiles } from '../support/corpus';

const RULES = ['runs-as-root', 'unpinned-base-image', 'larger-base-than-needed', 'add-instead-of-copy', 'scratch-without-ca-certificates'];
const DIGEST = `sha256:${'ab'.repeat(32)}`;

/** Image facts that know a digest for every image, so unpinned-base-image offers its fix everywhere. */
class EveryImageHasADigest extends Map<string, ImageFacts> {
  override get(): ImageFacts {
    return { digest: DIGEST };
  }
}
const everyDigest = new EveryImageHasADigest();

test('image rules: on the corpus, every fix removes its finding and adds none of the same rule', (t) => {
  const files = corpusFiles(t);
  if (!files) return;
  const failures: string[] = [];
  const applied = new Map<string, number>(RULES.map((r) => [r, 0]));
  const rules = RULES.map((id) => ruleById(id)!);
  for (const { name, text } of files) {
    const ctx = { images: everyDigest };
    const all = analyze(text, ctx, rules).problems;
    for (const id of RULES) {
      const rule = ruleById(id)!;
      const before = all.filter((p) => p.rule === id);
      for (const problem of before) {
        const fix = problem.fixes.find((f) => f.edits.length > 0);
        if (!fix) continue;
        const fixed = applyEdits(text, fix.edits);
        const after = analyze(fixed, ctx, [rule]).problems;
        applied.set(id, applied.get(id)! + 1);
        if (after.length >= before.length) failures.push(`${name}: ${id} "${fix.title}" left ${after.length} of ${before.length} findings`);
      }
    }
  }
  t.diagnostic(`fixes applied: ${[...applied].map(([r, n]) => `${r} ${n}`).join(', ')}`);
  assert.deepEqual(failures.slice(0, 20), []);
  for (const id of RULES) assert.ok(applied.get(id)! > 0, `${id}: no fix was exercised`);
});
