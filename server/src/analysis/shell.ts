// Shell analysis of RUN instructions: which simple commands a layer runs, with their arguments, env
// prefixes and document ranges. Used by every rule that reasons about package managers and build steps.
//
// Why a hand-written tokenizer and not a real shell parser from npm: `sh-syntax` (mvdan/sh compiled to
// WASM, the candidate installed here) only has an async API and instantiates a fresh Go WASM runtime per
// call; its JSON AST (0.7.0) also drops the contents of command nodes, so it would not even give us argv.
// Measured on the corpus (../shared/corpus, same loaded 2-core machine): sh-syntax 7.9 ms CPU / 21 ms wall
// per RUN (sample of 314 RUNs, 17 of them rejected), this tokenizer 0.17 ms CPU per RUN over all 6,284
// RUNs (36,801 commands) including JIT warm-up. Analysis must be synchronous and take about a millisecond
// per 100-line file, so the parser could not be on that path. The tokenizer (shell/tokenizer.ts) handles
// the shell Dockerfiles contain — quoting, escapes, $(…), comments, && || ; | &, redirections,
// here-documents, if/for/while/case, subshells, `sh -c '…'` — and test/unit/shell.test.ts defends that
// claim case by case; it never throws, whatever the input.
//
// API (stable; other rules depend on it):
//   shellCommandsOf(model, run) → ShellCommand[]   every simple command, flattened, cached per RUN
//   runShellOf(model, run)      → RunShell          the same plus the form and an "append to this layer" edit
//   invocationOf(cmd)           → { tool, args }    `python -m pip` → pip, `/usr/bin/apt-get` → apt-get
//   isCommand(cmd, tools, subcommands?)             flags in any position: `apt-get -y -o X=1 install`
//   subcommandOf(cmd), positionalArgs(cmd)          first / all non-option arguments after the tool
//   hasFlag(cmd, ...flags), flagValues(cmd, flag)   `-y` inside `-qqy`, `--omit=dev` and `--omit dev`
//   runMounts(run)                                  RUN --mount=… options, parsed
//   stageEnvAt(model, stage, instruction)           ENV/ARG values in effect at an instruction (shell/environment.ts)
//   envAt(commands, cmd)                            stage env + `export X=…` earlier in the RUN + prefixes
//   (argument helpers are in shell/arguments.ts; install classification in shell/installs.ts)
import type { Run } from 'dockerfile-ast';
import type { Position, Range, TextEdit } from 'vscode-languageserver-types';
import { lineTextOf, offsetAt, type DockerfileModel } from './model';
import type { ArgumentCaches } from './shell/arguments';
import { parseExecArgs, parseScript, type ParsedCommand, type Separator } from './shell/commands';
import { commandStart, extractRunScript, type RunForm } from './shell/script';
import type { HereDoc, MappedText } from './shell/tokenizer';
import type { ShellCommand, ShellWord } from './shell/types';
import { memo } from './memo';
import { positionIn } from './textEdits';

export type { Separator } from './shell/commands';
export type { RunForm } from './shell/script';
// Argument and environment helpers live in their own modules; re-exported so rules import one place.
export { flagValues, flagWord, hasFlag, invocationOf, isCommand, positionalArgs, subcommandOf, type Invocation } from './shell/arguments';
export { envAt, stageEnvAt } from './shell/environment';
export type { ShellCommand, ShellWord } from './shell/types';

export interface RunShell {
  run: Run;
  form: RunForm;
  commands: ShellCommand[];
  /** `RUN <<EOF` with the script in the here-document: where its terminator line starts. */
  heredocScript?: HereDoc;
  /** Document offset of the last top-level token and what it is, for appending commands (computed on demand). */
  readonly tail?: { end: number; kind: 'word' | ';' | 'other' };
}

const cache = memo<Run, RunShell>('multistage.runShell');

export function runShellOf(model: DockerfileModel, run: Run): RunShell {
  let shell = cache.get(run);
  if (!shell) {
    shell = computeRunShell(model, run);
    cache.set(run, shell);
  }
  return shell;
}

export function shellCommandsOf(model: DockerfileModel, run: Run): ShellCommand[] {
  return runShellOf(model, run).commands;
}

