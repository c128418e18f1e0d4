// The snapshots are checked with vscode-tmgrammar-test (vscode-textmate 7, grammars from tm-grammars). This
// test shows that VS Code itself — the engine (vscode-textmate 9) and the built-in Dockerfile and shell
// grammars of the code-server build the e2e suite runs — gives exactly the same scopes, so the snapshots
// describe what users see. Needs code-server (bash test/setup/e2e.sh); SKIPPED without it, failing in CI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_DIR, readCorpus } from '../support/corpus';
import { requirePart } from '../support/requirements';
import { repoRoot, scopesPerCharacter } from './tokenize';
import { vscodeAvailable, vscodeScopesPerCharacter, vscodeRoot } from './vscodeTextmate';

const CASES = join(repoRoot, 'test', 'grammar', 'cases');
const USES_THE_INJECTION = /<<|^\s*#\s*(?:syntax|escape|check|multistage-ignore|hadolint)/im;

test("VS Code's own TextMate engine and grammars give the same scopes as the snapshot harness", async (t) => {
  if (!requirePart(t, `VS Code (code-server) at ${vscodeRoot}`, vscodeAvailable(), 'bash test/setup/e2e.sh')) return;
  const files = readdirSync(CASES)
    .filter((f) => f.endsWith('.Dockerfile'))
    .map((f) => join(CASES, f));
  // Corpus files that exercise the injection, when the corpus is there (the corpus test requires it in CI).
  if (existsSync(CORPUS_DIR)) {
    for (const { name, text } of readCorpus()) if (USES_THE_INJECTION.test(text)) files.push(join(CORPUS_DIR, name));
  }
  const differences: string[] = [];
  for (const path of files) {
    const text = readFileSync(path, 'utf8');
    const harness = await scopesPerCharacter(text);
    const vscode = await vscodeScopesPerCharacter(text);
    const lines = Math.max(harness.length, vscode.length);
    for (let i = 0; i < lines; i++) {
      if (JSON.stringify(harness[i] ?? []) !== JSON.stringify(vscode[i] ?? [])) {
        differences.push(`${path}:${i + 1}`);
        break;
      }
    }
  }
  t.diagnostic(`${files.length} files compared`);
  assert.deepEqual(differences, []);
});
