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
//   stageEnvAt(model, stage, instruction)           ENV/ARG values in effect at an instruction
//   envAt(commands, cmd)                            stage env + `export X=…` earlier in the RUN + prefixes
import type { Instruction, Run } from 'dockerfile-ast';
import type { Position, Range, TextEdit } from 'vscode-languageserver-types';
import { offsetAt, type DockerfileModel, type Stage } from './model';
import { substituteVariables } from './variables';
import { OPTIONS_WITH_VALUES } from './data/packageManagers';
import { basename, parseExecArgs, parseScript, type ParsedCommand, type Separator } from './shell/commands';
import { commandStart, extractRunScript, type RunForm } from './shell/script';
import type { HereDoc } from './shell/tokenizer';

export type { Separator } from './shell/commands';
export type { RunForm } from './shell/script';

export interface ShellWord {
  /** The word after quote removal. */
  text: string;
  range: Range;
  /** Document offsets of the raw word (quotes included). */
  start: number;
  end: number;
}

export interface ShellCommand {
  /** Arguments after env prefixes and wrappers (sudo, env, exec, time, nohup, command, nice) were removed. */
  argv: string[];
  /** One per argv entry, with document ranges. */
  words: ShellWord[];
  /** `VAR=value` prefixes. */
  env: Record<string, string>;
  /** The user `sudo -u USER` switches to, when the command was wrapped so. */
  runAs?: string;
  /** The whole simple command, prefixes and wrappers included. */
  range: Range;
  start: number;
  end: number;
  /** Position in the RUN's flattened command list. */
  index: number;
  separatorBefore: Separator | null;
  separatorAfter: Separator | null;
  /** In an if/while/until condition. */
  inCondition: boolean;
  /** In an if/elif/else body or a case arm (runs only on some builds). */
  inBranch: boolean;
  /** 0 for the RUN's script, 1+ inside `sh -c`, `bash <<EOF` or `RUN <<EOF` bodies. */
  depth: number;
}

export interface RunShell {
  run: Run;
  form: RunForm;
  commands: ShellCommand[];
  /** `RUN <<EOF` with the script in the here-document: where its terminator line starts. */
  heredocScript?: HereDoc;
  /** Document offset of the last top-level token and what it is, for appending commands (computed on demand). */
  readonly tail?: { end: number; kind: 'word' | ';' | 'other' };
}

const cache = new WeakMap<Run, RunShell>();

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
  const shell: RunShell = { run, form: script.form, commands };
  const top = parsed.filter((c) => c.depth === 0);
  if (script.form === 'shell' && top.length === 1 && top[0].words.length === 0 && top[0].heredocs.length === 1) {
    shell.heredocScript = top[0].heredocs[0];
  }
  if (script.form === 'shell' && !top.some((c) => c.heredocs.length > 0)) {
    // Only fixes need the tail: compute it the first time one asks.
    let tail: RunShell['tail'] | null = null;
    Object.defineProperty(shell, 'tail', { get: () => (tail === null ? (tail = scriptTail(script.script.text, script.script.offsets)) : tail) });
  }
  return shell;
}

