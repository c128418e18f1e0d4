// dockerfile-ast works out an instruction's arguments with a character-by-character scan of its text
// on every getArguments()/getFlags()/getArgumentsRange() call, and the parser, dockerfile-utils'
// validate() and the rules ask for them many times per instruction: about a quarter of analysis time
// over the corpus went to rescanning (`npm run bench`, CPU profile). The text of a parsed file never
// changes, so each instruction scans once and hands out copies (callers such as
// ModifiableInstruction.getArguments shift the array they get).
import type { Argument, Dockerfile, Instruction } from 'dockerfile-ast';

interface ScansArguments {
  getRawArguments(): Argument[];
}

export function cacheArguments(dockerfile: Dockerfile): void {
  for (const instruction of dockerfile.getInstructions()) cacheInstructionArguments(instruction);
}

function cacheInstructionArguments(instruction: Instruction): void {
  // getRawArguments is private in dockerfile-ast's typings (0.7); if a later version renames it, the
  // cache is simply not installed and everything still works, only slower.
  const scanner = instruction as unknown as ScansArguments;
  if (typeof scanner.getRawArguments !== 'function') return;
  const scan = scanner.getRawArguments.bind(instruction);
  let scanned: Argument[] | undefined;
  scanner.getRawArguments = () => (scanned ??= scan()).slice();
}
