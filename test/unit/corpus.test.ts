// Robustness over ~3,000 real Dockerfiles: analysis never throws, ranges stay inside the document,
// every fix applies and its result still parses. Needs ../shared/corpus (SKIPPED without it, failing in CI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/analysis/analyze';
import { buildModel } from '../../server/src/analysis/model';
import { applyEdits } from '../../server/src/analysis/textEdits';
import { builderErrors, newBuilderErrors } from '../../server/src/analysis/fixSafety';
import { corpusFiles } from '../support/corpus';

function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((l) => l.length);
}


test('corpus: every file analyses without exceptions, ranges inside, fixes apply and re-parse', (t) => {
  const files = corpusFiles(t);
  if (!files) return;
  assert.ok(files.length > 2500, `expected ~3,000 corpus files, found ${files.length}`);
  const failures: string[] = [];
  let problems = 0;
  let fixesChecked = 0;
  const started = Date.now();
  for (const { name, text } of files) {
    let result;
    try {
      result = analyze(text, { settings: { rules: {}, syntaxDiagnostics: true } });
    } catch (error) {
      failures.push(`${name}: analyze threw ${String(error)}`);
      continue;
    }
    for (const e of result.ruleErrors) failures.push(`${name}: rule ${e.rule} threw ${String(e.error)}`);
    const lengths = lineLengths(text);
    let errorsBefore: Map<string, number> | undefined; // computed only for files that have fixes
    for (const p of result.problems) {
      problems++;
      const { start, end } = p.range;
      const inside = (pos: { line: number; character: number }) => pos.line < lengths.length && pos.character <= lengths[pos.line];
      if (!inside(start) || !inside(end)) failures.push(`${name}: ${p.rule} range outside the document ${JSON.stringify(p.range)}`);
      for (const fix of p.fixes) {
        fixesChecked++;
        let fixed: string;
        try {
          fixed = applyEdits(text, fix.edits);
          buildModel(fixed);
        } catch (error) {
          failures.push(`${name}: fix '${fix.title}' of ${p.rule} does not apply: ${String(error)}`);
          continue;
        }
        errorsBefore ??= builderErrors(text);
        const newErrors = newBuilderErrors(errorsBefore, fixed);
        if (newErrors.length > 0) failures.push(`${name}: fix '${fix.title}' of ${p.rule} introduces: ${newErrors.join('; ')}`);
      }
    }
  }
  process.stdout.write(`corpus: ${files.length} files, ${problems} problems, ${fixesChecked} fixes applied and re-parsed in ${Date.now() - started} ms\n`);
  assert.deepEqual(failures.slice(0, 30), [], `${failures.length} failures`);
});
