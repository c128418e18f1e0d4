// Facts about stages that several image/context rules need: the FROM chain (a stage built FROM an
// earlier stage inherits its files, USER and WORKDIR), the stages whose files end up in the final
// image, and the sources/destination of COPY and ADD.
import type { Arg, Copy, Flag, Instruction, JSONInstruction } from 'dockerfile-ast';
import type { Range } from 'vscode-languageserver-types';
import { readBuilderWord, type BuilderWord } from './builderWords';
import { isScratch } from './data/baseImages';
import { memo } from './memo';
import type { DockerfileModel, Stage } from './model';

// A model never changes once built; the chains below are asked for by a dozen rules per file.
const chains = memo<Stage, readonly Stage[]>('multistage.baseChain');
const buildOrders = memo<Stage, readonly Stage[]>('multistage.buildOrder');
const chainedInstructions = memo<Stage, readonly Instruction[]>('multistage.chainInstructions');

/** The stage followed by the stages it is built FROM, nearest first. Shared: do not modify. */
export function baseChain(model: DockerfileModel, stage: Stage): readonly Stage[] {
  let chain = chains.get(stage);
  if (!chain) {
    const stages: Stage[] = [];
    const seen = new Set<number>();
    let current: Stage | undefined = stage;
    while (current && !seen.has(current.index)) {
      stages.push(current);
      seen.add(current.index);
      current = current.baseStage === undefined ? undefined : model.stages[current.baseStage];
    }
    chains.set(stage, (chain = stages));
  }
  return chain;
}

/** baseChain in the order the builder runs it: the root stage first, `stage` last. Shared: do not modify. */
export function buildOrder(model: DockerfileModel, stage: Stage): readonly Stage[] {
  let order = buildOrders.get(stage);
  if (!order) buildOrders.set(stage, (order = [...baseChain(model, stage)].reverse()));
  return order;
}

/** The image at the root of the stage's FROM chain (ARGs resolved), or undefined when unknown. */
/**
 * The image a stage's FROM pulls, when it names one: not an earlier stage, not a variable left unresolved
 * (an image chosen at build time), not scratch (nothing to pull). What sizes are looked up and tags judged for.
 */
export function pulledImage(stage: Stage): string | undefined {
  if (stage.baseStage !== undefined || stage.imageUnresolved || !stage.image || isScratch(stage.image)) return undefined;
  return stage.image;
}

export function rootImage(model: DockerfileModel, stage: Stage): { image: string; stage: Stage } | undefined {
  const chain = baseChain(model, stage);
  const root = chain[chain.length - 1];
  if (root.baseStage !== undefined || root.imageUnresolved || !root.image) return undefined;
  return { image: root.image, stage: root };
}

/** The stage being built (final or configured target), when there is one. */
export function finalStage(model: DockerfileModel): Stage | undefined {
  return model.targetIndex >= 0 ? model.stages[model.targetIndex] : undefined;
}

/** Instructions of the stage and the stages it is built FROM, in the order the builder runs them. Shared: do not modify. */
export function chainInstructions(model: DockerfileModel, stage: Stage): readonly Instruction[] {
  let instructions = chainedInstructions.get(stage);
  if (!instructions) chainedInstructions.set(stage, (instructions = buildOrder(model, stage).flatMap((s) => s.instructions)));
  return instructions;
}

interface Workdirs {
  /** The working directory in effect at each instruction of the FROM chain (before it runs). */
  before: Map<Instruction, string>;
  /** After the chain's last WORKDIR. */
  after: string;
}

const workdirs = memo<Stage, Workdirs>('multistage.workdirs');

/** One pass per stage over its FROM chain applies the WORKDIRs in order (relative ones against the one before). */
function workdirsOf(model: DockerfileModel, stage: Stage): Workdirs {
  let found = workdirs.get(stage);
  if (!found) {
    const before = new Map<Instruction, string>();
    let dir = '/';
    for (const instruction of chainInstructions(model, stage)) {
      before.set(instruction, dir);
      if (instruction.getKeyword() !== 'WORKDIR') continue;
      const value = instruction.getArguments().map((a) => a.getValue()).join(' ');
      if (value) dir = resolvePath(dir, value);
    }
    workdirs.set(stage, (found = { before, after: dir }));
  }
  return found;
}

/** The stage's working directory after its last WORKDIR (relative WORKDIRs resolved), `/` by default. */
export function workdirOf(model: DockerfileModel, stage: Stage): string {
  return workdirsOf(model, stage).after;
}

/** The working directory in effect at `instruction` of the stage's FROM chain, `/` by default. */
export function workdirAt(model: DockerfileModel, stage: Stage, instruction: Instruction): string {
  return workdirsOf(model, stage).before.get(instruction) ?? '/';
}

/** `path` made absolute as WORKDIR and COPY read it: an absolute one stays, a relative one joins `dir`. */
export function resolvePath(dir: string, path: string): string {
  return cleanAbsolute(path.startsWith('/') ? path : `${dir}/${path}`);
}

