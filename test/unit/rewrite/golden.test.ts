// Golden tests for the rewrites: each folder under test/fixtures/rewrite/ is a build context with a
// Dockerfile and the expected Dockerfile.split / Dockerfile.reorder (/ Dockerfile.reorder-cache). A
// missing expected file means the action must not be offered. `case.json` may set runtimeFlavor.
// UPDATE_GOLDEN=1 rewrites the expected files (review the diff before committing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from 'dockerfile-utils';
import { REORDER_CACHE_TITLE, REORDER_TITLE, SPLIT_TITLE } from '../../../server/src/analysis/rewrite';
import { DEFAULT_SETTINGS, type RuleContext } from '../../../server/src/analysis/types';
import { memoryContext, findings, fixtureFiles, rewrittenBy } from '../../support/analysis';
import { ruleById } from '../../../server/src/analysis/rules';
import { analyze } from '../../../server/src/analysis/analyze';

const ROOT = join(import.meta.dirname, '../../fixtures/rewrite');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const EXPECTED = new Set(['Dockerfile.split', 'Dockerfile.reorder', 'Dockerfile.reorder-cache', 'case.json']);

function loadCase(name: string) {
  const dir = join(ROOT, name);
  const files = fixtureFiles(dir, EXPECTED);
  const options = existsSync(join(dir, 'case.json')) ? JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) : {};
  const ctx: RuleContext = { settings: { ...DEFAULT_SETTINGS, runtimeFlavor: options.runtimeFlavor ?? 'auto' }, context: memoryContext(files) };
  return { dir, text: files.Dockerfile, ctx, allowInRuntime: (options.allowInRuntime ?? []) as string[] };
}

function assertParses(text: string, label: string) {
  const errors = validate(text).filter((d) => d.severity === 1);
  assert.deepEqual(errors.map((e) => `${e.range.start.line + 1}: ${e.message}`), [], `${label} must parse`);
}

const cases = readdirSync(ROOT).filter((n) => existsSync(join(ROOT, n, 'Dockerfile'))).sort();

test('golden rewrite fixtures: at least 3 cases per ecosystem', () => {
  for (const prefix of ['go-', 'node-', 'static-', 'python-', 'java-', 'rust-', 'dotnet-']) {
    assert.ok(cases.filter((c) => c.startsWith(prefix)).length >= 3, `${prefix}* cases`);
  }
});

for (const name of cases) {
  for (const [file, title] of [['Dockerfile.split', SPLIT_TITLE], ['Dockerfile.reorder', REORDER_TITLE], ['Dockerfile.reorder-cache', REORDER_CACHE_TITLE]] as const) {
    test(`${name}: ${file.slice('Dockerfile.'.length)} output matches ${file}`, () => {
      const { dir, text, ctx, allowInRuntime } = loadCase(name);
      const actual = rewrittenBy(text, ctx, title);
      const path = join(dir, file);
      if (UPDATE) {
        if (actual === undefined) rmSync(path, { force: true });
        else writeFileSync(path, actual);
        return;
      }
      if (!existsSync(path)) {
        assert.equal(actual, undefined, `"${title}" must not be offered`);
        return;
      }
      assert.equal(actual, readFileSync(path, 'utf8'));
      assertParses(actual!, file);
      // A second application changes nothing: the action is gone, or produces the same text.
      const again = rewrittenBy(actual!, ctx, title);
      assert.ok(again === undefined || again === actual, 'applying twice changes nothing');
      // The rule the action fixes no longer fires.
      const rule = file === 'Dockerfile.split' ? 'toolchain-in-final-stage' : 'copy-before-dependency-install';
      assert.ok(ruleById(rule), `${rule} is registered`);
      assert.deepEqual(findings(actual!, rule, ctx).map((p) => p.message), [], `${rule} no longer fires`);
      if (file === 'Dockerfile.split') {
        // The new runtime stage is clean under every rule (case.json lists the known exceptions).
        const result = analyze(actual!, ctx);
        const runtimeStart = result.model!.stages[result.model!.targetIndex].range.start.line;
        const inRuntime = result.problems.filter((p) => p.range.start.line >= runtimeStart && !allowInRuntime.includes(p.rule));
        assert.deepEqual(inRuntime.map((p) => `${p.rule}: ${p.message}`), [], 'no problems in the runtime stage');
      }
    });
  }
}
