// Property-based robustness: 10,000 generated inputs per run (about 70 s of CPU,
// most of it the mutated corpus files, whose checks re-analyse and re-validate) — random bytes,
// Dockerfile-token soup and corpus files mutated (truncated, lines shuffled, continuations, quotes,
// huge lines, NUL bytes, CRLF, BOM, `# escape=` changes) — must never make the analysis throw or a
// rule fail; every range lies inside the document; every quick fix, every "Ignore …" edit and both
// rewrites give text that re-analyses cleanly and adds no builder error.
//
// Seeds: CI uses a fixed seed so the gate is deterministic; elsewhere each run explores a new seed
// (printed; FC_SEED=n reproduces it). A shrunk failing case is written to test/fixtures/robustness/
// (outside CI) and replayed by the last test of this file forever after.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { validate, ValidationCode, ValidationSeverity } from 'dockerfile-utils';
import { analyze } from '../../server/src/analysis/analyze';
import { validateDockerfile } from '../../server/src/analysis/builderValidation';
import { builderErrors, newBuilderErrors } from '../../server/src/analysis/fixSafety';
import { ignoreRuleEdit } from '../../server/src/analysis/ignoreComment';
import { refactorActions, applyTextEdits, type RefactorAction } from '../../server/src/analysis/rewrite/index';
import { syntaxError } from '../../server/src/analysis/rules/syntaxError';
import { applyEdits } from '../../server/src/analysis/textEdits';
import type { ContextFiles, RuleContext } from '../../server/src/analysis/types';
import { DEFAULT_SETTINGS } from '../../server/src/analysis/types';
import { cpuNowMs } from '../../bench/clock';
import { memoryContext } from '../support/analysis';
import { readCorpus, requireCorpus } from '../support/corpus';
import { IN_CI } from '../support/requirements';

const FIXTURES = join(__dirname, '..', 'fixtures', 'robustness');
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : IN_CI ? 20261122 : Date.now() % 2 ** 31;
/** ROBUSTNESS_SCALE=0.1 runs a tenth of the inputs, for a quick try while changing the checks. */
const SCALE = Number(process.env.ROBUSTNESS_SCALE ?? 1);
/** Quick fixes checked per input (one per rule): re-analysing edited text is the expensive part. */
const EDITS_PER_INPUT = 2;

// Build contexts that make the context-aware rules and the rewrite recipes take part.
const CONTEXTS: (ContextFiles | undefined)[] = [
  undefined,
  memoryContext({ 'package.json': '{"scripts":{"build":"tsc"},"devDependencies":{"typescript":"5"}}', 'package-lock.json': '{}', 'tsconfig.json': '{}', 'src/index.ts': '' }),
  memoryContext({ 'go.mod': 'module example.com/app\n\ngo 1.22\n', 'go.sum': '', 'main.go': 'package main\n', '.git/HEAD': '' }),
  memoryContext({ 'requirements.txt': 'flask\n', 'app.py': '', '.dockerignore': '.git\n' }),
];

function contextFor(index: number): Partial<RuleContext> {
  return { settings: { ...DEFAULT_SETTINGS, syntaxDiagnostics: true }, context: CONTEXTS[index % CONTEXTS.length] };
}

// The settings syntax-error passes to validate(): style checks off, builder errors only.
const IGNORE = ValidationSeverity.IGNORE;
const STYLE_CHECKS_OFF = {
  deprecatedMaintainer: IGNORE, directiveCasing: IGNORE, emptyContinuationLine: IGNORE, instructionCasing: IGNORE, instructionCmdMultiple: IGNORE,
  instructionEntrypointMultiple: IGNORE, instructionHealthcheckMultiple: IGNORE, instructionJSONInSingleQuotes: IGNORE, instructionWorkdirRelative: IGNORE,
};

/**
 * What syntax-error must agree with: dockerfile-utils' own validate(text), parsing for itself. Where
 * that overflows its stack (the dockerfile-ast bug builderValidation.ts guards against), the guarded
 * call on a fresh parse.
 */
function referenceValidation(text: string) {
  try {
    return validate(text, STYLE_CHECKS_OFF);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return validateDockerfile(text, STYLE_CHECKS_OFF);
  }
}

