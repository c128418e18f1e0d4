// Reading a command's arguments the way its tool does: the tool behind wrappers and `python -m`, the
// subcommand after any options (and their values), positional arguments, flags in clusters and with
// values. Answers are cached per command: rules ask the same questions many times.
import { OPTIONS_WITH_VALUES } from '../data/packageManagers';
import type { ShellCommand, ShellWord } from './types';
import { basename } from './commands';

export interface Invocation {
  /** Normalised tool name: basename, `pip3.11` → `pip`, `python3 -m pip` → `pip`. */
  tool: string;
  /** Arguments after the tool (for `python -m pip install x`: `install x`). */
  args: ShellWord[];
}

/**
 * Rules ask the same command many times; commands are immutable, so answers are cached on the command
 * itself, in fields that shell.ts's Command class declares (a fixed shape: these are the hottest cache
 * reads of the analysis, and a symbol-keyed memo() read across shapes cost twice as much). null caches
 * "none".
 */
export interface ArgumentCaches {
  invocationCache?: Invocation | null;
  subcommandCache?: ShellWord | null;
}

export function invocationOf(command: ShellCommand): Invocation | undefined {
  const caches = command as ShellCommand & ArgumentCaches;
  let invocation = caches.invocationCache;
  if (invocation === undefined) invocation = caches.invocationCache = computeInvocation(command) ?? null;
  return invocation ?? undefined;
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
  const withValues = OPTIONS_WITH_VALUES.get(tool);
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

export function subcommandOf(command: ShellCommand): ShellWord | undefined {
  const caches = command as ShellCommand & ArgumentCaches;
  let sub = caches.subcommandCache;
  if (sub === undefined) {
    const invocation = invocationOf(command);
    const index = invocation ? firstPositional(invocation.tool, invocation.args) : -1;
    sub = caches.subcommandCache = index >= 0 ? invocation!.args[index] : null;
  }
  return sub ?? undefined;
}

/**
 * True when the command runs one of `tools` (and, when given, one of `subcommands`), whatever flags
 * come first: `isCommand(cmd, 'apt-get', 'install')` matches `sudo apt-get -y -o X=1 install curl`.
 */
export function isCommand(command: ShellCommand, tools: string | readonly string[], subcommands?: string | readonly string[]): boolean {
  const invocation = invocationOf(command);
  if (!invocation) return false;
  if (typeof tools === 'string' ? invocation.tool !== tools : !tools.includes(invocation.tool)) return false;
  if (subcommands === undefined) return true;
  const sub = subcommandOf(command)?.text;
  if (sub === undefined) return false;
  return typeof subcommands === 'string' ? sub === subcommands : subcommands.includes(sub);
}

/** Non-option arguments after the tool (subcommand included), skipping option values. */
export function positionalArgs(command: ShellCommand): ShellWord[] {
  const invocation = invocationOf(command);
  if (!invocation) return [];
  const withValues = OPTIONS_WITH_VALUES.get(invocation.tool);
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
  const takesValue = OPTIONS_WITH_VALUES.get(invocationOf(command)?.tool ?? '')?.has(flag) ?? false;
  for (let i = 1; i < words.length; i++) {
    if (words[i] === '--') break;
    if (words[i].startsWith(flag + '=')) values.push(words[i].slice(flag.length + 1));
    else if (words[i] === flag && i + 1 < words.length && (takesValue || !words[i + 1].startsWith('-'))) values.push(words[++i]);
  }
  return values;
}
