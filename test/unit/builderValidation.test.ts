// validateDockerfile() lends the model's parse to dockerfile-utils and answers the validator's variable
// lookups from tables (analysis/builderValidation.ts). Whatever it does to be fast, it must report
// exactly what a stock validate(text) reports: every corpus file and the growth benchmark's synthetic
// files, with dockerfile-utils' default settings (style checks on, so every check runs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { validateDockerfile } from '../../server/src/analysis/builderValidation';
import { syntheticDockerfile } from '../../bench/syntheticDockerfile';
import { corpusFiles } from '../support/corpus';

/** Stock validate(), or undefined where dockerfile-ast's recursion bug overflows the stack. */
function stock(text: string) {
  try {
    return validate(text);
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

function assertSame(text: string, label: string): boolean {
  const expected = stock(text);
  const actual = validateDockerfile(text, undefined, DockerfileParser.parse(text));
  if (expected === undefined) return false;
  assert.deepStrictEqual(actual, expected, label);
  return true;
}

test('validateDockerfile reports what a stock validate() reports, for every corpus file', (t) => {
  const files = corpusFiles(t);
  if (!files) return;
  let compared = 0;
  let diagnostics = 0;
  for (const { name, text } of files) {
    if (assertSame(text, name)) {
      compared++;
      diagnostics += validate(text).length;
    }
  }
  t.diagnostic(`${compared} files, ${diagnostics} diagnostics compared`);
  assert.ok(compared > 2900 && diagnostics > 500, `${compared} files, ${diagnostics} diagnostics`);
});

test('validateDockerfile reports what a stock validate() reports on many-stage synthetic files', () => {
  for (const lines of [100, 800, 3200]) assert.ok(assertSame(syntheticDockerfile(lines), `${lines} lines`));
});