function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((line) => line.length);
}

const firstLine = (error: unknown) => (error instanceof Error ? `${error.message}\n${error.stack?.split('\n').slice(1, 4).join('\n')}` : String(error));


/**
 * Re-analyses a text produced by an edit: it must not throw nor make a rule fail. Without the syntax
 * rule: the caller checks the edited text with the same validator already (newBuilderErrors).
 */
function reanalysisViolations(label: string, text: string, ctx: Partial<RuleContext>): string[] {
  try {
    return analyze(text, { ...ctx, settings: { ...DEFAULT_SETTINGS, ...ctx.settings, syntaxDiagnostics: false } }).ruleErrors.map((e) => `${label}: re-analysis: rule ${e.rule} threw ${firstLine(e.error)}`);
  } catch (error) {
    return [`${label}: re-analysis threw ${firstLine(error)}`];
  }
}

/** Every invariant for one input; returns the violations (empty when all hold). */
function violationsOf(text: string, contextIndex = 0): string[] {
  try {
    return checkedViolationsOf(text, contextIndex);
  } catch (error) {
    // Something outside analyze()'s own guard threw: the syntax check, an ignore edit, a rewrite.
    return [`threw ${firstLine(error)}`];
  }
}

function checkedViolationsOf(text: string, contextIndex: number): string[] {
  const ctx = contextFor(contextIndex);
  let result;
  try {
    result = analyze(text, ctx);
  } catch (error) {
    return [`analyze threw ${firstLine(error)}`];
  }
  const violations = result.ruleErrors.map((e) => `rule ${e.rule} threw ${firstLine(e.error)}`);
  const lengths = lineLengths(text);
  const inside = (p: { line: number; character: number }) => p.line >= 0 && p.line < lengths.length && p.character >= 0 && p.character <= lengths[p.line];
  const ordered = (a: { line: number; character: number }, b: { line: number; character: number }) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  for (const p of result.problems) {
    if (!inside(p.range.start) || !inside(p.range.end) || !ordered(p.range.start, p.range.end)) {
      violations.push(`${p.rule}: range ${JSON.stringify(p.range)} is not inside the document`);
    }
  }
  const model = result.model;
  if (!model) return violations; // "file too large": nothing else to check

  // syntax-error lends the model's parse to dockerfile-utils; it must say what validate(text) says.
  const lent = syntaxError.check(model, ctx as RuleContext).map((f) => `${JSON.stringify(f.range)} ${f.message}`);
  const fresh = referenceValidation(text)
    .filter((d) => d.severity === 1 && Number(d.code) !== ValidationCode.DUPLICATE_BUILD_STAGE_NAME)
    .map((d) => `${JSON.stringify(d.range)} ${typeof d.message === 'string' ? d.message : d.message.value}`);
  if (JSON.stringify(lent) !== JSON.stringify(fresh)) violations.push(`syntax-error on the lent parse differs from validate(text): ${JSON.stringify(lent).slice(0, 300)} vs ${JSON.stringify(fresh).slice(0, 300)}`);

  let before: Map<string, number> | undefined;
  const errorsBefore = () => (before ??= builderErrors(text));
  const checkEdited = (label: string, edited: string) => {
    violations.push(...reanalysisViolations(label, edited, ctx));
    const added = newBuilderErrors(errorsBefore(), edited);
    if (added.length > 0) violations.push(`${label}: adds builder errors: ${added.join('; ')}`);
  };

  // Quick fixes: one per rule, up to EDITS_PER_INPUT rules.
  const seenRules = new Set<string>();
  for (const problem of result.problems) {
    if (seenRules.size >= EDITS_PER_INPUT) break;
    const fix = problem.fixes[0];
    if (!fix || seenRules.has(problem.rule)) continue;
    seenRules.add(problem.rule);
    const outside = fix.edits.find((e) => !inside(e.range.start) || !inside(e.range.end));
    if (outside) {
      violations.push(`fix '${fix.title}' of ${problem.rule}: edit range ${JSON.stringify(outside.range)} is outside the document`);
      continue;
    }
    checkEdited(`fix '${fix.title}' of ${problem.rule}`, applyEdits(text, fix.edits));
  }

  // "Ignore <rule> for this line", offered on every diagnostic: the same code for every rule, so one.
  for (const problem of result.problems.slice(0, 1)) {
    const edit = ignoreRuleEdit(model, problem.rule, problem.range.start.line);
    if (edit) checkEdited(`ignore ${problem.rule}`, applyEdits(text, [edit]));
  }

  // The rewrites (split, reorder): offered only when their result parses cleanly, so what matters here
  // is that computing them never throws and their output re-analyses.
  let actions: RefactorAction[] = [];
  try {
    actions = refactorActions(model, ctx as RuleContext);
  } catch (error) {
    violations.push(`refactorActions threw ${firstLine(error)}`);
  }
  for (const action of actions) {
    const rewritten = applyTextEdits(model, action.edits);
    const errors = validateDockerfile(rewritten).filter((d) => d.severity === 1);
    if (errors.length > 0) violations.push(`${action.title}: output does not parse: ${errors.map((d) => d.message).join('; ').slice(0, 300)}`);
    else violations.push(...reanalysisViolations(action.title, rewritten, ctx));
  }
  return violations;
}

