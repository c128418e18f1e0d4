// Output formats of `multistage lint`: text for people, JSON (SPEC §6) for scripts, SARIF 2.1.0
// (sarif.ts) for code-scanning UIs. Every format names the rule, its help text and its docs URL.
import { allRules } from '../analysis/rules';
import { FILE_TOO_LARGE } from '../analysis/analyze';
import type { Problem, Severity } from '../analysis/types';
import { ruleDocsUrl } from '../docsUrl';
import { painter, type Paint } from './terminal';

export interface FileReport {
  file: string;
  problems: Problem[];
  /** Set when the file could not be read. */
  error?: string;
}

/** How the run looks and where it ran; every field has a default for tests and scripts. */
export interface ReportOptions {
  color?: boolean;
  /** One header per file with its problems under it (a terminal), instead of `file:line:col` lines. */
  grouped?: boolean;
  cwd?: string;
  /** The SARIF SRCROOT; default: the git checkout holding cwd. */
  root?: string;
  commandLine?: string;
  startTimeUtc?: string;
  endTimeUtc?: string;
}

function helpOf(rule: string): string {
  if (rule === FILE_TOO_LARGE) return 'The file is larger than Multistage analyses.';
  return allRules.find((r) => r.id === rule)?.summary ?? '';
}

export function plural(count: number, noun: string): string {
  if (count === 1) return `${count} ${noun}`;
  return `${count} ${noun === 'info' ? noun : `${noun}s`}`;
}

const SEVERITY_STYLE: Record<Severity, 'red' | 'yellow' | 'blue' | 'gray'> = { error: 'red', warning: 'yellow', info: 'blue', hint: 'gray' };
const SEVERITIES: Severity[] = ['error', 'warning', 'info', 'hint'];

function summary(reports: FileReport[], paint: Paint, grouped: boolean): string {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  let fixable = 0;
  for (const report of reports) {
    for (const p of report.problems) {
      counts[p.severity]++;
      if (p.fixes.some((f) => f.safe)) fixable++;
    }
  }
  const total = SEVERITIES.reduce((n, s) => n + counts[s], 0);
  const files = `${plural(reports.length, 'file')} checked`;
  if (total === 0) return paint('green', `${grouped ? '✔ ' : ''}${files}, no problems`);
  const bySeverity = SEVERITIES.filter((s) => counts[s] > 0).map((s) => plural(counts[s], s)).join(', ');
  const style = counts.error > 0 ? 'red' : counts.warning > 0 ? 'yellow' : 'blue';
  const line = paint('bold', paint(style, `${grouped ? '✖ ' : ''}${files}, ${plural(total, 'problem')} (${bySeverity})`));
  const fixes = fixable > 0 ? `\n${paint('dim', `${fixable} of them fixable with \`multistage fix FILE\``)}` : '';
  return line + fixes;
}

export function formatText(reports: FileReport[], options: ReportOptions = {}): string {
  const paint = painter(options.color ?? false);
  const lines: string[] = [];
  for (const report of reports) {
    if (options.grouped) {
      if (!report.error && report.problems.length === 0) continue;
      lines.push(paint('underline', report.file));
      if (report.error) lines.push(`  ${paint('red', 'cannot read')}  ${report.error}`);
      const where = report.problems.map((p) => `${p.range.start.line + 1}:${p.range.start.character + 1}`);
      const width = Math.max(0, ...where.map((w) => w.length));
      report.problems.forEach((p, i) => {
        const fix = p.fixes.length > 0 ? paint('dim', ` (fix: ${p.fixes[0].title})`) : '';
        lines.push(`  ${paint('dim', where[i].padEnd(width))}  ${paint(SEVERITY_STYLE[p.severity], p.severity.padEnd(7))}  ${p.message}${fix}  ${paint('gray', p.rule)}`);
      });
      lines.push('');
      continue;
    }
    if (report.error) lines.push(`${report.file}: cannot read: ${report.error}`);
    for (const p of report.problems) {
      const where = `${report.file}:${p.range.start.line + 1}:${p.range.start.character + 1}`;
      const fix = p.fixes.length > 0 ? ` (fix: ${p.fixes[0].title})` : '';
      lines.push(`${where}  ${p.severity.padEnd(7)}  ${p.message}${fix}  [${p.rule}]`);
    }
  }
  lines.push(summary(reports, paint, options.grouped ?? false));
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
