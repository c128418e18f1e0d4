// The one entry point of the pure core: text + settings + context → problems. Used by the language
// server, the CLI, the tests and the benchmarks alike.
import type { Range } from 'vscode-languageserver-types';
import { buildModel, lineTextOf, type DockerfileModel } from './model';
import { allRules } from './rules';
import { collectSuppressions, isSuppressed, isSuppressedByHadolint } from './suppression';
import { DEFAULT_SETTINGS, type AnalysisSettings, type Problem, type Rule, type RuleContext } from './types';

/** Files above this size get one informational problem instead of a full analysis. */
export const MAX_ANALYSED_CHARS = 2_000_000;
export const FILE_TOO_LARGE = 'file-too-large';

export interface AnalysisResult {
  model?: DockerfileModel;
  problems: Problem[];
  /** Rules that threw: a bug in Multistage, never the user's fault. The caller logs them. */
  ruleErrors: { rule: string; error: unknown }[];
}

export function analyze(text: string, ctx: Partial<RuleContext> = {}, rules: readonly Rule[] = allRules): AnalysisResult {
  const settings: AnalysisSettings = { ...DEFAULT_SETTINGS, ...ctx.settings };
  if (text.length > MAX_ANALYSED_CHARS) {
    return {
      problems: [{
        rule: FILE_TOO_LARGE,
        severity: 'info',
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        message: `File too large to analyse (${text.length.toLocaleString('en-US')} characters; the limit is ${MAX_ANALYSED_CHARS.toLocaleString('en-US')}).`,
        fixes: [],
      }],
      ruleErrors: [],
    };
  }
  const model = buildModel(text, { target: settings.target });
  const fullCtx: RuleContext = { ...ctx, settings };
  return { model, ...runRules(model, fullCtx, rules) };
}

export function runRules(model: DockerfileModel, ctx: RuleContext, rules: readonly Rule[] = allRules): Omit<AnalysisResult, 'model'> {
  const suppressions = collectSuppressions(model);
  const hadolintPragmas = suppressions.hadolint.global.size > 0 || suppressions.hadolint.line.size > 0 || [...suppressions.hadolint.stage.values()].some((codes) => codes.size > 0);
  // hadolint reports a finding on its instruction's first line, and its pragmas are keyed so.
  let starts: number[] | undefined;
  const instructionStart = (line: number): number => {
    if (!starts) {
      starts = [];
      for (const instruction of model.dockerfile.getInstructions()) {
        const { start, end } = instruction.getRange();
        for (let l = start.line; l <= end.line; l++) starts[l] = start.line;
      }
    }
    return starts[line] ?? line;
  };
  const problems: Problem[] = [];
  const ruleErrors: AnalysisResult['ruleErrors'] = [];
  // Usually no rule is configured: then no rule id is looked up (a miss walks the prototype chain).
  const overrides = ctx.settings.rules;
  const configured = Object.keys(overrides).length > 0;
  for (const rule of rules) {
    const override = configured ? overrides[rule.id] : undefined;
    if (override === 'off') continue;
    if (rule.id === 'syntax-error' && !ctx.settings.syntaxDiagnostics) continue;
    let findings;
    try {
      findings = rule.check(model, ctx);
    } catch (error) {
      ruleErrors.push({ rule: rule.id, error });
      continue;
    }
    for (const finding of findings) {
      const range = clampRange(model, finding.range);
      if (isSuppressed(suppressions, rule.id, range.start.line)) continue;
      if (hadolintPragmas && finding.hadolint !== undefined && isSuppressedByHadolint(suppressions, finding.hadolint, instructionStart(range.start.line))) continue;
      problems.push({
        rule: rule.id,
        severity: override ?? finding.severity ?? rule.defaultSeverity,
        range,
        message: finding.message,
        unnecessary: finding.unnecessary,
        fixes: finding.fixes ?? [],
      });
    }
  }
  problems.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return { problems, ruleErrors };
}

/** Keeps a range inside the document, whatever a rule computed. */
function clampRange(model: DockerfileModel, range: Range): Range {
  const lastLine = model.lineStarts.length - 1;
  const clamp = (p: { line: number; character: number }) => {
    const line = Math.max(0, Math.min(p.line, lastLine));
    return { line, character: Math.max(0, Math.min(p.character, lineTextOf(model, line).length)) };
  };
  const start = clamp(range.start);
  const end = clamp(range.end);
  if (end.line < start.line || (end.line === start.line && end.character < start.character)) return { start, end: start };
  return { start, end };
}
