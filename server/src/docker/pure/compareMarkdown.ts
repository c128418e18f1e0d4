// Text renderings of a comparison shared by the CLI table and the panel's "Copy as Markdown".
import type { CompareResult, ImageReport, LayerRow, SmokeOutcome } from './compareTypes';
import type { BehaviourReport, HttpAnswer } from './behaviourTypes';
import { describeAnswer, describeRun, runOutputLines } from './behaviourPlan';
import { formatBytes } from '../../analysis/bytes';

export function formatSaving(result: CompareResult): string {
  if (result.savedBytes === 0) return 'Same size';
  const verb = result.savedBytes > 0 ? 'Saved' : 'Grew by';
  return `${verb} ${formatBytes(Math.abs(result.savedBytes))} (${Math.abs(result.savedPercent).toFixed(1)}%)`;
}

export function describeSmoke(smoke: SmokeOutcome | undefined): string {
  if (!smoke) return 'not run';
  switch (smoke.kind) {
    case 'exited':
      return smoke.exitCode === 0 ? `exited 0 after ${smoke.seconds} s` : `exited ${smoke.exitCode} after ${smoke.seconds} s`;
    case 'still-running':
      return `still running after ${smoke.seconds} s`;
    case 'failed-to-start':
      return `did not start: ${smoke.message}`;
  }
}

/** "golang:1.23 (4 layers)": the folded row that stands for everything the base image brought. */
export function describeBase(report: ImageReport, base: LayerRow[]): string {
  const layers = base.filter((r) => r.hasFilesystemLayer).length;
  return `${report.baseImage ?? 'base image'} (${layers} layer${layers === 1 ? '' : 's'})`;
}

/** Layers worth listing: those with bytes, largest first, base-image layers folded into one row. */
export function significantLayers(report: ImageReport, limit = 8): LayerRow[] {
  const base = report.history.filter((r) => r.fromBaseImage);
  const own = report.history.filter((r) => !r.fromBaseImage && r.sizeBytes > 0);
  const rows = [...own];
  if (base.length > 0) {
    rows.push({
      createdBy: describeBase(report, base),
      sizeBytes: base.reduce((sum, r) => sum + r.sizeBytes, 0),
      hasFilesystemLayer: true,
      fromBaseImage: true,
      ...(base[0].line !== undefined ? { line: base[0].line, instruction: 'FROM' } : {}),
    });
  }
  return rows.sort((a, b) => b.sizeBytes - a.sizeBytes).slice(0, limit);
}

export function compareToMarkdown(result: CompareResult): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const smoked = result.before.smoke !== undefined || result.after.smoke !== undefined;
  const lines = [
    '| | before | after |',
    '| --- | --- | --- |',
    `| Dockerfile | ${cell(result.before.dockerfile)} | ${cell(result.after.dockerfile)} |`,
    `| Image size | ${formatBytes(result.before.sizeBytes)} | ${formatBytes(result.after.sizeBytes)} |`,
    `| Layers | ${result.before.layers} | ${result.after.layers} |`,
    `| Build time | ${result.before.buildSeconds.toFixed(1)} s | ${result.after.buildSeconds.toFixed(1)} s |`,
    ...(smoked ? [`| Smoke run | ${describeSmoke(result.before.smoke)} | ${describeSmoke(result.after.smoke)} |`] : []),
    '',
    `**${formatSaving(result)}** (${result.savedBytes.toLocaleString('en-US')} bytes).`,
  ];
  if (result.behaviour) {
    const b = result.behaviour;
    lines.push('', `**Behaviour:** ${b.verdict}`, '', '| request | before | after |', '| --- | --- | --- |');
    for (const row of behaviourRows(b).slice(1)) lines.push(`| ${row.map((c) => cell(c).replace(/`/g, "'")).join(' | ')} |`);
    for (const note of b.notes) lines.push('', `_${cell(note)}_`);
  }
  for (const [side, report] of [['before', result.before], ['after', result.after]] as const) {
    lines.push('', `Largest layers, ${side} (${cell(report.dockerfile)}):`, '', '| line | layer | size |', '| ---: | --- | ---: |');
    for (const row of significantLayers(report)) {
      lines.push(`| ${row.line ?? ''} | \`${cell(shortCreatedBy(row.createdBy)).replace(/`/g, "'")}\` | ${formatBytes(row.sizeBytes)} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The behaviour check side by side: a header row, then one row per request (or exit code and output). */
export function behaviourRows(b: BehaviourReport): [string, string, string][] {
  if (b.kind === 'run') {
    const rows: [string, string, string][] = [['default command', 'before', 'after']];
    if (!b.run) return [...rows, ['started', b.sides.before.startError ?? 'yes', b.sides.after.startError ?? 'yes']];
    rows.push(['exit', describeRun(b.run.before), describeRun(b.run.after)]);
    rows.push(['output', outputCell(runOutputLines(b.run.before, 3)), outputCell(runOutputLines(b.run.after, 3))]);
    return rows;
  }
  const rows: [string, string, string][] = [['request', 'before', 'after']];
  for (const r of b.requests) {
    const port = b.requests.some((o) => o.port !== r.port) ? ` (:${r.port})` : '';
    rows.push([
      `${r.same ? '' : '≠ '}${r.method} ${r.path}${port}`,
      answerCell(r.before, r.bodiesDiffer),
      answerCell(r.after, r.bodiesDiffer),
    ]);
  }
  return rows;
}

function answerCell(answer: HttpAnswer, bodiesDiffer: boolean | undefined): string {
  const status = describeAnswer(answer);
  return bodiesDiffer && answer.bodyExcerpt !== undefined ? `${status} "${shorten(answer.bodyExcerpt, 30)}"` : status;
}

function outputCell(lines: string[]): string {
  return lines.length === 0 ? '(none)' : shorten(lines.join(' ⏎ '), 60);
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The history text without builder noise (`/bin/sh -c #(nop)`, `# buildkit`), one line, shortened. */
export function shortCreatedBy(createdBy: string, max = 90): string {
  const text = createdBy
    .replace(/^\/bin\/sh -c #\(nop\)\s+/, '')
    .replace(/^(RUN )?(\|\d+ (\S+=\S* )*)?\/bin\/sh -c /, 'RUN ')
    .replace(/\s+# buildkit$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
