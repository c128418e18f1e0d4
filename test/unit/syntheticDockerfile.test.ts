// The growth benchmark's synthetic files (bench/syntheticDockerfile.ts) must give the rules the same
// work per line at every size: exact length, and every stage reaches the target through the COPY
// --from chain (a trimmed last stage once broke the chain at 100, 800 and 8,000 lines, so the rules
// had almost nothing to do there and the growth exponent compared unlike files).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { syntheticDockerfile } from '../../bench/syntheticDockerfile';
import { GROWTH_SIZES } from '../../bench/growth';
import { buildModel } from '../../server/src/analysis/model';

for (const lines of GROWTH_SIZES) {
  test(`synthetic Dockerfile of ${lines} lines: exact length, every stage reaches the target`, () => {
    const text = syntheticDockerfile(lines);
    assert.equal(text.split('\n').length - 1, lines);
    const model = buildModel(text);
    assert.ok(model.stages.length >= 2);
    assert.equal(model.stagesReachingTarget().length, model.stages.length);
  });
}
