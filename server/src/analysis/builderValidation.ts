// dockerfile-utils' validate(), the Docker builder's own checks, made safe and cheap to call. Every
// caller in Multistage (the syntax-error rule, fix safety, the rewrites) goes through here.
import { DockerfileParser, type Dockerfile } from 'dockerfile-ast';
import { validate, type ValidatorSettings } from 'dockerfile-utils';
import type { Diagnostic, Position } from 'vscode-languageserver-types';

/**
 * validate(text) on a file already parsed as `parsed` (or parsed here).
 *
 * Parse once: validate() parses the text again (Validator.validate calls DockerfileParser.parse on the
 * document text, dockerfile-utils 0.16 lib/dockerValidator.js) and takes no parsed file, so the parse
 * is lent for the one synchronous call — parsing is about 40% of validate()'s time (`npm run bench`).
 * The validator only reads the AST; any other text still gets a fresh parse, and the original
 * function is always put back.
 */
export function validateDockerfile(text: string, settings?: ValidatorSettings, parsed: Dockerfile = DockerfileParser.parse(text)): Diagnostic[] {
  const parse = DockerfileParser.parse;
  DockerfileParser.parse = (content: string) => (content === text ? parsed : parse(content));
  const restore = guardContainingImage(parsed);
  try {
    return validate(text, settings);
  } finally {
    restore();
    DockerfileParser.parse = parse;
  }
}

/**
 * dockerfile-ast 0.7 bug: resolving a variable in an indented instruction before the first FROM
 * (`  ARG A=$B`, valid Docker; also after a byte-order mark) asks getContainingImage() for column 0 of
 * its line, which lies before the instruction, gets the Dockerfile itself back and resolves on it
 * again: endless recursion, and validate() dies with a stack overflow (found by
 * test/unit/robustness.test.ts). For the duration of the call, a position outside every image is
 * looked up at the start of the instruction on its line instead.
 */
function guardContainingImage(dockerfile: Dockerfile): () => void {
  const containing = dockerfile.getContainingImage.bind(dockerfile);
  dockerfile.getContainingImage = (position: Position) => {
    const image = containing(position);
    if (image !== dockerfile) return image;
    const instruction = dockerfile.getInstructions().find((i) => i.getRange().start.line <= position.line && position.line <= i.getRange().end.line);
    return instruction ? containing(instruction.getRange().start) : image;
  };
  return () => {
    delete (dockerfile as Partial<Dockerfile>).getContainingImage; // back to the prototype's method
  };
}
