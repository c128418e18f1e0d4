// The things the corpus benchmark times, each as "lint this text in-process, return how many problems
// it found". Returning the count keeps the work observable (no dead-code elimination) and lets the
// report show that every contender really did something.
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import type { AnalysisResult } from '../server/src/analysis/analyze';
import { DEFAULT_SETTINGS } from '../server/src/analysis/types';
import { loadShipped } from './shippedAnalysis';

/** Multistage's analyze() as it ships (see shippedAnalysis.ts). */
export const analyze = loadShipped().analyze;

export interface Contender {
  /** Key in bench/results/latest.json. */
  key: string;
  label: string;
  note?: string;
  lint(text: string): number;
}

const withSyntax = { settings: { ...DEFAULT_SETTINGS, syntaxDiagnostics: true } };
const withoutSyntax = { settings: { ...DEFAULT_SETTINGS, syntaxDiagnostics: false } };

export const parseFloor: Contender = {
  key: 'parseFloor',
  label: 'dockerfile-ast parse (floor)',
  // Parsing is the least any linter built on dockerfile-ast must do; getInstructions() forces the
  // instruction list so that a lazy parser could not look cheaper than it is.
  lint: (text) => DockerfileParser.parse(text).getInstructions().length,
};

// Not a peer: the parse inside Multistage's analysis, to show how the analysis time splits into parsing
// and model + rules. Multistage parses with dockerfile-ast too, but with its own argument scanner
// installed (analysis/argumentScanner.ts), so its parse costs less than the floor.
export const multistageParse: Contender = {
  key: 'multistageParse',
  label: 'Multistage parse (its scanner)',
  lint: (text) => loadShipped().parseAsShipped(text),
};

export const multistage: Contender = {
  key: 'multistage',
  label: 'Multistage analyze() syntax on',
  lint: (text) => countOrThrow(analyze(text, withSyntax)),
};

export const multistageNoSyntax: Contender = {
  key: 'multistageNoSyntax',
  label: 'Multistage analyze() syntax off',
  lint: (text) => countOrThrow(analyze(text, withoutSyntax)),
};

export const dockerfileUtils: Contender = {
  key: 'dockerfileUtils',
  label: 'dockerfile-utils validate',
  lint: (text) => validate(text).length,
};

// dockerfilelint.run(configDir, text) looks for `<configDir>/.dockerfilelintrc` on every call; that
// lookup is part of what its API costs, so it stays in. The folder holds no such file.
const dockerfilelintModule: { run(configPath: string, content: string): unknown[] } = require('dockerfilelint');
const dockerfilelintConfigDir = __dirname;
export const dockerfilelint: Contender = {
  key: 'dockerfilelint',
  label: 'dockerfilelint run',
  lint: (text) => dockerfilelintModule.run(dockerfilelintConfigDir, text).length,
};

/**
 * dockerlinter's lint() prints to the console and keeps problems in module-level arrays (it is a
 * one-file CLI), so this repeats its pipeline (parse, group, resolve ARG/ENV, every lint) and reads and
 * clears the problem list itself. Its ShellCheck pass is left out: it spawns the ShellCheck binary per
 * RUN instruction, which is a different program, not dockerlinter.
 */
function loadDockerlinter(): Contender | { unavailable: string } {
  try {
    const { parseToLines } = require('dockerlinter/lib/parser');
    const { directivesParser, getEscape, parseFromAliases } = require('dockerlinter/lib/directives');
    const { groupLinesByInstruction, groupByCommand, replaceArgAndEnv, getInlineIgnores } = require('dockerlinter/lib/groups');
    const lints: Record<string, (parsed: unknown) => void> = require('dockerlinter/lib/lints');
    const errors = require('dockerlinter/lib/errors');
    return {
      key: 'dockerlinter',
      label: 'dockerlinter (own rules)',
      note: 'ShellCheck pass off (it spawns a separate binary per RUN)',
      lint(text) {
        errors.cleanErrors();
        const lines = parseToLines(text);
        const inlineIgnores = getInlineIgnores(lines);
        const parserDirectives = directivesParser(lines);
        const escape = getEscape(parserDirectives);
        let groups = groupByCommand(groupLinesByInstruction(lines, escape));
        groups = replaceArgAndEnv(groups, escape);
        const aliases = parseFromAliases(groups);
        const parsed = { lines, parserDirectives, escape, groups, aliases, inlineIgnores };
        for (const check of Object.values(lints)) check(parsed);
        const count = errors.getErrors().length;
        errors.cleanErrors();
        return count;
      },
    };
  } catch (error) {
    return { unavailable: `dockerlinter could not be loaded: ${(error as Error).message.split('\n')[0]}` };
  }
}

export const dockerlinter = loadDockerlinter();

/** A rule that throws is a Multistage bug: count it as a crash, as an exception from a peer is. */
function countOrThrow(result: AnalysisResult): number {
  if (result.ruleErrors.length > 0) {
    const first = result.ruleErrors[0];
    throw new Error(`rule ${first.rule} threw: ${(first.error as Error)?.message ?? String(first.error)}`);
  }
  return result.problems.length;
}