function computeRunShell(model: DockerfileModel, run: Run): RunShell {
  const end = offsetAt(model, run.getRange().end);
  const start = commandStart(model.text, offsetAt(model, run.getInstructionRange().end), end, model.escapeChar);
  if (start >= end) return { run, form: 'shell', commands: [] };
  const script = extractRunScript(model.text, start, end, model.escapeChar);
  const parsed = script.form === 'exec' ? parseExecArgs(script.execArgs ?? []) : parseScript(script.script);
  const commands = parsed.map((command, index) => toShellCommand(model, command, index));
  const top = parsed.filter((c) => c.depth === 0);
  const heredocScript = script.form === 'shell' && top.length === 1 && top[0].words.length === 0 && top[0].heredocs.length === 1 ? top[0].heredocs[0] : undefined;
  // Only fixes need the tail: it is computed the first time one asks.
  const tailOf = script.form === 'shell' && !top.some((c) => c.heredocs.length > 0) ? script.script : undefined;
  return new ParsedRunShell(run, script.form, commands, heredocScript, tailOf);
}

/**
 * A RUN's shell facts, with the tail computed on first use. The lazy getter lives on the class: an
 * accessor defined per object (Object.defineProperty with a fresh closure) gave each RunShell its own
 * hidden class in the old generation, whose reference to the closure kept the whole file's analysis
 * alive through every young-generation collection (measured: 4–7 ms per scavenge instead of 0.4 ms,
 * ~3 MB promoted each time).
 */
class ParsedRunShell implements RunShell {
  private cachedTail: RunShell['tail'] | null = null;

  constructor(
    readonly run: Run,
    readonly form: RunForm,
    readonly commands: ShellCommand[],
    readonly heredocScript: HereDoc | undefined,
    private readonly tailOf: MappedText | undefined,
  ) {}

  get tail(): RunShell['tail'] {
    if (!this.tailOf) return undefined;
    if (this.cachedTail === null) this.cachedTail = scriptTail(this.tailOf.text, this.tailOf.offsets);
    return this.cachedTail;
  }
}

/** The last meaningful character of a script (comments and blanks skipped). */
function scriptTail(text: string, offsets: ArrayLike<number>): RunShell['tail'] {
  let lastEnd = -1;
  let kind: 'word' | ';' | 'other' = 'other';
  // Strip comments line by line (a `#` that starts a word), then find the last non-space character.
  let inSingle = false;
  let inDouble = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && !inSingle) {
      i++;
      // A backslash that ends the script escapes nothing: the tail is the backslash itself, not one
      // past the end of the document (robustness test: `RUN apt-get install\` at end of file).
      lastEnd = Math.min(i, text.length - 1);
      kind = 'word';
      continue;
    }
    if (c === "'" && !inDouble) inSingle = !inSingle;
    else if (c === '"' && !inSingle) inDouble = !inDouble;
    else if (c === '#' && !inSingle && !inDouble && (i === 0 || /\s/.test(text[i - 1]))) {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (/\s/.test(c)) continue;
    lastEnd = i;
    kind = inSingle || inDouble ? 'word' : c === ';' ? ';' : '&|'.includes(c) ? 'other' : 'word';
  }
  if (lastEnd < 0) return undefined;
  return { end: offsets[lastEnd] + 1, kind };
}

/** A word whose range is computed the first time it is read: most words are never reported or edited. */
class Word implements ShellWord {
  private cachedRange?: Range;
  constructor(private readonly model: DockerfileModel, readonly text: string, readonly start: number, readonly end: number) {}
  get range(): Range {
    return (this.cachedRange ??= rangeOf(this.model, this.start, this.end));
  }
}

class Command implements ShellCommand, ArgumentCaches {
  readonly argv: string[];
  readonly words: ShellWord[];
  readonly env: Record<string, string>;
  readonly runAs?: string;
  readonly start: number;
  readonly end: number;
  readonly separatorBefore: Separator | null;
  readonly separatorAfter: Separator | null;
  readonly inCondition: boolean;
  readonly inBranch: boolean;
  readonly depth: number;
  private cachedRange?: Range;
  // shell/arguments.ts's caches, declared so that every command has the same shape.
  invocationCache: ArgumentCaches['invocationCache'] = undefined;
  subcommandCache: ArgumentCaches['subcommandCache'] = undefined;

  constructor(private readonly model: DockerfileModel, parsed: ParsedCommand, readonly index: number) {
    this.argv = parsed.words.map((w) => w.text);
    this.words = parsed.words.map((w) => new Word(model, w.text, w.start, w.end));
    this.env = parsed.env;
    this.runAs = parsed.runAs;
    this.start = parsed.start;
    this.end = parsed.end;
    this.separatorBefore = parsed.separatorBefore;
    this.separatorAfter = parsed.separatorAfter;
    this.inCondition = parsed.inCondition;
    this.inBranch = parsed.inBranch;
    this.depth = parsed.depth;
  }

  get range(): Range {
    return (this.cachedRange ??= rangeOf(this.model, this.start, this.end));
  }
}

function toShellCommand(model: DockerfileModel, command: ParsedCommand, index: number): ShellCommand {
  return new Command(model, command, index);
}

