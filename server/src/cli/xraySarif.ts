// SARIF for `multistage xray --format sarif`: the measured findings and the exceeded budgets as results on
// the Dockerfile lines that caused them, in the same envelope (SRCROOT-relative URIs, invocation) as lint's
// SARIF, so one code-scanning upload shows predicted and measured problems side by side.
import { pathToFileURL } from 'node:url';
import { sep } from 'node:path';
import { formatBytes } from '../analysis/bytes';
import { ruleDocsUrl } from '../docsUrl';
import type { XrayFinding, XrayReport } from '../xray/types';
import type { ReportOptions } from './report';
import { artifactLocation, sarifLog, sourceRoot, type ArtifactLocation } from './sarif';
import type { BudgetCheck, BudgetName } from './xrayBudgets';

/** Where the measured findings are explained, and where the budgets are. */
export const XRAY_DOCS_URL = 'https://github.com/multistage-dev/multistage/blob/main/docs/xray.md#findings';
export const BUDGETS_DOCS_URL = 'https://github.com/multistage-dev/multistage/blob/main/README.md#image-x-ray';

interface MeasuredRule {
  id: string;
  summary: string;
  level: 'error' | 'warning' | 'note';
}

export const MEASURED_RULES: readonly MeasuredRule[] = [
  { id: 'measured-known-waste', summary: 'Known waste (package-manager caches and lists, __pycache__, .git, tests, source maps, toolchains, dev dependencies) measured in the final filesystem.', level: 'warning' },
  { id: 'measured-overwritten', summary: 'Files this line added are overwritten by a later line: their bytes stay in this layer.', level: 'warning' },
  { id: 'measured-deleted', summary: 'Files this line added are deleted by a later line: their bytes stay in this layer.', level: 'warning' },
  { id: 'measured-duplicate', summary: 'The same content is stored more than once across layers or paths.', level: 'note' },
  { id: 'budget-max-size', summary: 'The image is larger than --max-size (or maxSize in .multistage.json).', level: 'error' },
  { id: 'budget-max-wasted', summary: 'The image wastes more than --max-wasted (or maxWasted in .multistage.json).', level: 'error' },
  { id: 'budget-min-efficiency', summary: 'The image\'s efficiency is below --min-efficiency (or minEfficiency in .multistage.json).', level: 'error' },
];

function ruleIdOf(finding: XrayFinding): string {
  return finding.kind === 'known-waste' ? 'measured-known-waste' : `measured-${finding.kind}`;
}

function lineLocation(location: ArtifactLocation, line: number) {
  return { physicalLocation: { artifactLocation: location, region: { startLine: line } } };
}

/** The line a budget result points at: the line that added the most (size) or wasted the most (the others). */
function budgetLine(report: XrayReport, budget: BudgetName): number | undefined {
  const key = budget === 'max-size' ? 'addedBytes' : 'wastedBytes';
  const best = [...report.lines].sort((a, b) => b[key] - a[key] || a.line - b.line)[0];
  return best?.line;
}

export interface XraySarifOptions extends ReportOptions {
  /** The Dockerfile the report's lines refer to, as a path (relative to cwd or absolute). */
  dockerfilePath?: string;
  budgets?: BudgetCheck[];
}

export function formatXraySarif(report: XrayReport, version: string, options: XraySarifOptions = {}): string {
  const cwd = options.cwd ?? process.cwd();
  const root = options.root ?? sourceRoot(cwd);
  const location = options.dockerfilePath ? artifactLocation(options.dockerfilePath, cwd, root) : undefined;
  const rules = MEASURED_RULES.map((r) => {
    const url = r.id.startsWith('budget-') ? BUDGETS_DOCS_URL : XRAY_DOCS_URL;
    return {
      id: r.id,
      name: r.id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
      shortDescription: { text: r.summary },
      fullDescription: { text: r.summary },
      helpUri: url,
      help: { text: `${r.summary} See ${url}`, markdown: `${r.summary} [Documentation](${url})` },
      defaultConfiguration: { level: r.level },
    };
  });
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const located = (line: number | undefined) => (location && line !== undefined ? { locations: [lineLocation(location, line)] } : {});

  const results: object[] = report.findings.map((f) => {
    const ruleId = ruleIdOf(f);
    const staticRule = 'ruleId' in f ? f.ruleId : undefined;
    const related = (f.kind === 'overwritten' || f.kind === 'deleted') && location && f.byLine !== undefined
      ? { relatedLocations: [{ id: 1, ...lineLocation(location, f.byLine), message: { text: `${f.kind} here (layer ${f.byLayerIndex})` } }] }
      : {};
    return {
      ruleId,
      ruleIndex: index.get(ruleId),
      level: MEASURED_RULES[index.get(ruleId)!].level,
      message: { text: `${f.message} — measured${staticRule ? ` (the fix of ${staticRule} removes it: ${ruleDocsUrl(staticRule)})` : ''}` },
      ...located(f.line),
      ...related,
      properties: {
        bytes: f.bytes,
        files: f.files,
        layerIndex: f.layerIndex,
        ...(f.kind === 'known-waste' ? { waste: f.waste, path: f.path } : { examples: f.examples }),
        ...(staticRule ? { staticRule } : {}),
      },
    };
  });
  for (const b of options.budgets ?? []) {
    if (b.passed) continue;
    const ruleId = `budget-${b.budget}`;
    results.push({
      ruleId,
      ruleIndex: index.get(ruleId),
      level: 'error',
      message: { text: `Over budget: ${b.message} (image ${report.image}, ${formatBytes(report.totalBytes)})` },
      ...located(budgetLine(report, b.budget)),
      properties: { limit: b.limit, actual: b.actual },
    });
  }
  const invocation = {
    executionSuccessful: true,
    ...(options.commandLine ? { commandLine: options.commandLine } : {}),
    ...(options.startTimeUtc ? { startTimeUtc: options.startTimeUtc } : {}),
    endTimeUtc: options.endTimeUtc ?? new Date().toISOString(),
    workingDirectory: { uri: pathToFileURL(cwd.endsWith(sep) ? cwd : cwd + sep).href },
  };
  return sarifLog({ version, root, rules, invocation, results });
}
