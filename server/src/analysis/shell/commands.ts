// Tokens → simple commands. Control structure is flattened (if/then/fi, loops, case arms, subshells,
// { …; }) because the rules ask "which commands does this layer run, in what order, joined how", not
// "what does the script compute". Wrappers (sudo, env, exec, nohup, time, command, nice) are peeled
// off, `VAR=value cmd` prefixes become the command's env, and the bodies of `sh -c '…'`, `bash <<EOF`
// and `RUN <<EOF` are parsed recursively with their document offsets.
import { tokenize, type HereDoc, type MappedText, type Token, type WordToken } from './tokenizer';

export type Separator = '&&' | '||' | ';' | '|';

export interface RawWord {
  text: string;
  start: number;
  end: number;
}

export interface ParsedCommand {
  /** The command's words after env prefixes and wrappers were removed. */
  words: RawWord[];
  /** `VAR=value` prefixes (and `env VAR=value` arguments). */
  env: Record<string, string>;
  /** The user a wrapper switches to (`sudo -u app`, `runuser -u app`), when one does. */
  runAs?: string;
  /** Document offsets spanning the whole simple command, prefixes and wrappers included. */
  start: number;
  end: number;
  separatorBefore: Separator | null;
  separatorAfter: Separator | null;
  /** Inside an if/while/until condition: its failure is handled, so it may never have run. */
  inCondition: boolean;
  /** Inside an if/elif/else body or a case arm: runs only on some builds. */
  inBranch: boolean;
  /** 0 for the RUN's own script, 1 inside `sh -c '…'` or a here-document, and so on. */
  depth: number;
  heredocs: HereDoc[];
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'busybox-sh']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
/** Wrapper commands and the options of theirs that take a separate value. */
const WRAPPERS: ReadonlyMap<string, ReadonlySet<string>> = new Map<string, ReadonlySet<string>>([
  ['sudo', new Set(['-u', '-g', '-h', '-p', '-C', '-D', '-r', '-t', '-U', '-T'])],
  ['env', new Set(['-u', '-C', '-S', '--unset', '--chdir'])],
  ['exec', new Set(['-a'])],
  ['nohup', new Set()],
  ['time', new Set(['-f', '-o'])],
  ['command', new Set()],
  ['nice', new Set(['-n'])],
  ['ionice', new Set(['-c', '-n'])],
  ['stdbuf', new Set(['-i', '-o', '-e'])],
]);
const MAX_DEPTH = 4;

export function basename(word: string): string {
  const slash = word.lastIndexOf('/');
  return slash >= 0 ? word.slice(slash + 1) : word;
}

export function parseScript(input: MappedText, depth = 0, inCondition = false, inBranch = false): ParsedCommand[] {
  return new CommandCollector(tokenize(input), depth, inCondition, inBranch).collect();
}

/** Builds commands from an exec-form RUN's JSON strings. */
export function parseExecArgs(args: MappedText[]): ParsedCommand[] {
  const words = args.map((a) => ({ text: a.text, offsets: a.offsets, start: a.offsets[0] - 1, end: a.offsets[a.offsets.length - 1] + 1 }));
  if (words.length === 0) return [];
  const out: ParsedCommand[] = [];
  finishCommand(out, words, [], null, null, false, 0, false);
  return out;
}

interface MappedWord extends RawWord {
  offsets: ArrayLike<number>;
}

class CommandCollector {
  private readonly out: ParsedCommand[] = [];
  private words: WordToken[] = [];
  private heredocs: HereDoc[] = [];
  private separatorBefore: Separator | null = null;
  private inCondition: boolean;
  private skippingForHeader = false;
  /** Stack of case statements: 'header' until `in`, then 'pattern' / 'body'. */
  private cases: ('header' | 'pattern' | 'body')[] = [];
  private dropCurrent = false;
  /** Open if/case statements around the current command. */
  private branchDepth = 0;
  private previous: Token | undefined;

  constructor(private readonly tokens: Token[], private readonly depth: number, private readonly baseCondition: boolean, private readonly baseBranch: boolean) {
    this.inCondition = baseCondition;
  }

  collect(): ParsedCommand[] {
    for (let t = 0; t < this.tokens.length; t++) {
      const token = this.tokens[t];
      if (token.kind === 'redirect') {
        if (token.heredoc) this.heredocs.push(token.heredoc);
        if (this.tokens[t + 1]?.kind === 'word') t++;
      } else if (token.kind === 'op') {
        this.operator(token.op);
      } else {
        this.word(token);
      }
      this.previous = this.tokens[t];
    }
    this.finish(null);
    return this.out;
  }

  /** The innermost case statement's state. (Not cases[length - 1] on an empty array: that index, -1, is
   * looked up as a named property through the prototype chain; it was the collector's hottest line.) */
  private caseState(): 'header' | 'pattern' | 'body' | undefined {
    return this.cases.length > 0 ? this.cases[this.cases.length - 1] : undefined;
  }

  private operator(op: string): void {
    const caseState = this.caseState();
    if (op === ';;') {
      this.finish(';');
      if (caseState) this.cases[this.cases.length - 1] = 'pattern';
      return;
    }
    if (op === '(') {
      if (caseState === 'pattern') return;
      // `name() { … }` defines a function: what it runs is not run here.
      if (this.words.length > 0) this.dropCurrent = true;
      return;
    }
    if (op === ')') {
      if (caseState === 'pattern') {
        this.cases[this.cases.length - 1] = 'body';
        return;
      }
      this.finish(null);
      return;
    }
    if (op === '\n' && this.words.length === 0 && this.heredocs.length === 0) {
      // A newline after `&&`, `||` or `|` continues the list.
      if (this.separatorBefore === null) this.separatorBefore = ';';
      return;
    }
    const separator: Separator = op === '&&' || op === '||' || op === '|' ? op : ';';
    this.finish(separator);
    this.separatorBefore = separator;
  }

