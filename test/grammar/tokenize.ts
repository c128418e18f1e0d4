// Tokenizes Dockerfile text the way VS Code does: the built-in Dockerfile and shell grammars (VS Code's own,
// MIT, from the tm-grammars devDependency) plus our injection grammar as package.json contributes it. The
// registry comes from vscode-tmgrammar-test, so these assertions and the snapshot CLI see the same tokens.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

export const repoRoot = join(import.meta.dirname, '..', '..');
export const baseGrammarPaths = [
  require.resolve('tm-grammars/grammars/docker.json'),
  require.resolve('tm-grammars/grammars/shellscript.json'),
];

interface GrammarConfig {
  scopeName: string;
  path: string;
  injectTo?: string[];
  embeddedLanguages?: Record<string, string>;
}
interface RawToken {
  startIndex: number;
  endIndex: number;
  scopes: string[];
}
interface Grammar {
  tokenizeLine(line: string, state: unknown): { tokens: RawToken[]; ruleStack: unknown };
}
interface Registry {
  loadGrammar(scope: string): Promise<Grammar | null>;
}
const { createRegistry } = require('vscode-tmgrammar-test/dist/common/index.js') as {
  createRegistry(grammars: GrammarConfig[]): Registry;
};

export interface Token {
  line: number;
  text: string;
  scopes: string[];
}

/** The grammars package.json contributes (paths made absolute). */
export function contributedGrammars(): GrammarConfig[] {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const grammars: GrammarConfig[] = manifest.contributes?.grammars ?? [];
  return grammars.map((g) => ({ ...g, path: join(repoRoot, g.path) }));
}

const grammars = new Map<boolean, Promise<Grammar>>();

function loadDockerfileGrammar(withInjection: boolean): Promise<Grammar> {
  let grammar = grammars.get(withInjection);
  if (!grammar) {
    const configs: GrammarConfig[] = baseGrammarPaths.map((path) => ({ path, scopeName: '' }));
    if (withInjection) configs.push(...contributedGrammars());
    grammar = createRegistry(configs)
      .loadGrammar('source.dockerfile')
      .then((g) => {
        if (!g) throw new Error('source.dockerfile grammar did not load');
        return g;
      });
    grammars.set(withInjection, grammar);
  }
  return grammar;
}

/** Every token of every line (line numbers 0-based), with its full scope stack. */
export async function tokenize(text: string, options: { withInjection?: boolean } = {}): Promise<Token[]> {
  const grammar = await loadDockerfileGrammar(options.withInjection ?? true);
  const tokens: Token[] = [];
  let state: unknown = null;
  text.split(/\r\n|\n/).forEach((line, index) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    for (const t of result.tokens) {
      const piece = line.slice(t.startIndex, Math.min(t.endIndex, line.length));
      if (piece.length > 0) tokens.push({ line: index, text: piece, scopes: t.scopes });
    }
  });
  return tokens;
}

/** The scopes at each character of each line: what a theme sees, independent of token boundaries. */
export async function scopesPerCharacter(text: string, options: { withInjection?: boolean } = {}): Promise<string[][]> {
  const lines: string[][] = [];
  for (const token of await tokenize(text, options)) {
    const row = (lines[token.line] ??= []);
    for (let i = 0; i < token.text.length; i++) row.push(token.scopes.join(' '));
  }
  return lines;
}

/** The scopes of the token holding the first occurrence of `needle` on a 0-based line; throws when absent. */
export function scopesOf(tokens: Token[], line: number, needle: string): string[] {
  const lineTokens = tokens.filter((t) => t.line === line);
  const lineText = lineTokens.map((t) => t.text).join('');
  const at = lineText.indexOf(needle);
  if (at < 0) throw new Error(`line ${line} (${JSON.stringify(lineText)}) has no ${JSON.stringify(needle)}`);
  let offset = 0;
  for (const t of lineTokens) {
    if (at < offset + t.text.length) return t.scopes;
    offset += t.text.length;
  }
  throw new Error('unreachable: needle offset past the end of the line');
}
