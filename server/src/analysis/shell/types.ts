// The shape of one simple command in a RUN, in a leaf module of its own: shell.ts builds these and the
// argument and environment helpers read them, so neither side has to import the other.
import type { Range } from 'vscode-languageserver-types';
import type { Separator } from './commands';

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