  private word(token: WordToken): void {
    const caseState = this.caseState();
    const keyword = this.words.length === 0 && !token.quoted ? token.text : undefined;
    if (caseState === 'header') {
      if (token.text === 'in' && !token.quoted) this.cases[this.cases.length - 1] = 'pattern';
      return;
    }
    if (caseState === 'pattern') {
      if (keyword === 'esac') this.cases.pop();
      return;
    }
    if (this.skippingForHeader) {
      const afterSeparator = this.previous?.kind === 'op' && (this.previous.op === ';' || this.previous.op === '\n');
      if (keyword === 'do' && afterSeparator) {
        this.skippingForHeader = false;
        this.inCondition = this.baseCondition;
      }
      return;
    }
    switch (keyword) {
      case 'if':
        this.branchDepth++;
        this.inCondition = true;
        return;
      case 'elif':
      case 'while':
      case 'until':
        this.inCondition = true;
        return;
      case 'then':
      case 'do':
      case 'else':
        this.inCondition = this.baseCondition;
        return;
      case 'fi':
        this.branchDepth = Math.max(0, this.branchDepth - 1);
        return;
      case '{':
      case '!':
      case 'done':
      case '}':
        return;
      case 'esac':
        this.cases.pop();
        return;
      case 'for':
      case 'select':
        this.skippingForHeader = true;
        return;
      case 'case':
        this.cases.push('header');
        return;
      default:
        this.words.push(token);
    }
  }

  private finish(separatorAfter: Separator | null): void {
    const words = this.words;
    const heredocs = this.heredocs;
    this.words = [];
    this.heredocs = [];
    if (this.dropCurrent) {
      this.dropCurrent = false;
      return;
    }
    if (words.length === 0 && heredocs.length === 0) return;
    const inBranch = this.baseBranch || this.branchDepth > 0 || this.cases.length > 0;
    finishCommand(this.out, words, heredocs, this.separatorBefore, separatorAfter, this.inCondition, this.depth, inBranch);
    this.separatorBefore = null;
  }
}

/** Appends the simple command made of `words` (and the commands of the script it runs, if any) to `out`. */
function finishCommand(
  out: ParsedCommand[],
  words: MappedWord[],
  heredocs: HereDoc[],
  separatorBefore: Separator | null,
  separatorAfter: Separator | null,
  inCondition: boolean,
  depth: number,
  inBranch: boolean,
): void {
  const env: Record<string, string> = {};
  let k = takeAssignments(words, 0, env);
  // Peel wrappers: `sudo -u app env FOO=1 nohup cmd`.
  let runAs: string | undefined;
  for (let guard = 0; guard < 8 && k < words.length; guard++) {
    const wrapperName = basename(words[k].text);
    const wrapper = WRAPPERS.get(wrapperName);
    if (!wrapper) break;
    k++;
    while (k < words.length && words[k].text.startsWith('-') && words[k].text !== '-') {
      const option = words[k].text;
      k++;
      if (option === '--') break;
      if (wrapperName === 'sudo' && option === '-u' && k < words.length) runAs = words[k].text;
      else if (wrapperName === 'sudo' && option.startsWith('--user=')) runAs = option.slice('--user='.length);
      if (wrapper.has(option)) k++;
    }
    k = takeAssignments(words, k, env);
  }
  const first = words[0];
  const start = first ? first.start : heredocs[0]?.bodyStart ?? 0;
  const end = words.length > 0 ? words[words.length - 1].end : start;
  // The tokens themselves (they are RawWords): shell.ts reads text, start and end once per command.
  const argv = k === 0 ? words : words.slice(k);
  out.push({ words: argv, env, runAs, start, end, separatorBefore, separatorAfter, inCondition, inBranch, depth, heredocs });
  if (depth >= MAX_DEPTH) return;
  if (argv.length > 0 && !SHELLS.has(basename(argv[0].text))) return;
  const body = argv.length > 0 ? shellCommandString(argv) : undefined;
  // Appended one by one: spreading a script's commands into push() overflows the call stack past
  // ~120,000 of them (a 1 MB here-document did).
  if (body) {
    for (const command of parseScript({ text: body.text, offsets: body.offsets }, depth + 1, inCondition, inBranch)) out.push(command);
  } else {
    for (const doc of heredocs) for (const command of parseScript(doc.body, depth + 1, inCondition, inBranch)) out.push(command);
  }
}

/** Takes `VAR=value` words from index k on into env; returns the index of the first other word. */
function takeAssignments(words: readonly MappedWord[], k: number, env: Record<string, string>): number {
  while (k < words.length && ASSIGNMENT.test(words[k].text)) {
    const text = words[k].text;
    const eq = text.indexOf('=');
    env[text.slice(0, eq)] = text.slice(eq + 1);
    k++;
  }
  return k;
}

/** The script of `sh [-options] -c 'script' [name args…]`, or undefined. */
function shellCommandString(argv: MappedWord[]): MappedWord | undefined {
  let sawC = false;
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i].text;
    if (/^[-+][a-zA-Z]+$/.test(word)) {
      if (word.includes('c')) sawC = true;
      // `-o pipefail` (also as the end of a cluster: `-euo pipefail`) takes the next word.
      if (word.endsWith('o')) i++;
      continue;
    }
    if (word.startsWith('--')) continue;
    return sawC ? argv[i] : undefined;
  }
  return undefined;
}
