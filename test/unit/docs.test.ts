import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allRules } from '../../server/src/analysis/rules';

const ROOT = join(__dirname, '..', '..');
const rulesDoc = readFileSync(join(ROOT, 'docs', 'rules.md'), 'utf8');

test('docs: every rule has a section in docs/rules.md with its default severity and a written body', () => {
  for (const rule of allRules) {
    const start = rulesDoc.indexOf(`\n## ${rule.id}\n`);
    assert.ok(start >= 0, `no section for ${rule.id}`);
    const next = rulesDoc.indexOf('\n## ', start + 1);
    const section = rulesDoc.slice(start, next === -1 ? undefined : next);
    assert.match(section, new RegExp(`Default severity: \\*\\*${rule.defaultSeverity}\\*\\*`), rule.id);
    assert.doesNotMatch(section, /TODO/, rule.id);
    assert.ok(section.length > 300, `${rule.id}: section too short to say why, bad, good and fix`);
  }
});

test('docs: rule ids are unique, kebab-case, and every module file is registered', () => {
  const ids = allRules.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.match(id, /^[a-z]+(-[a-z]+)*$/);
  assert.equal(ids.length, 28, 'SPEC §2 lists 28 rules');
});

test('docs: every setting in package.json appears in the README settings table', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  for (const [key, value] of Object.entries<any>(pkg.contributes.configuration.properties)) {
    assert.ok(readme.includes(`\`${key}\``), `${key} missing from README`);
    assert.ok(value.description || value.markdownDescription, `${key} has no description`);
    assert.ok(value.scope, `${key} has no scope`);
  }
});