// ---------------------------------------------------------------------------------------------
// Generators

const TOKENS = [
  'FROM ', 'FROM alpine:3.20', 'FROM node:20 AS build', 'FROM scratch', 'FROM golang:1.22 AS builder', ' AS ', 'ARG ', 'ARG V=1', 'ENV ', 'ENV A=b',
  'RUN ', 'RUN apt-get update', 'apt-get install -y gcc', 'apk add ', 'npm ci', 'npm run build', 'pip install -r requirements.txt', 'go build -o /app .',
  'COPY ', 'COPY . .', 'COPY --from=build /app /app', 'COPY --from=0 / /', 'COPY --chown=1:1 ', 'ADD ', 'USER ', 'USER root', 'WORKDIR /app', 'CMD ["x"]',
  'ENTRYPOINT ', 'HEALTHCHECK ', 'ONBUILD ', 'SHELL ["/bin/sh", "-c"]', 'LABEL a=b', 'EXPOSE 80', 'VOLUME ', 'STOPSIGNAL ',
  '--mount=type=cache,target=/root/.cache ', '--mount=from=build,source=/a,target=/b ', '--from=', '--platform=$BUILDPLATFORM ', '--chmod=755 ',
  ' && ', ' || ', '; ', ' | ', ' & ', 'rm -rf /var/lib/apt/lists/*', 'chown -R app /app', 'sh -c "', 'bash -c \'', '$(', ')', '`',
  '\\\n', '\\', '\n', '\r\n', '\r', ' ', '\t', '"', "'", '#', '# ', '# escape=`\n', '# escape=\\\n', '# syntax=docker/dockerfile:1\n',
  '# multistage-ignore ', '# multistage-ignore-file ', '# hadolint ignore=DL3008\n', '<<EOF\n', 'EOF\n', '<<-"EOT"\n', 'EOT\n',
  '$', '${', '}', '${A:-b}', '${A:+x}', '[', ']', '","', '=', '\u0000', '\uFEFF', 'é', '日本', '\u2028', '\uD800',
  // Names of Object.prototype members, as commands, packages, tags and variables (`RUN toString -u x` once broke 13 rules).
  'toString', 'constructor ', '__proto__', 'hasOwnProperty=1 ', ':valueOf',
];

const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 120 }).map((tokens) => tokens.join(''));

const randomBytes = fc.tuple(fc.uint8Array({ maxLength: 1500 }), fc.constantFrom<BufferEncoding>('utf8', 'latin1')).map(([bytes, encoding]) => Buffer.from(bytes).toString(encoding));

type Mutation = (text: string) => string;
const at = (text: string, fraction: number) => Math.floor(fraction * text.length);
const fraction = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const INSERTS = ['\\', '\\\n', '`', '`\n', '"', "'", '\n', '\r\n', '\r', '\u0000', '$', '${', '#', ' \\ \n', '\t', '[', '<<EOF\n', '\uFEFF', '--from=', 'RUN ', 'FROM '];

