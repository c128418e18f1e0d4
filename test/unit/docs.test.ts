import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { allRules } from '../../server/src/analysis/rules';
import type { Rule } from '../../server/src/analysis/types';

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
  // One module per rule: each file in rules/ (index.ts aside) exports one rule, named after its id and
  // registered in allRules; and each registered rule comes from its own file.
  const dir = join(ROOT, 'server', 'src', 'analysis', 'rules');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts').sort();
  const fromFiles = new Map<Rule, string>();
  for (const file of files) {
    const exported = Object.values<unknown>(require(join(dir, file))).filter(
      (v): v is Rule => typeof v === 'object' && v !== null && typeof (v as Rule).id === 'string' && typeof (v as Rule).check === 'function',
    );
    assert.equal(exported.length, 1, `${file} should export exactly one rule`);
    const [rule] = exported;
    assert.ok(allRules.includes(rule), `${file} exports ${rule.id}, which allRules does not register`);
    assert.equal(basename(file, '.ts'), rule.id.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()), `${file} should be named after ${rule.id}`);
    fromFiles.set(rule, file);
  }
  for (const rule of allRules) assert.ok(fromFiles.has(rule), `${rule.id} is registered but no file in rules/ exports it`);
  assert.equal(allRules.length, files.length);
});

test('docs: every rule section in docs/rules.md names a registered rule', () => {
  const sections = [...rulesDoc.matchAll(/^## ([a-z]+(?:-[a-z]+)+)$/gm)].map((m) => m[1]);
  assert.deepEqual(sections.filter((id) => !allRules.some((r) => r.id === id)), []);
  assert.equal(new Set(sections).size, allRules.length, 'one section per rule');
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
