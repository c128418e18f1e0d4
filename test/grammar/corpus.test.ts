// The injection grammar over ~3,000 real Dockerfiles (../shared/corpus; SKIPPED without it, failing in CI):
// 1. outside parser directives, ignore comments and heredoc instructions it changes no scope of VS Code's
//    built-in Dockerfile grammar;
// 2. every heredoc that dockerfile-ast (the parser the server uses) finds is highlighted as a body from the
//    line after `<<NAME` to the line before its terminator, the terminator is scoped as such, and the line
//    after it is no longer inside the body; COPY/ADD bodies are text, and a RUN whose command is nothing but
//    `<<NAME` has a shell body.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DockerfileParser, type Copy, type Run } from 'dockerfile-ast';
import { corpusFiles } from '../support/corpus';
import { scopesPerCharacter, tokenize, type Token } from './tokenize';

const IGNORE_COMMENT = /^\s*#\s*(?:multistage-ignore(?:-file)?(?:\s|$)|hadolint\s+(?:global\s+)?ignore\s*=)/;
const DIRECTIVE = /^\s*#\s*(?:syntax|escape|check)\s*=/i;
const SHELL_BODY = 'meta.embedded.block.shellscript';
const TEXT_BODY = 'string.unquoted.heredoc.dockerfile';
const BODY_SCOPES = [SHELL_BODY, TEXT_BODY];
const DELIMITER_SCOPE = 'keyword.control.heredoc-token.dockerfile';

/** Lines the injection is meant to change: the opening directive block and ignore comments. */
function linesWithOwnHighlighting(lines: string[]): Set<number> {
  const own = new Set<number>();
  for (let i = 0; i < lines.length && DIRECTIVE.test(lines[i]); i++) own.add(i);
  lines.forEach((line, i) => IGNORE_COMMENT.test(line) && own.add(i));
  return own;
}

test('grammar on the corpus: files without heredocs get exactly the built-in scopes outside directives and ignore comments', async (t) => {
  const files = corpusFiles(t);
  if (!files) return;
  assert.ok(files.length > 2500, `expected ~3,000 corpus files, found ${files.length}`);
  const differences: string[] = [];
  let compared = 0;
  const started = Date.now();
  for (const { name, text } of files) {
    if (text.includes('<<')) continue; // heredocs are checked against dockerfile-ast below
    const lines = text.split(/\r\n|\n/);
    const own = linesWithOwnHighlighting(lines);
    const withInjection = await scopesPerCharacter(text);
    const builtIn = await scopesPerCharacter(text, { withInjection: false });
    compared++;
    for (let i = 0; i < lines.length; i++) {
      if (own.has(i)) continue;
      if (JSON.stringify(withInjection[i] ?? []) !== JSON.stringify(builtIn[i] ?? [])) {
        differences.push(`${name}:${i + 1}: ${lines[i].slice(0, 80)}`);
        break;
      }
    }
  }
  t.diagnostic(`${compared} files compared in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  assert.ok(compared > 2500, `compared only ${compared} files`);
  assert.deepEqual(differences.slice(0, 20), [], `${differences.length} files differ from the built-in grammar`);
});

function scopesAtLine(tokens: Token[], line: number): string[][] {
  return tokens.filter((tk) => tk.line === line && tk.text.trim() !== '').map((tk) => tk.scopes);
}

test('grammar on the corpus: every heredoc dockerfile-ast finds is highlighted from its first to its last line', async (t) => {
  const files = corpusFiles(t);
  if (!files) return;
  const failures: string[] = [];
  let heredocs = 0;
  for (const { name, text } of files) {
    if (!text.includes('<<')) continue;
    const dockerfile = DockerfileParser.parse(text);
    const lines = text.split(/\r\n|\n/);
    const tokens = await tokenize(text);
    for (const instruction of dockerfile.getInstructions()) {
      const keyword = instruction.getKeyword();
      if (keyword !== 'RUN' && keyword !== 'COPY' && keyword !== 'ADD') continue;
      // Only the first heredoc of an instruction: later ones (`<<A cat && <<B cat`) are a known limitation.
      const [heredoc] = (instruction as Run | Copy).getHeredocs();
      const delimiter = heredoc?.getDelimiterRange();
      if (!heredoc || !delimiter) continue;
      heredocs++;
      const start = heredoc.getStartRange();
      const where = `${name}:${start.start.line + 1} <<${heredoc.getName()}`;
      const [firstArgument] = instruction.getArguments();
      const restOfLine = lines[start.end.line].slice(start.end.character).trim();
      const expected =
        keyword !== 'RUN' ? TEXT_BODY : firstArgument?.getValue().startsWith('<<') && restOfLine === '' ? SHELL_BODY : undefined;
      for (let line = start.start.line + 1; line < delimiter.start.line; line++) {
        const wanted = expected ? [expected] : BODY_SCOPES;
        const outside = scopesAtLine(tokens, line).filter((scopes) => !wanted.some((b) => scopes.includes(b)));
        if (outside.length > 0) failures.push(`${where}: line ${line + 1} is not highlighted as ${wanted.join(' or ')}`);
      }
      const closing = scopesAtLine(tokens, delimiter.start.line);
      if (!closing.some((scopes) => scopes.includes(DELIMITER_SCOPE))) failures.push(`${where}: terminator on line ${delimiter.start.line + 1} not scoped`);
      const after = scopesAtLine(tokens, delimiter.start.line + 1);
      if (after.some((scopes) => BODY_SCOPES.some((b) => scopes.includes(b)))) failures.push(`${where}: the body runs past line ${delimiter.start.line + 1}`);
    }
  }
  t.diagnostic(`${heredocs} heredocs checked`);
  assert.ok(heredocs >= 40, `expected the corpus heredocs, found ${heredocs}`);
  assert.deepEqual(failures.slice(0, 20), [], `${failures.length} heredoc problems`);
});