const mutation: fc.Arbitrary<{ name: string; apply: Mutation }> = fc.oneof(
  { depthSize: 'small' },
  fraction.map((f) => ({ name: `truncate at ${f.toFixed(3)}`, apply: (t: string) => t.slice(0, at(t, f)) })),
  fc.array(fc.tuple(fraction, fraction), { minLength: 1, maxLength: 6 }).map((swaps) => ({
    name: `swap lines ${JSON.stringify(swaps.map(([a, b]) => [a.toFixed(2), b.toFixed(2)]))}`,
    apply: (t: string) => {
      const lines = t.split('\n');
      for (const [a, b] of swaps) {
        const i = Math.floor(a * lines.length);
        const j = Math.floor(b * lines.length);
        [lines[i], lines[j]] = [lines[j], lines[i]];
      }
      return lines.join('\n');
    },
  })),
  fc.tuple(fraction, fc.constantFrom(...INSERTS), fc.integer({ min: 1, max: 4 })).map(([f, s, n]) => ({
    name: `insert ${JSON.stringify(s)}×${n} at ${f.toFixed(3)}`,
    apply: (t: string) => t.slice(0, at(t, f)) + s.repeat(n) + t.slice(at(t, f)),
  })),
  // Huge lines cost the most (every check re-analyses them), so they come up less often.
  fc.tuple(fraction, fc.constantFrom('a', ' ', '\\', '"', 'x && ', '${A}', '--f=1 ', '\u0000'), fc.integer({ min: 1_000, max: 20_000 }), fc.nat({ max: 3 })).filter(([, , , one]) => one === 0).map(([f, s, n]) => ({
    name: `huge line of ${JSON.stringify(s)}×${n} at ${f.toFixed(3)}`,
    apply: (t: string) => {
      const lineStart = t.lastIndexOf('\n', at(t, f)) + 1;
      return t.slice(0, lineStart) + 'RUN ' + s.repeat(Math.ceil(n / s.length)) + '\n' + t.slice(lineStart);
    },
  })),
  fc.constant({ name: 'CRLF line ends', apply: (t: string) => t.replace(/\r?\n/g, '\r\n') }),
  fc.constant({ name: 'CR line ends', apply: (t: string) => t.replace(/\r?\n/g, '\r') }),
  fc.constant({ name: 'BOM', apply: (t: string) => '\uFEFF' + t }),
  fc.constantFrom('`', '\\', 'x', '').map((c) => ({ name: `# escape=${c}`, apply: (t: string) => `# escape=${c}\n` + t.replace(/^#\s*escape=.*\n/im, '') })),
  fc.constant({ name: 'backslashes become backticks', apply: (t: string) => t.replaceAll('\\', '`') }),
  fc.tuple(fraction, fraction).map(([a, b]) => ({ name: `delete ${a.toFixed(3)}–${b.toFixed(3)}`, apply: (t: string) => t.slice(0, at(t, Math.min(a, b))) + t.slice(at(t, Math.max(a, b))) })),
);

function mutatedCorpus(files: readonly string[]) {
  return fc.tuple(fc.nat({ max: files.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.nat({ max: CONTEXTS.length - 1 })).map(([index, mutations, contextIndex]) => ({
    text: mutations.reduce((text, m) => m.apply(text), files[index]),
    contextIndex,
    describe: `corpus file #${index}, then ${mutations.map((m) => m.name).join(', ')}`,
  }));
}

/**
 * A deterministic spread of corpus files (every k-th by name, so all repositories take part) up to
 * 6 KB — nine in ten corpus files; the rest cost several times as much per check and are covered
 * unmutated by test/unit/corpus.test.ts.
 */
function corpusSample(count: number): string[] {
  const texts = readCorpus().map((f) => f.text).filter((text) => text.length <= 6_000);
  const step = Math.max(1, Math.floor(texts.length / count));
  return texts.filter((_, i) => i % step === 0).slice(0, count);
}

// ---------------------------------------------------------------------------------------------
// Running a property, and turning a shrunk failure into a fixture

interface GeneratedInput {
  text: string;
  contextIndex: number;
  describe: string;
}

/**
 * fast-check shrinks the generator's choices, but a mutated corpus file stays a whole file. This
 * removes lines, then characters, while some violation remains, so the fixture shows the cause.
 */
function minimize(input: GeneratedInput): GeneratedInput {
  const fails = (text: string) => violationsOf(text, input.contextIndex).length > 0;
  let text = input.text;
  let budget = 400;
  for (const unit of ['line', 'char'] as const) {
    const split = (t: string) => (unit === 'line' ? t.split(/(?<=\n)/) : [...t]);
    if (unit === 'char' && text.length > 300) break;
    let parts = split(text);
    for (let i = parts.length - 1; i >= 0 && budget > 0; i--, budget--) {
      const candidate = [...parts.slice(0, i), ...parts.slice(i + 1)].join('');
      if (fails(candidate)) {
        parts = split(candidate);
        text = candidate;
      }
    }
  }
  return { ...input, text, describe: `${input.describe}; minimized` };
}

function saveFixture(property: string, input: GeneratedInput, violations: string[]): string | undefined {
  if (IN_CI) return undefined; // CI's checkout is thrown away; the failure message carries the input
  mkdirSync(FIXTURES, { recursive: true });
  const hash = createHash('sha256').update(input.text).digest('hex').slice(0, 12);
  const path = join(FIXTURES, `${property}-${hash}.json`);
  const fixture = { property, found: new Date().toISOString().slice(0, 10), seed: SEED, describe: input.describe, contextIndex: input.contextIndex, violations, text: input.text };
  writeFileSync(path, JSON.stringify(fixture, null, 2) + '\n');
  return path;
}

function runProperty(property: string, arbitrary: fc.Arbitrary<GeneratedInput>, numRuns: number): void {
  const started = cpuNowMs();
  const details = fc.check(fc.property(arbitrary, (input) => violationsOf(input.text, input.contextIndex).length === 0), { numRuns: Math.ceil(numRuns * SCALE), seed: SEED, endOnFailure: false });
  process.stdout.write(`robustness ${property}: ${details.numRuns} inputs in ${((cpuNowMs() - started) / 1000).toFixed(1)} s of CPU, seed ${SEED}${details.failed ? ', FAILED' : ''}\n`);
  if (!details.failed) return;
  const input = minimize(details.counterexample![0]);
  const violations = violationsOf(input.text, input.contextIndex);
  const saved = saveFixture(property, input, violations);
  assert.fail(`${property}: ${input.describe}\ntext: ${JSON.stringify(input.text.slice(0, 400))}${input.text.length > 400 ? '…' : ''}\n` +
    `${violations.join('\n')}\n${saved ? `saved as ${saved}` : ''} (reproduce: FC_SEED=${SEED})`);
}

// ---------------------------------------------------------------------------------------------

test('robustness: random bytes never break the analysis (2,500 inputs)', () => {
  runProperty('random-bytes', fc.tuple(randomBytes, fc.nat({ max: CONTEXTS.length - 1 })).map(([text, contextIndex]) => ({ text, contextIndex, describe: 'random bytes' })), 2_500);
});

test('robustness: Dockerfile token soup never breaks the analysis, fixes or rewrites (4,500 inputs)', () => {
  runProperty('token-soup', fc.tuple(tokenSoup, fc.nat({ max: CONTEXTS.length - 1 })).map(([text, contextIndex]) => ({ text, contextIndex, describe: 'token soup' })), 4_500);
});

test('robustness: mutated corpus files never break the analysis, fixes or rewrites (3,000 inputs)', (t) => {
  if (!requireCorpus(t)) return;
  runProperty('mutated-corpus', mutatedCorpus(corpusSample(400)), 3_000);
});

test('robustness: every saved shrunk failure (test/fixtures/robustness) now passes', () => {
  const files = existsSync(FIXTURES) ? readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort() : [];
  const failures: string[] = [];
  for (const file of files) {
    const fixture = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as { text: string; contextIndex?: number };
    const violations = violationsOf(fixture.text, fixture.contextIndex ?? 0);
    if (violations.length > 0) failures.push(`${file}: ${violations.join('; ')}`);
  }
  process.stdout.write(`robustness fixtures: ${files.length} replayed\n`);
  assert.deepEqual(failures, []);
});
