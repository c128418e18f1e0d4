// The argument scanner installed on dockerfile-ast (analysis/argumentScanner.ts) must give exactly the
// library's own arguments: same values, same ranges, for every instruction of every corpus file and of
// generated text full of escapes, continuations, comments and odd line ends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DockerfileParser, Onbuild, type Argument, type Instruction } from 'dockerfile-ast';
import { installArgumentScanner, libraryKeyword, libraryScan, scanArguments } from '../../server/src/analysis/argumentScanner';
import { corpusFiles } from '../support/corpus';

installArgumentScanner();

const plain = (args: Argument[]) => args.map((a) => ({ value: a.getValue(), range: a.getRange() }));

/** Every instruction of the text, ONBUILD triggers included, compared with the library's scan. */
function assertSameArguments(text: string, label: string): number {
  assert.ok(libraryScan, 'the scanner is installed');
  let compared = 0;
  const instructions: Instruction[] = [...DockerfileParser.parse(text).getInstructions()];
  for (let i = 0; i < instructions.length; i++) {
    const instruction = instructions[i];
    if (instruction instanceof Onbuild) {
      const trigger = instruction.getTriggerInstruction();
      if (trigger) instructions.push(trigger);
    }
    assert.equal(instruction.getKeyword(), libraryKeyword!.call(instruction));
    assert.equal(instruction.getKeyword(), libraryKeyword!.call(instruction), 'memoised keyword');
    const expected = plain(libraryScan.call(instruction));
    const actual = plain(scanArguments(instruction as never));
    assert.deepStrictEqual(actual, expected, `${label}: ${instruction.getKeyword()} at line ${instruction.getRange().start.line}`);
    // The memoised method hands out copies of the same result.
    const first = instruction.getArguments();
    first.length = 0;
    assert.deepStrictEqual(plain(instruction.getArguments()), plain(instruction.getArguments()));
    compared++;
  }
  return compared;
}

test('same arguments as dockerfile-ast for every instruction of the corpus', (t) => {
  const files = corpusFiles(t);
  if (!files) return;
  let compared = 0;
  for (const { name, text } of files) compared += assertSameArguments(text, name);
  t.diagnostic(`${compared} instructions of ${files.length} files`);
  assert.ok(compared > 25_000, `${compared} instructions compared`);
});

test('same arguments as dockerfile-ast on generated text (escapes, continuations, comments, line ends)', (t) => {
  let compared = 0;
  const piece = fc.constantFrom(
    'RUN', 'FROM', 'COPY', 'ONBUILD', 'ENV', 'LABEL', 'ADD', 'ARG', 'HEALTHCHECK', 'CMD', 'USER', 'run', 'from',
    ' ', ' ', '  ', '\t', '\n', '\r\n', '\r', '\\', '\\\n', '\\ \n', '\\\t\r\n', '\\\r', '`', '`\n', '` \n',
    '#', '# c\n', '$', '\\$', '`$', '"', "'", '=', '--from=a', '--mount=type=cache,target=/x', 'a', 'bc', 'é', '😀', '\0', '[', ']',
    '# escape=`\n', '# escape=\\\n', '<<EOF', 'EOF\n',
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
      compared += assertSameArguments(pieces.join(''), JSON.stringify(pieces.join('')));
    }),
    { numRuns: 5000, seed: 20261122 },
  );
  t.diagnostic(`${compared} instructions`);
  assert.ok(compared > 5_000, `${compared} instructions compared`);
});
