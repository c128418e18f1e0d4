// dockerfile-ast splits an instruction into arguments with a character-by-character scan that builds
// each value one character at a time and rescans on every getArguments()/getFlags()/getImage() call.
// That scan was about half of dockerfile-ast's own parse time (it runs during parse() for every
// RUN/COPY/ADD, to look for heredocs) and a quarter of Multistage's analysis time over the corpus
// (`npm run bench`, CPU profile).
//
// This module installs, once, on the dockerfile-ast Instruction class that Multistage uses (plus a memo
// of getKeyword(), which upper-cases the keyword again on every call):
//   - the same scan, decision for decision, but reading char codes and copying runs of plain
//     characters with one slice instead of one concatenation per character;
//   - a per-instance memo: the text of a parsed document never changes, so an instruction scans once
//     and every later call gets a copy of the array (callers such as ModifiableInstruction.getArguments
//     shift the array they get).
// The result is the same Argument objects with the same values and ranges: test/unit/argumentScanner
// compares it with the library's own scan over the corpus and over generated text. If a later
// dockerfile-ast renames the method, nothing is installed and everything still works, only slower.
import { Argument, Instruction } from 'dockerfile-ast';
import { CR, DOLLAR, HASH, LF, SPACE, TAB } from './charCodes';

interface DocumentLike {
  getText(): string;
  offsetAt(position: Position): number;
  positionAt(offset: number): Position;
}
interface Position {
  line: number;
  character: number;
}
interface RangeLike {
  start: Position;
  end: Position;
}
/** The fields of dockerfile-ast's Instruction that the scan reads (all set in its constructor). */
interface ScannableInstruction {
  document: DocumentLike;
  range: RangeLike;
  escapeChar: string;
  instructionRange: RangeLike;
  getRawArguments(): Argument[];
  getKeyword(): string;
}

const MEMO = Symbol('multistage.arguments');
const KEYWORD = Symbol('multistage.keyword');
type Memoized = ScannableInstruction & { [MEMO]?: Argument[]; [KEYWORD]?: string };

/** The library's original scan, kept for the equivalence test. */
export let libraryScan: ((this: unknown) => Argument[]) | undefined;
/** The library's original getKeyword, kept for the equivalence test. */
export let libraryKeyword: ((this: unknown) => string) | undefined;

export function installArgumentScanner(): boolean {
  const prototype = Instruction.prototype as unknown as ScannableInstruction;
  if (libraryScan) return true;
  if (typeof prototype.getRawArguments !== 'function') return false;
  libraryScan = prototype.getRawArguments as (this: unknown) => Argument[];
  const memoised = function getRawArguments(this: Memoized): Argument[] {
    let args = this[MEMO];
    if (args === undefined) {
      args = scanArguments(this);
      this[MEMO] = args;
    }
    return args.slice();
  };
  // Lets the benchmarks check that the peers' copy of dockerfile-ast runs as it ships.
  Object.defineProperty(memoised, 'installedBy', { value: 'multistage' });
  prototype.getRawArguments = memoised;
  // getKeyword() upper-cases the keyword on every call, and every rule asks it of every instruction.
  const keyword = prototype.getKeyword;
  if (typeof keyword === 'function') {
    libraryKeyword = keyword;
    prototype.getKeyword = function getKeyword(this: Memoized): string {
      return (this[KEYWORD] ??= keyword.call(this));
    };
  }
  return true;
}

