// The injection grammar (syntaxes/multistage.injection.tmLanguage.json) on top of VS Code's own Dockerfile
// and shell grammars: snapshot tests over test/grammar/cases/*.Dockerfile (vscode-tmgrammar-snap, the
// committed .snap files are the expected tokens) and targeted assertions on the scopes that matter.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { baseGrammarPaths, contributedGrammars, repoRoot, scopesOf, scopesPerCharacter, tokenize } from './tokenize';

const CASES = join(repoRoot, 'test', 'grammar', 'cases');
const caseFiles = readdirSync(CASES).filter((f) => f.endsWith('.Dockerfile'));

const has = (scopes: string[], scope: string) => scopes.some((s) => s === scope || s.startsWith(scope + '.'));
const inShell = (scopes: string[]) => has(scopes, 'meta.embedded.block.shellscript');
const inHeredocText = (scopes: string[]) => has(scopes, 'string.unquoted.heredoc');

describe('grammar snapshots', () => {
  test('every case under test/grammar/cases has a committed snapshot', () => {
    assert.ok(caseFiles.length >= 5, `expected the grammar cases, found ${caseFiles.length}`);
    // vscode-tmgrammar-snap writes a missing snapshot and passes, so a missing one must fail here.
    const missing = caseFiles.filter((f) => !existsSync(join(CASES, f + '.snap')));
    assert.deepEqual(missing, [], 'snapshots are written by vscode-tmgrammar-snap -u (see test/grammar/README.md)');
  });

  test('vscode-tmgrammar-snap: the tokens of every case match its snapshot', () => {
    const cli = join(repoRoot, 'node_modules', 'vscode-tmgrammar-test', 'dist', 'snapshot.js');
    const args = [cli, '--config', 'package.json', '--scope', 'source.dockerfile'];
    for (const grammar of baseGrammarPaths) args.push('--grammar', relative(repoRoot, grammar));
    args.push('test/grammar/cases/*.Dockerfile');
    const run = spawnSync(process.execPath, args, { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
    assert.equal(run.status, 0, `snapshot mismatch:\n${run.stdout}\n${run.stderr}`);
    assert.doesNotMatch(run.stdout, /Generating snapshot/, 'a snapshot was missing and got written instead of checked');
  });
});

describe('package.json grammar contribution', () => {
  test('injects into source.dockerfile and maps the embedded shell block to the shellscript language', () => {
    const [grammar, ...others] = contributedGrammars();
    assert.equal(others.length, 0);
    assert.deepEqual(grammar.injectTo, ['source.dockerfile']);
    assert.equal(grammar.embeddedLanguages?.['meta.embedded.block.shellscript'], 'shellscript');
    assert.ok(existsSync(grammar.path), grammar.path);
  });
});

describe('grammar file', () => {
  test('the committed JSON is exactly what syntaxes/build-grammar.mjs generates', () => {
    const run = spawnSync(process.execPath, [join(repoRoot, 'syntaxes', 'build-grammar.mjs'), '--check'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
  });

  test('every #include names a rule of the repository, and every repository rule is reached from the top', () => {
    const grammar = JSON.parse(readFileSync(contributedGrammars()[0].path, 'utf8'));
    const includes = new Map<string, string[]>(); // rule -> local rules it includes
    const collect = (node: unknown, into: string[]): void => {
      if (Array.isArray(node)) node.forEach((n) => collect(n, into));
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === 'include' && typeof value === 'string' && value.startsWith('#')) into.push(value.slice(1));
          else collect(value, into);
        }
      }
    };
    const top: string[] = [];
    collect(grammar.patterns, top);
    for (const [name, rule] of Object.entries(grammar.repository)) {
      const local: string[] = [];
      collect(rule, local);
      includes.set(name, local);
    }
    const unknown = [...top, ...[...includes.values()].flat()].filter((name) => !includes.has(name));
    assert.deepEqual(unknown, [], 'includes of missing rules');
    const reached = new Set<string>();
    const visit = (name: string) => {
      if (reached.has(name)) return;
      reached.add(name);
      for (const next of includes.get(name) ?? []) visit(next);
    };
    top.forEach(visit);
    assert.deepEqual([...includes.keys()].filter((name) => !reached.has(name)), [], 'unused repository rules');
  });
});

describe('parser directives', () => {
  test('syntax, escape and check directives at the top of the file are highlighted', async () => {
    const tokens = await tokenize('# syntax=docker/dockerfile:1\n# escape=`\n# check=skip=JSONArgsRecommended;error=true\nFROM scratch\n');
    assert.ok(has(scopesOf(tokens, 0, 'syntax'), 'keyword.other.directive'));
    assert.ok(has(scopesOf(tokens, 0, 'docker/dockerfile:1'), 'string.unquoted.directive-value'));
    assert.ok(has(scopesOf(tokens, 1, 'escape'), 'keyword.other.directive'));
    assert.ok(has(scopesOf(tokens, 1, '`'), 'string.unquoted.directive-value'));
    assert.ok(has(scopesOf(tokens, 2, 'skip'), 'entity.other.attribute-name'));
    assert.ok(has(scopesOf(tokens, 2, 'JSONArgsRecommended'), 'constant.other.rule-id'));
    assert.ok(has(scopesOf(tokens, 2, 'true'), 'constant.language.boolean'));
    // Still comments (bracket matching and auto-closing treat them so), and the block ends at FROM.
    assert.ok(has(scopesOf(tokens, 0, 'syntax'), 'comment.line.number-sign'));
    assert.ok(has(scopesOf(tokens, 3, 'FROM'), 'keyword.other.special-method'));
    assert.ok(!has(scopesOf(tokens, 3, 'FROM'), 'meta.directive.parser'));
  });

  test('a directive after an instruction, a blank line or an ordinary comment is a plain comment', async () => {
    for (const text of ['FROM scratch\n# syntax=docker/dockerfile:1\n', '\n# syntax=docker/dockerfile:1\n', '# hello\n# syntax=docker/dockerfile:1\n']) {
      const tokens = await tokenize(text);
      const scopes = scopesOf(tokens, 1, 'syntax');
      assert.ok(has(scopes, 'comment.line.number-sign'), text);
      assert.ok(!has(scopes, 'keyword.other.directive'), `directive highlighted in ${JSON.stringify(text)}`);
    }
  });
});

describe('ignore comments', () => {
  test('# multistage-ignore names each rule id', async () => {
    const tokens = await tokenize('FROM scratch\n# multistage-ignore runs-as-root,unused-stage\nUSER 0\n');
    assert.ok(has(scopesOf(tokens, 1, 'multistage-ignore'), 'keyword.other.directive.ignore.multistage'));
    for (const id of ['runs-as-root', 'unused-stage']) {
      const scopes = scopesOf(tokens, 1, id);
      assert.ok(has(scopes, 'constant.other.rule-id.multistage'), id);
      assert.ok(has(scopes, 'comment.line.number-sign'), `${id} lost its comment scope`);
    }
    assert.ok(has(scopesOf(tokens, 1, ','), 'punctuation.separator.comma'));
  });

  test('# multistage-ignore-file is one keyword, not multistage-ignore plus an id', async () => {
    const tokens = await tokenize('# multistage-ignore-file unpinned-base-image\nFROM node\n');
    assert.ok(has(scopesOf(tokens, 0, 'multistage-ignore-file'), 'keyword.other.directive.ignore.multistage'));
    assert.ok(!has(scopesOf(tokens, 0, '-file'), 'constant.other.rule-id'));
    assert.ok(has(scopesOf(tokens, 0, 'unpinned-base-image'), 'constant.other.rule-id.multistage'));
  });

  test('# hadolint ignore= and # hadolint global ignore= name each DL code', async () => {
    const tokens = await tokenize('FROM debian\n# hadolint ignore=DL3008,DL3009\nRUN true\n# hadolint global ignore=DL3059\n');
    assert.ok(has(scopesOf(tokens, 1, 'hadolint'), 'keyword.other.directive.hadolint'));
    assert.ok(has(scopesOf(tokens, 1, 'DL3008'), 'constant.other.rule-id.hadolint'));
    assert.ok(has(scopesOf(tokens, 1, 'DL3009'), 'constant.other.rule-id.hadolint'));
    assert.ok(has(scopesOf(tokens, 3, 'global'), 'storage.modifier'));
    assert.ok(has(scopesOf(tokens, 3, 'DL3059'), 'constant.other.rule-id.hadolint'));
  });

  test('ordinary comments and words that merely start like the keyword stay plain comments', async () => {
    const tokens = await tokenize('FROM scratch\n# multistage-ignored is not a keyword\n# see hadolint ignore=DL3008\n');
    assert.ok(!has(scopesOf(tokens, 1, 'multistage-ignored'), 'keyword.other.directive'));
    assert.ok(!has(scopesOf(tokens, 2, 'DL3008'), 'constant.other.rule-id'));
    assert.ok(has(scopesOf(tokens, 2, 'DL3008'), 'comment.line.number-sign'));
  });
});

describe('RUN heredocs', () => {
  test('RUN <<EOF: the body is shell, the terminator closes it, the next instruction is Dockerfile again', async () => {
    const tokens = await tokenize('FROM debian\nRUN <<EOF\napt-get update\nif true; then echo "x"; fi\nEOF\nUSER nobody\n');
    assert.ok(has(scopesOf(tokens, 1, '<<'), 'keyword.operator.heredoc'));
    assert.ok(has(scopesOf(tokens, 1, 'EOF'), 'keyword.control.heredoc-token'));
    assert.ok(inShell(scopesOf(tokens, 2, 'apt-get')));
    assert.ok(has(scopesOf(tokens, 2, 'apt-get'), 'entity.name.command.shell'));
    assert.ok(has(scopesOf(tokens, 3, 'if'), 'keyword.control.if.shell'));
    assert.ok(has(scopesOf(tokens, 3, '"x"'), 'string.quoted.double.shell'));
    assert.ok(has(scopesOf(tokens, 4, 'EOF'), 'keyword.control.heredoc-token'));
    assert.ok(!inShell(scopesOf(tokens, 4, 'EOF')));
    assert.ok(has(scopesOf(tokens, 5, 'USER'), 'keyword.other.special-method.dockerfile'));
    assert.ok(!inShell(scopesOf(tokens, 5, 'USER')));
  });

  test('quoted delimiters <<"EOF" and <<\'EOF\' embed shell and close on the bare name', async () => {
    for (const quote of ['"', "'"]) {
      const tokens = await tokenize(`FROM debian\nRUN <<${quote}EOF${quote}\necho hi\nEOF\nCMD ["x"]\n`);
      assert.ok(has(scopesOf(tokens, 1, quote), 'punctuation.definition.string.heredoc.quote'));
      assert.ok(inShell(scopesOf(tokens, 2, 'echo')), quote);
      assert.ok(has(scopesOf(tokens, 3, 'EOF'), 'keyword.control.heredoc-token'), quote);
      assert.ok(has(scopesOf(tokens, 4, 'CMD'), 'keyword.other.special-method.dockerfile'), quote);
    }
  });

  test('RUN <<-EOT ends at a tab-indented terminator; plain <<EOF does not', async () => {
    const dashed = await tokenize('FROM debian\nRUN <<-EOT\n\techo a\n\tEOT\nUSER x\n');
    assert.ok(inShell(scopesOf(dashed, 2, 'echo')));
    assert.ok(has(scopesOf(dashed, 3, 'EOT'), 'keyword.control.heredoc-token'));
    assert.ok(has(scopesOf(dashed, 4, 'USER'), 'keyword.other.special-method.dockerfile'));

    const plain = await tokenize('FROM debian\nRUN <<EOF\necho a\n\tEOF\nEOF\nUSER x\n');
    assert.ok(inShell(scopesOf(plain, 3, 'EOF')), 'a tab-indented EOF must not end a plain <<EOF');
    assert.ok(has(scopesOf(plain, 4, 'EOF'), 'keyword.control.heredoc-token'));
    assert.ok(has(scopesOf(plain, 5, 'USER'), 'keyword.other.special-method.dockerfile'));
  });

  test('flags before the heredoc, also on continuation lines, still make the body the script', async () => {
    const tokens = await tokenize(
      'FROM golang\nRUN --mount=type=bind,target=. \\\n    --mount=type=cache,target=/root/.cache <<EOT\n  go build ./...\nEOT\n',
    );
    assert.ok(inShell(scopesOf(tokens, 3, 'go')));
    assert.ok(has(scopesOf(tokens, 4, 'EOT'), 'keyword.control.heredoc-token'));
  });

  test('a heredoc fed to a shell (RUN <<EOT bash, RUN bash -ex <<EOF) is shell', async () => {
    const tokens = await tokenize('FROM debian\nRUN <<EOT bash\necho a\nEOT\nRUN /bin/bash -ex <<EOF\necho b\nEOF\n');
    assert.ok(inShell(scopesOf(tokens, 2, 'echo')));
    assert.ok(inShell(scopesOf(tokens, 5, 'echo')));
  });

  test('a heredoc fed to another command (cat, python3) is text, not shell', async () => {
    const tokens = await tokenize('FROM python\nRUN cat <<EOF > /etc/app.conf\nkey=value\nEOF\nRUN python3 <<EOF\nprint(1)\nEOF\nRUN <<EOF cat > /x\nif\nEOF\n');
    for (const [line, word] of [[2, 'key'], [5, 'print'], [8, 'if']] as const) {
      const scopes = scopesOf(tokens, line, word);
      assert.ok(inHeredocText(scopes), `${word}: ${scopes.join(' ')}`);
      assert.ok(!inShell(scopes), word);
    }
  });

  test('a first-line shebang naming another interpreter shows the script as text; a shell shebang or a later #! does not', async () => {
    const tokens = await tokenize(
      'FROM python\nRUN <<EOF\n#!/usr/bin/env python3\nif x: print(1)\nEOF\nRUN <<EOF\n#!/bin/bash -e\nif true; then :; fi\nEOF\nRUN <<EOF\necho\n#!/usr/bin/env python3\nif true; then :; fi\nEOF\n',
    );
    assert.ok(has(scopesOf(tokens, 2, '#!'), 'comment.line.shebang'));
    assert.ok(inHeredocText(scopesOf(tokens, 3, 'if')));
    assert.ok(!has(scopesOf(tokens, 3, 'if'), 'keyword.control.if.shell'));
    assert.ok(has(scopesOf(tokens, 7, 'if'), 'keyword.control.if.shell'));
    assert.ok(has(scopesOf(tokens, 12, 'if'), 'keyword.control.if.shell'), 'only the first body line is a shebang');
  });

  test('an unterminated quote in the script does not run past the terminator', async () => {
    const tokens = await tokenize('FROM debian\nRUN <<EOF\necho "unterminated\nEOF\nUSER nobody\n');
    assert.ok(has(scopesOf(tokens, 3, 'EOF'), 'keyword.control.heredoc-token'));
    assert.ok(has(scopesOf(tokens, 4, 'USER'), 'keyword.other.special-method.dockerfile'));
    assert.ok(!inShell(scopesOf(tokens, 4, 'USER')));
  });

  test('a here-string (<<<) and a << inside quotes are not heredocs', async () => {
    const tokens = await tokenize('FROM debian\nRUN cat <<<"x" && echo "<<EOF"\nUSER nobody\n');
    assert.ok(!has(scopesOf(tokens, 1, '<<<'), 'keyword.operator.heredoc'));
    assert.ok(!has(scopesOf(tokens, 1, '<<EOF'), 'keyword.operator.heredoc'));
    assert.ok(has(scopesOf(tokens, 2, 'USER'), 'keyword.other.special-method.dockerfile'));
  });
});

describe('COPY and ADD heredocs', () => {
  test('COPY <<EOF /x and ADD <<"EOF" bodies are plain text, not shell and not Dockerfile', async () => {
    const tokens = await tokenize('FROM alpine\nCOPY <<EOF /etc/motd\nRUN echo not an instruction\n# not a comment\nEOF\nADD <<"EOF" /i.html\n<h1>x</h1>\nEOF\nUSER nobody\n');
    for (const [line, word] of [[2, 'RUN'], [3, '#'], [6, '<h1>']] as const) {
      const scopes = scopesOf(tokens, line, word);
      assert.ok(inHeredocText(scopes), `${word}: ${scopes.join(' ')}`);
      assert.ok(!inShell(scopes) && !has(scopes, 'keyword.other.special-method') && !has(scopes, 'comment'), word);
    }
    assert.ok(has(scopesOf(tokens, 4, 'EOF'), 'keyword.control.heredoc-token'));
    assert.ok(has(scopesOf(tokens, 8, 'USER'), 'keyword.other.special-method.dockerfile'));
  });

  test('COPY --chmod=755 <<-EOT ends at a tab-indented terminator', async () => {
    const tokens = await tokenize('FROM alpine\nCOPY --chmod=755 <<-EOT /build.sh\n\techo build\n\tEOT\nUSER nobody\n');
    assert.ok(inHeredocText(scopesOf(tokens, 2, 'echo')));
    assert.ok(has(scopesOf(tokens, 3, 'EOT'), 'keyword.control.heredoc-token'));
    assert.ok(has(scopesOf(tokens, 4, 'USER'), 'keyword.other.special-method.dockerfile'));
  });
});

describe('everything else is left to the built-in grammar', () => {
  test('a Dockerfile without directives, ignore comments or heredocs tokenizes exactly as without the injection', async () => {
    const text = [
      'FROM golang:1.22 AS builder',
      '# a comment',
      'RUN apt-get update && \\',
      '    # a comment inside a continuation',
      '    apt-get install -y --no-install-recommends git \\',
      '',
      '    && rm -rf /var/lib/apt/lists/*',
      'RUN ["go", "build", "-o", "/out/app", "."]',
      'ONBUILD RUN echo "onbuild"',
      'COPY --from=builder --chown=1000:1000 /out/app "/usr/local/bin/app"',
      'ADD --checksum=sha256:abc https://example.com/x.tgz /x',
      'ENV A="b c" \\',
      '    D=e',
      'CMD ["app"]',
    ].join('\n');
    assert.deepEqual(await scopesPerCharacter(text), await scopesPerCharacter(text, { withInjection: false }));
  });
});