/** The last meaningful character of a script (comments and blanks skipped). */
function scriptTail(text: string, offsets: number[]): RunShell['tail'] {
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

class Command implements ShellCommand {
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

export interface Invocation {
  /** Normalised tool name: basename, `pip3.11` → `pip`, `python3 -m pip` → `pip`. */
  tool: string;
  /** Arguments after the tool (for `python -m pip install x`: `install x`). */
  args: ShellWord[];
}

const invocations = new WeakMap<ShellCommand, Invocation | undefined>();

export function invocationOf(command: ShellCommand): Invocation | undefined {
  // Rules ask the same command many times; commands are immutable, so the answer is cached.
  if (invocations.has(command)) return invocations.get(command);
  const invocation = computeInvocation(command);
  invocations.set(command, invocation);
  return invocation;
}

function computeInvocation(command: ShellCommand): Invocation | undefined {
  if (command.words.length === 0) return undefined;
  let tool = basename(command.argv[0]);
  let args = command.words.slice(1);
  if (/^python[0-9.]*$/.test(tool)) {
    const m = args.findIndex((w) => w.text === '-m');
    if (m >= 0 && args[m + 1] && args.slice(0, m).every((w) => w.text.startsWith('-'))) {
      tool = args[m + 1].text;
      args = args.slice(m + 2);
    }
  }
  if (/^pip[0-9.]*$/.test(tool)) tool = 'pip';
  return { tool, args };
}

/** Index in `args` of the first non-option argument, skipping the values of options that take one. */
function firstPositional(tool: string, args: ShellWord[]): number {
  const withValues = OPTIONS_WITH_VALUES[tool];
  for (let i = 0; i < args.length; i++) {
    const text = args[i].text;
    if (text === '--') return i + 1 < args.length ? i + 1 : -1;
    if (text.startsWith('-') && text.length > 1) {
      if (withValues?.has(text)) i++;
      continue;
    }
    return i;
  }
  return -1;
}

const subcommands = new WeakMap<ShellCommand, ShellWord | undefined>();

export function subcommandOf(command: ShellCommand): ShellWord | undefined {
  if (subcommands.has(command)) return subcommands.get(command);
  const invocation = invocationOf(command);
  const index = invocation ? firstPositional(invocation.tool, invocation.args) : -1;
  const sub = index >= 0 ? invocation!.args[index] : undefined;
  subcommands.set(command, sub);
  return sub;
}

/**
 * True when the command runs one of `tools` (and, when given, one of `subcommands`), whatever flags
 * come first: `isCommand(cmd, 'apt-get', 'install')` matches `sudo apt-get -y -o X=1 install curl`.
 */
export function isCommand(command: ShellCommand, tools: string | readonly string[], subcommands?: string | readonly string[]): boolean {
  const invocation = invocationOf(command);
  if (!invocation) return false;
  const toolList = typeof tools === 'string' ? [tools] : tools;
  if (!toolList.includes(invocation.tool)) return false;
  if (subcommands === undefined) return true;
  const sub = subcommandOf(command)?.text;
  const subList = typeof subcommands === 'string' ? [subcommands] : subcommands;
  return sub !== undefined && subList.includes(sub);
}

/** Non-option arguments after the tool (subcommand included), skipping option values. */
export function positionalArgs(command: ShellCommand): ShellWord[] {
  const invocation = invocationOf(command);
  if (!invocation) return [];
  const withValues = OPTIONS_WITH_VALUES[invocation.tool];
  const out: ShellWord[] = [];
  let afterDashes = false;
  for (let i = 0; i < invocation.args.length; i++) {
    const text = invocation.args[i].text;
    if (!afterDashes && text === '--') {
      afterDashes = true;
      continue;
    }
    if (!afterDashes && text.startsWith('-') && text.length > 1) {
      if (withValues?.has(text)) i++;
      continue;
    }
    out.push(invocation.args[i]);
  }
  return out;
}

/**
 * True when any of `flags` is given: long flags exactly or as `--flag=value`; one-letter flags also
 * inside a cluster (`-y` in `-qqy`).
 */
export function hasFlag(command: ShellCommand, ...flags: string[]): boolean {
  return flagWord(command, ...flags) !== undefined;
}

export function flagWord(command: ShellCommand, ...flags: string[]): ShellWord | undefined {
  for (const word of command.words.slice(1)) {
    const text = word.text;
    if (text === '--') break;
    for (const flag of flags) {
      if (text === flag || (flag.startsWith('--') && text.startsWith(flag + '='))) return word;
      if (/^-[A-Za-z]$/.test(flag) && /^-[A-Za-z]+$/.test(text) && text.includes(flag[1])) return word;
    }
  }
  return undefined;
}

/** Values of an option given as `--flag=value` or `--flag value`. */
export function flagValues(command: ShellCommand, flag: string): string[] {
  const values: string[] = [];
  const words = command.argv;
  // A value may itself start with `-` (`-ldflags '-s -w'`) when the table says the option takes one.
  const takesValue = OPTIONS_WITH_VALUES[invocationOf(command)?.tool ?? '']?.has(flag) ?? false;
  for (let i = 1; i < words.length; i++) {
    if (words[i] === '--') break;
    if (words[i].startsWith(flag + '=')) values.push(words[i].slice(flag.length + 1));
    else if (words[i] === flag && i + 1 < words.length && (takesValue || !words[i + 1].startsWith('-'))) values.push(words[++i]);
  }
  return values;
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

const mountsByRun = new WeakMap<Run, RunMount[]>();

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
 * ENV and ARG values in effect at `instruction` within `stage`, including those inherited from a base
 * stage (FROM <stage>). References to earlier values are substituted. A value only known at build time
 * (`ARG X` without a default, or a reference to one) keeps a `$`, so callers can tell it is unknown.
 */
const stageEnvs = new WeakMap<Stage, Map<Instruction | undefined, ReadonlyMap<string, string>>>();

export function stageEnvAt(model: DockerfileModel, stage: Stage, instruction?: Instruction): Map<string, string> {
  // One pass per stage records the environment before each instruction; callers get a copy.
  let snapshots = stageEnvs.get(stage);
  if (!snapshots) {
    snapshots = computeStageEnvs(model, stage);
    stageEnvs.set(stage, snapshots);
  }
  return new Map(snapshots.get(instruction) ?? snapshots.get(undefined));
}

function computeStageEnvs(model: DockerfileModel, stage: Stage): Map<Instruction | undefined, ReadonlyMap<string, string>> {
  // FROM <earlier stage> inherits its environment (baseStage is always an earlier stage: no cycles).
  const base = stage.baseStage !== undefined && stage.baseStage < stage.index ? model.stages[stage.baseStage] : undefined;
  const env = base ? stageEnvAt(model, base) : new Map<string, string>();
  const snapshots = new Map<Instruction | undefined, ReadonlyMap<string, string>>();
  let frozen: ReadonlyMap<string, string> = new Map(env);
  for (const current of stage.instructions) {
    snapshots.set(current, frozen);
    const keyword = current.getKeyword();
    if (keyword !== 'ENV' && keyword !== 'ARG') continue;
    const properties = (current as unknown as { getProperties(): { getName(): string; getValue(): string | null }[] }).getProperties();
    for (const property of properties) {
      const name = property.getName();
      const value = property.getValue();
      if (value !== null && value !== undefined) {
        const substituted = substituteVariables(value, env);
        env.set(name, substituted.unresolved ? value : substituted.text);
      } else if (keyword === 'ARG') {
        env.set(name, model.globalArgs.get(name) ?? env.get(name) ?? `\${${name}}`);
      }
    }
    frozen = new Map(env);
  }
  snapshots.set(undefined, env);
  return snapshots;
}

/** The environment a command runs with: the stage's, then `export X=…`/`X=…` earlier in the RUN, then its prefixes. */
export function envAt(commands: readonly ShellCommand[], command: ShellCommand, stageEnv?: ReadonlyMap<string, string>): Map<string, string> {
  const env = new Map(stageEnv ?? []);
  for (const [k, v] of scriptAssignmentsBefore(commands, command.index)) env.set(k, v);
  for (const [k, v] of Object.entries(command.env)) env.set(k, v);
  return env;
}

const scriptAssignments = new WeakMap<readonly ShellCommand[], ReadonlyMap<string, string>[]>();

/** `export X=…` / `X=…` made by the script before command `index`: one pass per RUN, shared snapshots. */
function scriptAssignmentsBefore(commands: readonly ShellCommand[], index: number): ReadonlyMap<string, string> {
  let snapshots = scriptAssignments.get(commands);
  if (!snapshots) {
    snapshots = [];
    let current: ReadonlyMap<string, string> = new Map();
    for (const command of commands) {
      snapshots.push(current);
      const assigned: [string, string][] = command.argv.length === 0 ? Object.entries(command.env) : [];
      if (command.argv[0] === 'export') {
        for (const arg of command.argv.slice(1)) {
          const eq = arg.indexOf('=');
          if (eq > 0) assigned.push([arg.slice(0, eq), arg.slice(eq + 1)]);
        }
      }
      if (assigned.length > 0) current = new Map([...current, ...assigned]);
    }
    snapshots.push(current);
    scriptAssignments.set(commands, snapshots);
  }
  return snapshots[Math.min(index, snapshots.length - 1)] ?? new Map();
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
  const lineText = lineAt(model, position.line);
  const indent = /^[ \t]*/.exec(lineText)![0];
  const leadingOperators = /^[ \t]*(&&|\|\|)/.test(lineText);
  const escape = model.escapeChar;
  const newText = leadingOperators ? ` ${escape}${eol}${indent}&& ${commandText}` : ` && ${escape}${eol}${indent}${commandText}`;
  return { range: { start: position, end: position }, newText };
}

function lineAt(model: DockerfileModel, line: number): string {
  const start = model.lineStarts[line] ?? model.text.length;
  const end = line + 1 < model.lineStarts.length ? model.lineStarts[line + 1] : model.text.length;
  return model.text.slice(start, end).replace(/\r?\n$/, '');
}

export function positionAt(model: DockerfileModel, offset: number): Position {
  const starts = model.lineStarts;
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low, character: offset - starts[low] };
}

export function rangeOf(model: DockerfileModel, start: number, end: number): Range {
  return { start: positionAt(model, start), end: positionAt(model, end) };
}