/** dockerfile-ast 0.7.1's Instruction.getRawArguments, decision for decision. */
export function scanArguments(instruction: ScannableInstruction): Argument[] {
  const document = instruction.document;
  const escapeChar = instruction.escapeChar;
  const escape = escapeChar.length === 1 ? escapeChar.charCodeAt(0) : -1;
  const args: Argument[] = [];
  const range = instruction.instructionRange;
  const extra = document.offsetAt(range.end) - document.offsetAt(range.start);
  const text = document.getText();
  const content = text.substring(document.offsetAt(instruction.range.start), document.offsetAt(instruction.range.end));
  const fullArgs = content.substring(extra);
  const offset = document.offsetAt(range.start) + extra;
  const length = fullArgs.length;

  let start = false;
  let comment = false;
  let found = -1;
  let escapedWhitespaceDetected = false;
  let escaping = false;
  let escapeMarker = -1;
  // The value so far is `escapedArg` followed by fullArgs[runStart, runEnd): characters taken as they
  // are, copied with one slice when something else is appended or the value is read. (Plain code, no
  // closures: a closure over these variables would move them out of registers into a heap context.)
  let escapedArg = '';
  let runStart = -1;
  let runEnd = -1;

  for (let i = 0; i < length; i++) {
    const char = fullArgs.charCodeAt(i);
    if (char === SPACE || char === TAB || char === LF || char === CR) {
      if (escaping) {
        escapedWhitespaceDetected = true;
        if (char === LF || char === CR) {
          escapedWhitespaceDetected = false;
          if (comment) {
            comment = false;
            start = true;
          }
        }
        continue;
      } else if (found !== -1) {
        if (runStart !== -1) escapedArg += fullArgs.slice(runStart, runEnd);
        args.push(argument(document, escapedArg, offset + found, offset + (escapeMarker === -1 ? i : escapeMarker)));
        runStart = -1;
        escapeMarker = -1;
        escapedArg = '';
        found = -1;
      }
    } else if (char === escape) {
      const next = i + 1 < length ? fullArgs.charCodeAt(i + 1) : -1;
      if (next === SPACE || next === TAB) {
        whitespaceCheck: for (let j = i + 2; j < length; j++) {
          switch (fullArgs.charCodeAt(j)) {
            case SPACE:
            case TAB:
              continue;
            case CR:
            case LF:
              if (fullArgs.charCodeAt(j) === CR) j++; // the library steps over the character after CR too
              comment = false;
              escaping = true;
              start = true;
              if (found !== -1) escapeMarker = i;
              i = j;
              break whitespaceCheck;
            default:
              escapeMarker = i;
              if (found === -1) i = j - 1;
              break whitespaceCheck;
          }
        }
      } else if (next === CR) {
        comment = false;
        escaping = true;
        start = true;
        if (found !== -1 && escapeMarker === -1) escapeMarker = i;
        i += 2;
      } else if (next === LF) {
        comment = false;
        escaping = true;
        start = true;
        if (found !== -1 && escapeMarker === -1) escapeMarker = i;
        i++;
      } else {
        if (runStart !== -1) {
          escapedArg += fullArgs.slice(runStart, runEnd);
          runStart = -1;
        }
        if (escapedWhitespaceDetected && escapeMarker !== -1) {
          args.push(argument(document, escapedArg, offset + found, offset + escapeMarker));
          escapedArg = '';
          found = -1;
        }
        escapeMarker = -1;
        escapedWhitespaceDetected = false;
        escaping = false;
        if (next === -1) break;
        escapedArg += next === DOLLAR ? fullArgs[i] + fullArgs[i + 1] : fullArgs[i + 1];
        if (found === -1) found = i;
        i++;
      }
    } else if (!comment) {
      if (start && char === HASH) {
        comment = true;
      } else {
        if (escapedWhitespaceDetected && escapeMarker !== -1) {
          if (runStart !== -1) escapedArg += fullArgs.slice(runStart, runEnd);
          args.push(argument(document, escapedArg, offset + found, offset + escapeMarker));
          runStart = -1;
          escapedArg = '';
          found = -1;
        }
        escapedWhitespaceDetected = false;
        escaping = false;
        escapeMarker = -1;
        if (runStart !== -1 && runEnd === i) {
          runEnd = i + 1;
        } else {
          if (runStart !== -1) escapedArg += fullArgs.slice(runStart, runEnd);
          runStart = i;
          runEnd = i + 1;
        }
        if (found === -1) found = i;
      }
      start = false;
    }
  }
  if (found !== -1) {
    if (runStart !== -1) escapedArg += fullArgs.slice(runStart, runEnd);
    args.push(argument(document, escapedArg, offset + found, offset + (escapeMarker === -1 ? length : escapeMarker)));
  }
  return args;
}

// Read once: bundled, every use of an import from a CommonJS package goes through an esbuild interop
// getter, and this constructor runs for every argument of every instruction.
const ArgumentClass = Argument;

function argument(document: DocumentLike, value: string, from: number, to: number): Argument {
  return new ArgumentClass(value, { start: document.positionAt(from), end: document.positionAt(to) });
}
