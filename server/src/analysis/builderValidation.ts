// dockerfile-utils' validate(), the Docker builder's own checks, made safe and cheap to call. Every
// caller in Multistage (the syntax-error rule, fix safety, the rewrites) goes through here.
import { DockerfileParser, type Dockerfile } from 'dockerfile-ast';
import { validate, ValidationSeverity, type ValidatorSettings } from 'dockerfile-utils';
import type { Diagnostic, Position } from 'vscode-languageserver-types';

/**
 * validate(text) on a file already parsed as `parsed` (or parsed here).
 *
 * Parse once: validate() parses the text again (Validator.validate calls DockerfileParser.parse on the
 * document text, dockerfile-utils 0.16 lib/dockerValidator.js) and takes no parsed file, so the parse
 * is lent for the one synchronous call — parsing is about 40% of validate()'s time (`npm run bench`).
 * The validator only reads the AST; any other text, and any call outside validate(), still gets a
 * fresh parse (see installLending).
 */
export function validateDockerfile(text: string, settings?: ValidatorSettings, parsed?: Dockerfile): Diagnostic[] {
  // The same text is often checked twice in a row: by the syntax-error rule during an analysis and by
  // fix safety right after (fix-all checks each result, then analyses it). The last answer is kept;
  // callers only read it.
  if (last && last.text === text && last.settings === settings) return last.diagnostics;
  const diagnostics = validateOnce(text, settings, parsed ?? DockerfileParser.parse(text));
  last = { text, settings, diagnostics };
  return diagnostics;
}

let last: { text: string; settings: ValidatorSettings | undefined; diagnostics: Diagnostic[] } | undefined;

/**
 * The builder's errors only: style warnings off. Errors are the same with any of these settings, so
 * every check that only looks at errors passes this object and shares the cached answer above.
 */
export const BUILDER_ERRORS_ONLY: ValidatorSettings = {
  deprecatedMaintainer: ValidationSeverity.IGNORE,
  directiveCasing: ValidationSeverity.IGNORE,
  emptyContinuationLine: ValidationSeverity.IGNORE,
  instructionCasing: ValidationSeverity.IGNORE,
  instructionCmdMultiple: ValidationSeverity.IGNORE,
  instructionEntrypointMultiple: ValidationSeverity.IGNORE,
  instructionHealthcheckMultiple: ValidationSeverity.IGNORE,
  instructionJSONInSingleQuotes: ValidationSeverity.IGNORE,
  instructionWorkdirRelative: ValidationSeverity.IGNORE,
};

function validateOnce(text: string, settings: ValidatorSettings | undefined, parsed: Dockerfile): Diagnostic[] {
  installLending();
  const restore = lendLookups(parsed);
  lent = { text, parsed };
  try {
    return validate(text, settings);
  } catch {
    // dockerfile-utils 0.16 throws on some valid files (a stage named `constructor`: its duplicate-name
    // check indexes a plain object). Then there is nothing it can report; the rules still run.
    return [];
  } finally {
    lent = undefined;
    restore();
  }
}

/** The parse lent for the current validate() call (see validateDockerfile). */
let lent: { text: string; parsed: Dockerfile } | undefined;
let lending = false;

/**
 * DockerfileParser.parse is wrapped once, for good, and answers from `lent` while a call lasts. The first
 * version assigned a fresh closure to DockerfileParser.parse for each call and put the original back
 * afterwards; after a few hundred calls V8 began allocating the parser's objects straight into the old
 * generation (allocation-site pretenuring), where they kept young objects alive through every scavenge.
 * Measured over the corpus, in a process that also ran the syntax check: every later analysis, syntax
 * check or not, paid 4–5 ms per scavenge instead of 0.4 ms (0.75 s of GC per pass instead of 0.04 s);
 * `node --no-allocation-site-pretenuring` made it disappear, and so does this.
 */
function installLending(): void {
  if (lending) return;
  lending = true;
  const parse = DockerfileParser.parse.bind(DockerfileParser);
  DockerfileParser.parse = (content: string) => (lent !== undefined && content === lent.text ? lent.parsed : parse(content));
}

