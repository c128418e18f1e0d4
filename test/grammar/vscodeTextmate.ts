// Tokenizes with the TextMate engine and built-in grammars of a real VS Code build (the code-server that
// test/setup/e2e.sh installs), to show that the snapshot harness (vscode-tmgrammar-test, vscode-textmate 7)
// agrees with what VS Code itself (vscode-textmate 9) renders.
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { contributedGrammars } from './tokenize';

const CODE_SERVER_VERSION = process.env.MULTISTAGE_E2E_CODE_SERVER_VERSION ?? '4.139.1';
const CACHE = process.env.MULTISTAGE_E2E_CACHE ?? join(homedir(), '.cache', 'multistage-e2e');

/** VS Code's own folder inside the code-server package. */
export const vscodeRoot = join(CACHE, `code-server-${CODE_SERVER_VERSION}`, 'node_modules', 'code-server', 'lib', 'vscode');

const grammarFiles: Record<string, string> = {
  'source.dockerfile': join(vscodeRoot, 'extensions', 'docker', 'syntaxes', 'docker.tmLanguage.json'),
  'source.shell': join(vscodeRoot, 'extensions', 'shellscript', 'syntaxes', 'shell-unix-bash.tmLanguage.json'),
};

export function vscodeAvailable(): boolean {
  return Object.values(grammarFiles).every(existsSync) && existsSync(join(vscodeRoot, 'node_modules', 'vscode-textmate'));
}

interface Grammar {
  tokenizeLine(line: string, state: unknown): { tokens: { startIndex: number; endIndex: number; scopes: string[] }[]; ruleStack: unknown };
}

let loaded: Promise<Grammar> | undefined;

function loadGrammar(): Promise<Grammar> {
  loaded ??= (async () => {
    const require = createRequire(join(vscodeRoot, 'package.json'));
    const textmate = require('vscode-textmate');
    const oniguruma = require('vscode-oniguruma');
    const wasm = readFileSync(join(require.resolve('vscode-oniguruma'), '..', 'onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const injection = contributedGrammars()[0];
    const files: Record<string, string> = { ...grammarFiles, [injection.scopeName]: injection.path };
    const registry = new textmate.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
        createOnigString: (text: string) => new oniguruma.OnigString(text),
      }),
      loadGrammar: async (scope: string) =>
        files[scope] ? textmate.parseRawGrammar(readFileSync(files[scope], 'utf8'), files[scope]) : null,
      getInjections: (scope: string) => (injection.injectTo?.includes(scope) ? [injection.scopeName] : undefined),
    });
    const grammar = await registry.loadGrammar('source.dockerfile');
    if (!grammar) throw new Error('VS Code did not load source.dockerfile');
    return grammar as Grammar;
  })();
  return loaded;
}

/** The scopes at each character of each line, as VS Code's engine assigns them. */
export async function vscodeScopesPerCharacter(text: string): Promise<string[][]> {
  const grammar = await loadGrammar();
  let state: unknown = textmateInitialState();
  return text.split(/\r\n|\n/).map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    const row: string[] = [];
    for (const t of result.tokens) {
      for (let i = t.startIndex; i < Math.min(t.endIndex, line.length); i++) row.push(t.scopes.join(' '));
    }
    return row;
  });
}

function textmateInitialState(): unknown {
  const require = createRequire(join(vscodeRoot, 'package.json'));
  return require('vscode-textmate').INITIAL;
}