export interface RunMount {
  type: string;
  target?: string;
  id?: string;
  from?: string;
  source?: string;
  options: Record<string, string>;
  range: Range;
}

const mountsByRun = memo<Run, RunMount[]>('multistage.mountsByRun');

/** RUN --mount=… flags with their options (`type` defaults to bind, as in BuildKit). Cached per RUN. */
export function runMounts(run: Run): RunMount[] {
  let mounts = mountsByRun.get(run);
  if (!mounts) {
    mounts = computeRunMounts(run);
    mountsByRun.set(run, mounts);
  }
  return mounts;
}

function computeRunMounts(run: Run): RunMount[] {
  const mounts: RunMount[] = [];
  for (const flag of run.getFlags()) {
    if (flag.getName().toLowerCase() !== 'mount') continue;
    const options: Record<string, string> = {};
    for (const part of (flag.getValue() ?? '').split(',')) {
      const eq = part.indexOf('=');
      const key = (eq >= 0 ? part.slice(0, eq) : part).trim().toLowerCase();
      if (key) options[key] = eq >= 0 ? part.slice(eq + 1).trim() : 'true';
    }
    mounts.push({
      type: options.type ?? 'bind',
      target: options.target ?? options.dst ?? options.destination,
      id: options.id,
      from: options.from,
      source: options.source ?? options.src,
      options,
      range: flag.getRange(),
    });
  }
  return mounts;
}

/**
 * An edit that runs `commandText` at the end of the same RUN (same layer), keeping the author's style:
 * a new line in a `RUN <<EOF` body; ` && cmd` on one-line RUNs; a continued line with the same
 * indentation and operator placement on multi-line RUNs. Undefined when no safe place exists (exec
 * form, here-documents fed to other commands, a script ending in `&` or a dangling operator).
 */
export function appendToRunEdit(model: DockerfileModel, run: Run, commandText: string): TextEdit | undefined {
  const shell = runShellOf(model, run);
  if (shell.form !== 'shell') return undefined;
  // New lines follow the file's own line endings.
  const eol = model.text.includes('\r\n') ? '\r\n' : '\n';
  if (shell.heredocScript) {
    const at = shell.heredocScript.terminatorStart;
    if (at === undefined) return undefined;
    const before = model.text.slice(model.text.lastIndexOf('\n', at - 2) + 1, at);
    const indent = /^[ \t]*/.exec(before)![0];
    const position = positionAt(model, at);
    return { range: { start: position, end: position }, newText: `${indent}${commandText}${eol}` };
  }
  const tail = shell.tail;
  if (!tail || tail.kind === 'other') return undefined;
  const position = positionAt(model, tail.end);
  const runStartLine = run.getRange().start.line;
  if (position.line === runStartLine || tail.kind === ';') {
    return { range: { start: position, end: position }, newText: tail.kind === ';' ? ` ${commandText}` : ` && ${commandText}` };
  }
  const lineText = lineTextOf(model, position.line);
  const indent = /^[ \t]*/.exec(lineText)![0];
  const leadingOperators = /^[ \t]*(&&|\|\|)/.test(lineText);
  const escape = model.escapeChar;
  const newText = leadingOperators ? ` ${escape}${eol}${indent}&& ${commandText}` : ` && ${escape}${eol}${indent}${commandText}`;
  return { range: { start: position, end: position }, newText };
}

/**
 * Whether a command added by appendToRunEdit leaves the RUN's outcome as it was when the script before
 * it fails: it is joined with `&&`, or the script stops at the first error (`set -e` at its top level).
 * After `;` or on a new line of a here-document, the added command would run after a failure and its
 * success would hide it, so a build that stopped would go on.
 */
export function appendKeepsExitStatus(model: DockerfileModel, run: Run): boolean {
  const shell = runShellOf(model, run);
  if (shell.form !== 'shell') return false;
  const top = shell.heredocScript ? 1 : 0;
  const errexit = shell.commands.some((c) => c.depth === top && !c.inCondition && !c.inBranch && c.argv[0] === 'set'
    && c.argv.slice(1).some((a, i, rest) => /^-[A-Za-z]*e/.test(a) || (a === '-o' && rest[i + 1] === 'errexit')));
  if (errexit) return true;
  if (shell.heredocScript) return false;
  // A word at the end gets ` && cmd`: `a; b && cmd` still ends with b's status when b fails.
  return shell.tail?.kind === 'word';
}

export function positionAt(model: DockerfileModel, offset: number): Position {
  return positionIn(model.lineStarts, offset);
}

export function rangeOf(model: DockerfileModel, start: number, end: number): Range {
  return { start: positionAt(model, start), end: positionAt(model, end) };
}