/** `/app/./src/` → `/app/src`; `/` stays `/`. */
export function cleanAbsolute(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/** COPY's --from flag, whatever other flags come with it (dockerfile-ast's getFromFlag() only finds a lone --from). */
export function copyFromFlag(instruction: Instruction): Flag | undefined {
  if (instruction.getKeyword() !== 'COPY') return undefined;
  return (instruction as Copy).getFlags().find((f) => f.getName().toLowerCase() === 'from');
}

export interface CopyArg {
  /**
   * The path as the builder reads it (quotes removed, escapes applied, see builderWords.ts) when it
   * holds no variable; with a variable, the text with its `$…` kept (the value is a build-time one).
   */
  value: string;
  range: Range;
  /** How the builder reads the word: `expands` (a variable) or `invalid` mean its value is unknown. */
  word: BuilderWord;
}

export interface CopyArgs {
  sources: CopyArg[];
  destination?: CopyArg;
}

/** Sources and destination of COPY/ADD, in shell or JSON form; undefined for here-documents. */
export function copyArgs(instruction: Instruction): CopyArgs | undefined {
  const keyword = instruction.getKeyword();
  if (keyword !== 'COPY' && keyword !== 'ADD') return undefined;
  let args: CopyArg[];
  const escape = escapeCharOf(instruction);
  // COPY and ADD are JSONInstructions (dockerfile-ast's Copy and Add classes). The builder runs JSON
  // strings, once decoded, through the same lexer as shell-form words.
  const json = (instruction as JSONInstruction).getJSONStrings();
  const decoded = json.length > 0 ? jsonArray(instruction, json) : undefined;
  if (decoded) args = json.map((a, i) => copyArg(readBuilderWord(decoded[i], escape), decoded[i], a.getRange()));
  else {
    args = instruction.getArguments().map((a) => {
      const raw = rawText(instruction, a.getRange());
      const word = raw === null ? { text: a.getValue(), expands: false, invalid: true } : readBuilderWord(raw ?? a.getValue(), escape);
      return copyArg(word, a.getValue(), a.getRange());
    });
  }
  if (args.some((a) => a.value.startsWith('<<'))) return undefined;
  if (args.length < 2) return { sources: args };
  return { sources: args.slice(0, -1), destination: args[args.length - 1] };
}

/**
 * The JSON form's strings as the builder decodes them (Go's JSON rules, which JSON.parse shares), or
 * undefined when the text is not a valid JSON array of strings: the builder then reads the line in
 * shell form (`ADD ["\\.", "/x"]` with an invalid escape is two shell words), and so does this.
 */
function jsonArray(instruction: Instruction, strings: { getRange(): Range }[]): string[] | undefined {
  const document = (instruction as unknown as DocumentInternals).document;
  if (typeof document?.getText !== 'function' || typeof document.offsetAt !== 'function') return undefined;
  const text = document.getText();
  const start = text.lastIndexOf('[', document.offsetAt(strings[0].getRange().start));
  const end = text.indexOf(']', document.offsetAt(strings[strings.length - 1].getRange().end));
  if (start < 0 || end < 0) return undefined;
  try {
    const value: unknown = JSON.parse(text.slice(start, end + 1).replace(/\\\r?\n/g, ''));
    return Array.isArray(value) && value.length === strings.length && value.every((v) => typeof v === 'string') ? value as string[] : undefined;
  } catch {
    return undefined;
  }
}

function copyArg(word: BuilderWord, written: string, range: Range): CopyArg {
  return { value: word.expands || word.invalid ? written : word.text, range, word };
}

interface DocumentInternals {
  document?: { getText(): string; offsetAt(position: Range['start']): number };
  escapeChar?: string;
}

function escapeCharOf(instruction: Instruction): string {
  return (instruction as unknown as DocumentInternals).escapeChar ?? '\\';
}

/**
 * The document text of an argument, quotes and escapes as written (dockerfile-ast's values have
 * escapes half-applied). Undefined when dockerfile-ast's internals are not as expected; null when the
 * word spans a line continuation (then it is marked invalid: nothing is concluded from it).
 */
function rawText(instruction: Instruction, range: Range): string | null | undefined {
  const document = (instruction as unknown as DocumentInternals).document;
  if (typeof document?.getText !== 'function' || typeof document.offsetAt !== 'function') return undefined;
  const text = document.getText().slice(document.offsetAt(range.start), document.offsetAt(range.end));
  return /[\r\n]/.test(text) ? null : text;
}

/** Whether a COPY/ADD source (without --from) means the whole build context. */
export function isWholeContext(source: string): boolean {
  return /^(\.|\.\/|\.\/\.|\*|\.\/\*|\/)$/.test(source.trim());
}

/** Where the image reference is written: in FROM itself, or as the default of the global ARG it names. */
export function imageTextSource(model: DockerfileModel, stage: Stage): { range: Range; text: string } | undefined {
  const raw = stage.imageRaw ?? '';
  const range = stage.from.getImageRange();
  if (!range) return undefined;
  if (!raw.includes('$')) return { range, text: raw };
  const only = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(raw);
  if (!only) return undefined;
  for (const instruction of model.dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') break;
    if (instruction.getKeyword() !== 'ARG') continue;
    for (const property of (instruction as Arg).getProperties()) {
      const valueRange = property.getValueRange();
      if (property.getName() === only[1] && valueRange) return { range: valueRange, text: property.getValue() ?? '' };
    }
  }
  return undefined;
}
