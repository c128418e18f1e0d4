// Golden tests for "Reorder for layer cache" on the installs that read more than their manifests
// (lifecycle scripts, local packages, patches, the project itself, local replaces and path dependencies)
// and on installs that read nothing from the context. Each folder under test/fixtures/reorder-safety/ is a
// build context with a Dockerfile and either the expected Dockerfile.reorder, or withheld.txt (a part of
// the reason the action gives for not being available), or neither (nothing to reorder, no reason).
// The rule and the action agree: copy-before-dependency-install fires exactly when the reorder is offered.
// UPDATE_GOLDEN=1 rewrites the expected Dockerfile.reorder files (review the diff before committing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from 'dockerfile-utils';
import { buildModel } from '../../../server/src/analysis/model';
import { REORDER_CACHE_TITLE, REORDER_TITLE, reorderWithheld } from '../../../server/src/analysis/rewrite';
import { DEFAULT_SETTINGS, type RuleContext } from '../../../server/src/analysis/types';
import { findings, fixtureFiles, memoryContext, rewrittenBy } from '../../support/analysis';
import { dependencyFolders, installNeeds } from '../../../server/src/analysis/rewrite/installNeeds';

const ROOT = join(import.meta.dirname, '../../fixtures/reorder-safety');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const RULE = 'copy-before-dependency-install';
const EXPECTED = new Set(['Dockerfile.reorder', 'withheld.txt']);

const cases = readdirSync(ROOT).filter((n) => existsSync(join(ROOT, n, 'Dockerfile'))).sort();

test('reorder-safety fixtures: every trap of the issue has a case', () => {
  for (const name of [
    'npm-prepare-split', 'yarn-postinstall', 'pnpm-prepare', 'npm-file-dependency', 'yarn-link-dependency', 'npm-workspace-bin',
    'npm-patch-package', 'pnpm-patched-dependencies', 'pip-install-dot', 'pip-install-editable', 'poetry-readme-path-dependency',
    'go-replace-local', 'cargo-path-dependency', 'free-pip-named', 'free-npm-global', 'free-gem-install', 'free-go-install',
    'free-cargo-install', 'free-apt-env-user',
  ]) assert.ok(cases.includes(name), name);
});

for (const name of cases) {
  test(`reorder-safety: ${name}`, () => {
    const dir = join(ROOT, name);
    const files = fixtureFiles(dir, EXPECTED);
    const ctx: RuleContext = { settings: DEFAULT_SETTINGS, context: memoryContext(files) };
    const text = files.Dockerfile;
    const actual = rewrittenBy(text, ctx, REORDER_TITLE);
    const expectedPath = join(dir, 'Dockerfile.reorder');
    if (UPDATE) {
      if (actual === undefined) rmSync(expectedPath, { force: true });
      else writeFileSync(expectedPath, actual);
      return;
    }
    const fires = findings(text, RULE, ctx).length > 0;
    const reason = reorderWithheld(buildModel(text), ctx);
    if (!existsSync(expectedPath)) {
      assert.equal(actual, undefined, 'the reorder must not be offered');
      assert.equal(fires, false, `${RULE} stays quiet where the reorder is not offered`);
      const withheld = join(dir, 'withheld.txt');
      if (existsSync(withheld)) {
        assert.ok(reason?.includes(readFileSync(withheld, 'utf8').trim()), `the reason says why: ${reason}`);
      } else {
        assert.equal(reason, undefined, 'nothing that needs the sources, so no reason either');
      }
      return;
    }
    assert.equal(actual, readFileSync(expectedPath, 'utf8'));
    assert.equal(reason, undefined);
    assert.equal(fires, true, `${RULE} fires where the reorder is offered`);
    const errors = validate(actual!).filter((d) => d.severity === 1);
    assert.deepEqual(errors.map((e) => e.message), [], 'the result parses');
    assert.equal(rewrittenBy(actual!, ctx, REORDER_TITLE), undefined, 'applying twice changes nothing');
    assert.deepEqual(findings(actual!, RULE, ctx).map((p) => p.message), [], `${RULE} no longer fires`);
    // The cache-mount variant, when it differs, has the same shape.
    const mounts = rewrittenBy(text, ctx, REORDER_CACHE_TITLE);
    if (mounts !== undefined) assert.equal(mounts.replace(/--mount=type=cache,target=\S+ /g, ''), actual);
  });
}

test('reorder-safety: malformed manifests never make the analysis throw (they withhold or add nothing)', () => {
  const junk = ['', '{', '[]', 'null', '{"scripts":5,"dependencies":{"a":"patch:x#%E0%A4%A"},"pnpm":{"patchedDependencies":[1]}}', '{"dependencies":{"a":"file:"}}',
    '{"repositories":[null,{"type":"path","url":5}]}', '[project]\nname = "a(b"\ndependencies = [\n"a(b[x]"\n]\n', 'replace x => ../..\nuse (\n)', 'path = "/"', '\u0000\uffff'];
  const kinds = ['npm', 'yarn', 'pnpm', 'pip', 'pip-project', 'poetry', 'uv', 'pipenv', 'go', 'cargo', 'bundler', 'composer'];
  for (const a of junk) {
    for (const b of junk) {
      const ctx = memoryContext({ 'package.json': a, 'composer.json': a, 'pyproject.toml': b, 'go.mod': b, 'Cargo.toml': b, Gemfile: `gemspec\n${a}`, 'x.gemspec': b, 'requirements.txt': b });
      for (const kind of kinds) {
        const needs = installNeeds(kind, ctx, '', 'pip install .[a -r requirements.txt', '', 'node:20');
        assert.ok(Array.isArray(needs.extra));
      }
      assert.ok(dependencyFolders(ctx) instanceof Set);
    }
  }
});