type Template = ReturnType<Dockerfile['getContainingImage']>;
interface ResolvesVariables {
  resolveVariable(variable: string, line: number): string | null | undefined;
  addInstruction(instruction: unknown): void;
}

/**
 * For the one validate() call, while the parsed file cannot change, the Dockerfile's own
 * getContainingImage() and resolveVariable() are replaced (and deleted again afterwards, back to the
 * prototype's methods):
 *
 * - getContainingImage() is guarded against a dockerfile-ast 0.7 bug: resolving a variable in an
 *   indented instruction before the first FROM (`  ARG A=$B`, valid Docker; also after a byte-order
 *   mark) asks it for column 0 of its line, which lies before the instruction, gets the Dockerfile
 *   itself back and resolves on it again: endless recursion, and validate() dies with a stack overflow
 *   (found by test/unit/robustness.test.ts). A position outside every image is looked up at the start
 *   of the instruction on its line instead. Answers are memoised per position.
 * - resolveVariable(): the validator resolves every variable of every instruction through it, and it
 *   lists the file's FROMs and walks every stage's range on each call: quadratic in the number of
 *   stages (an 8,000-line file with 382 stages spent a quarter of its syntax check there, `npm run
 *   bench`, growth section). The same answers come from tables built once: the lines FROMs cover, the
 *   memoised containing image, and the template of the ARGs before the first FROM. Same decisions as
 *   dockerfile-ast 0.7.1's lib/dockerfile.js, in the same order; test/unit/builderValidation.test.ts
 *   compares the diagnostics with a stock validate() over the corpus.
 */
function lendLookups(dockerfile: Dockerfile): () => void {
  const containing = dockerfile.getContainingImage.bind(dockerfile);
  const images = new Map<string, Template>();
  const containingImage = (position: Position): Template => {
    const key = `${position.line}:${position.character}`;
    if (images.has(key)) return images.get(key) as Template;
    let image = containing(position);
    if (image === dockerfile) {
      const instruction = dockerfile.getInstructions().find((i) => i.getRange().start.line <= position.line && position.line <= i.getRange().end.line);
      if (instruction) image = containing(instruction.getRange().start);
    }
    images.set(key, image);
    return image;
  };
  const lookups = dockerfile as unknown as ResolvesVariables & { getContainingImage: typeof containingImage };
  lookups.getContainingImage = containingImage;
  const resolveVariable = variableResolver(dockerfile, containingImage);
  if (resolveVariable) lookups.resolveVariable = resolveVariable;
  return () => {
    delete (dockerfile as Partial<Dockerfile>).getContainingImage;
    delete (dockerfile as Partial<Dockerfile>).resolveVariable;
  };
}

/** Dockerfile.resolveVariable() from tables (see lendLookups), or undefined when the internals it reads are missing. */
function variableResolver(dockerfile: Dockerfile, containingImage: (position: Position) => Template): ResolvesVariables['resolveVariable'] | undefined {
  const internal = dockerfile as unknown as { initialInstructions: { getARGs(): unknown[]; constructor: new () => ResolvesVariables } };
  const initialInstructions = internal.initialInstructions;
  if (!initialInstructions || typeof initialInstructions.getARGs !== 'function') return undefined;
  const fromLines = new Set<number>();
  for (const from of dockerfile.getFROMs()) {
    const range = from.getRange();
    for (let line = range.start.line; line <= range.end.line; line++) fromLines.add(line);
  }
  let initialARGs: ResolvesVariables | undefined;
  const resolveInitial = (variable: string, line: number) => {
    if (!initialARGs) {
      initialARGs = new initialInstructions.constructor();
      for (const instruction of initialInstructions.getARGs()) initialARGs.addInstruction(instruction);
    }
    return initialARGs.resolveVariable(variable, line);
  };
  return (variable, line) => {
    if (fromLines.has(line)) return resolveInitial(variable, line);
    const image = containingImage({ line, character: 0 }) as unknown as ResolvesVariables | null;
    if (image === null) return undefined;
    const resolved = image.resolveVariable(variable, line);
    return resolved === null ? resolveInitial(variable, line) : resolved;
  };
}
