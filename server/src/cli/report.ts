// Output formats of `multistage lint`: text for people, JSON (SPEC §6) for scripts, SARIF 2.1.0 for
// code-scanning UIs. Every format names the rule, its help text and its docs URL.
import { allRules } from '../analysis/rules';
import { FILE_TOO_LARGE } from '../analysis/analyze';
import type { Problem, Severity } from '../analysis/types';
import { ruleDocsUrl } from '../docsUrl';

export interface FileReport {
  file: string;
  problems: Problem[];
  /** Set when the file could not be read. */
  error?: string;
}

function helpOf(rule: string): string {
  if (rule === FILE_TOO_LARGE) return 'The file is larger than Multistage analyses.';
  return allRules.find((r) => r.id === rule)?.summary ?? '';
}

export function formatText(reports: FileReport[]): string {
  const lines: string[] = [];
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const report of reports) {
    if (report.error) lines.push(`${report.file}: cannot read: ${report.error}`);
    for (const p of report.problems) {
      counts[p.severity]++;
      const where = `${report.file}:${p.range.start.line + 1}:${p.range.start.character + 1}`;
      const fix = p.fixes.length > 0 ? ` (fix: ${p.fixes[0].title})` : '';
      lines.push(`${where}  ${p.severity.padEnd(7)}  ${p.message}${fix}  [${p.rule}]`);
    }
  }
  const total = counts.error + counts.warning + counts.info + counts.hint;
  lines.push(
    `${reports.length} file${reports.length === 1 ? '' : 's'} checked, ${total} problem${total === 1 ? '' : 's'} ` +
      `(${counts.error} errors, ${counts.warning} warnings, ${counts.info} info, ${counts.hint} hints)`,
  );
  return lines.join('\n') + '\n';
}

export function formatJson(reports: FileReport[]): string {
  const rows = reports.flatMap((report) =>
    report.problems.map((p) => ({
      file: report.file,
      rule: p.rule,
      severity: p.severity,
      line: p.range.start.line + 1,
      column: p.range.start.character + 1,
      message: p.message,
      endLine: p.range.end.line + 1,
      endColumn: p.range.end.character + 1,
      help: helpOf(p.rule),
      url: ruleDocsUrl(p.rule),
    })),
  );
  return JSON.stringify(rows, null, 2) + '\n';
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export function formatSarif(reports: FileReport[], version: string): string {
  const rules = allRules.map((r) => ({
    id: r.id,
    name: r.id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: r.summary },
    fullDescription: { text: r.summary },
    helpUri: ruleDocsUrl(r.id),
    help: { text: `${r.summary} See ${ruleDocsUrl(r.id)}`, markdown: `${r.summary} [Documentation](${ruleDocsUrl(r.id)})` },
    defaultConfiguration: { level: SARIF_LEVEL[r.defaultSeverity] },
  }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = reports.flatMap((report) =>
    report.problems.map((p) => ({
      ruleId: p.rule,
      ...(index.has(p.rule) ? { ruleIndex: index.get(p.rule) } : {}),
      level: SARIF_LEVEL[p.severity],
      message: { text: p.message },
      locations: [{
        physicalLocation: {
          artifactLocation: { uri: report.file.split('\\').join('/') },
          region: {
            startLine: p.range.start.line + 1,
            startColumn: p.range.start.character + 1,
            endLine: p.range.end.line + 1,
            endColumn: p.range.end.character + 1,
          },
        },
      }],
    })),
  );
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'multistage', version, informationUri: ruleDocsUrl('').replace(/#$/, ''), rules } },
      results,
    }],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
