// docs/architecture.md is a map, and a map with a street that is not there misleads: every backticked
// repository path in it must exist, and the README links to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Backticked spans that name a repository path: a folder path (with a slash) or a file with a known extension. */
export function backtickedPaths(markdown: string): string[] {
  const spans = [...markdown.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
  return spans.filter((s) => /^[\w.-]+(\/[\w.-]+)*\/?$/.test(s) && (s.includes('/') || /\.(ts|mjs|js|json|md|sh)$/.test(s)));
}

test('architecture doc: every backticked path in docs/architecture.md exists', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');
  const paths = backtickedPaths(doc);
  assert.ok(paths.length >= 80, `found ${paths.length} paths`);
  assert.deepEqual(paths.filter((p) => !existsSync(join(ROOT, p))), []);
});

test('architecture doc: the path finder takes paths and leaves code and commands alone', () => {
  const text = 'See `server/src/analysis/model.ts`, `client/src/`, `package.json`, `fs`, `analyze()`, `git show`, `DiagnosticsService.schedule` and `no/such.ts`.';
  assert.deepEqual(backtickedPaths(text), ['server/src/analysis/model.ts', 'client/src/', 'package.json', 'no/such.ts']);
});

test('architecture doc: the README links to it', () => {
  assert.match(readFileSync(join(ROOT, 'README.md'), 'utf8'), /\]\(docs\/architecture\.md\)/);
});
