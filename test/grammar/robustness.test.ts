// Half-typed Dockerfiles are what the grammar sees most: random mixes of instructions, heredoc operators,
// terminators, quotes, continuations and comments must tokenize every character of every line, and every
// heredoc body must stop at its terminator whatever came before it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { scopesOf, tokenize } from './tokenize';

// Heredoc openers end with a space, so that joined fragments cannot invent a new delimiter name.
const FRAGMENTS = [
  'RUN ', 'COPY ', 'ADD ', 'FROM a', 'ONBUILD ', '<<EOF ', '<<-EOT ', '<<"EOF" ', '5<<F ', '<<<', 'EOF', '\tEOT', 'bash ',
  '--mount=type=cache,target=/x ', '# syntax=x', '# check=skip=A;error=true', '# multistage-ignore a,b',
  '# hadolint ignore=DL1', '#!/usr/bin/env python3', '\\', '"', "'", ' ', '\t', 'x', 'echo "a"', '\n', '\n', '\n',
];

const dockerfileLike = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 60 }).map((parts) => parts.join(''));

test('grammar robustness: any mix of half-typed instructions, heredocs and comments tokenizes every character', async () => {
  await fc.assert(
    fc.asyncProperty(fc.oneof(dockerfileLike, fc.string({ maxLength: 200 })), async (text) => {
      const tokens = await tokenize(text);
      const lines = text.split(/\r\n|\n/);
      lines.forEach((line, index) => {
        const covered = tokens.filter((t) => t.line === index).map((t) => t.text).join('');
        assert.equal(covered, line, `line ${index} not fully tokenized`);
      });
    }),
    { numRuns: 300 },
  );
});

// Without lone quotes: an unclosed quote on an instruction line rightly keeps a string open.
const withoutLoneQuotes = fc
  .array(fc.constantFrom(...FRAGMENTS.filter((f) => f !== '"' && f !== "'")), { maxLength: 60 })
  .map((parts) => parts.join(''));

test('grammar robustness: after any half-typed text and the terminators it may need, the next heredoc ends at its own', async () => {
  await fc.assert(
    fc.asyncProperty(withoutLoneQuotes, async (prefix) => {
      // The closers end whatever heredoc the prefix opened (<<EOF, <<"EOF", <<-EOT, 5<<F); then a fresh
      // heredoc must close at END and leave FROM a Dockerfile keyword again.
      const text = `${prefix}\nEOF\n\tEOT\nF\n\nRUN <<END\necho "body\nEND\nFROM scratch\n`;
      const tokens = await tokenize(text);
      const lines = text.split('\n');
      const body = lines.lastIndexOf('echo "body');
      assert.ok(scopesOf(tokens, body, 'echo').includes('meta.embedded.block.shellscript'), text);
      assert.ok(scopesOf(tokens, body + 1, 'END').includes('keyword.control.heredoc-token.dockerfile'), text);
      assert.ok(scopesOf(tokens, body + 2, 'FROM').includes('keyword.other.special-method.dockerfile'), text);
    }),
    { numRuns: 300 },
  );
});
