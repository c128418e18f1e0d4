// Text and Markdown renderings of an image X-ray: a summary, a row per Dockerfile line (what it added and
// what of that is wasted), the layers, the measured findings and the budgets. Layer texts and paths come
// from the image (untrusted): control characters are dropped for terminals, Markdown is escaped.
import { formatBytes } from '../analysis/bytes';
import { shortImageId } from '../analysis/imageReference';
import { shortCreatedBy } from '../docker/pure/compareMarkdown';
import type { XrayFinding, XrayReport } from '../xray/types';
import { painter } from './terminal';
import { formatPercent, type BudgetCheck } from './xrayBudgets';

export interface XrayRenderOptions {
  /** The Dockerfile's text, to show each line's instruction as written. */
  dockerfileText?: string;
  budgets?: BudgetCheck[];
  color?: boolean;
}

/** Drops C0/C1 control characters (terminal escapes) and collapses whitespace. */
export function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/\s+/g, ' ').trim();
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The instruction that starts on 1-based `line`, with its continuation lines joined. */
export function instructionSource(dockerfileText: string, line: number): string | undefined {
  const lines = dockerfileText.split(/\r?\n/);
  if (line < 1 || line > lines.length) return undefined;
  const parts: string[] = [];
  for (let i = line - 1; i < lines.length; i++) {
    const text = lines[i];
    if (/^\s*#/.test(text) && i > line - 1) continue; // comments inside a continued instruction
    const continued = /\\\s*$/.test(text);
    parts.push(continued ? text.replace(/\\\s*$/, '') : text);
    if (!continued) break;
  }
  return plain(parts.join(' '));
}

/** What a line's row calls it: the source when the Dockerfile is at hand, else the first layer's history text. */
function lineLabel(report: XrayReport, line: number, instruction: string, options: XrayRenderOptions, max: number): string {
  const source = options.dockerfileText ? instructionSource(options.dockerfileText, line) : undefined;
  if (source) return shorten(source, max);
  const layer = report.layers.find((l) => l.line === line);
  return shorten(layer ? plain(shortCreatedBy(layer.createdBy, max)) : instruction, max);
}


/** The image as named, an image id (what --build leaves once its tag is gone) shortened as `docker images` does. */
function imageName(report: XrayReport): string {
  return /^sha256:[0-9a-f]{64}$/.test(report.image) ? shortImageId(report.image) : plain(report.image);
}

/**
 * What the waste figure's parenthesis says: the share of the user's own layers, and their bytes when the base
 * image wastes some too (else "6.7 MB (13.8% of your layers)" reads as if the 6.7 MB were all the user's).
 */
function userWaste(report: XrayReport): string {
  const userBytes = report.layers.reduce((sum, l) => sum + (l.fromBaseImage ? 0 : l.wastedBytes), 0);
  return userBytes === report.wastedBytes
    ? `${formatPercent(report.userWastedRatio)} of your layers`
    : `your layers: ${formatBytes(userBytes)}, ${formatPercent(report.userWastedRatio)}`;
}

export function summaryLine(report: XrayReport): string {
  return [
    `size ${formatBytes(report.totalBytes)}`,
    `wasted ${formatBytes(report.wastedBytes)} (${userWaste(report)})`,
    `efficiency ${formatPercent(report.efficiency)}`,
    `final filesystem ${formatBytes(report.finalBytes)}`,
    `${report.layers.length} layer${report.layers.length === 1 ? '' : 's'}`,
  ].join(' · ');
}

export function findingWhere(finding: XrayFinding): string {
  return finding.line !== undefined ? `line ${finding.line}` : `layer ${finding.layerIndex}`;
}

function alignRows(rows: string[][], rightAligned: readonly number[]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) =>
    r.map((cell, c) => (rightAligned.includes(c) ? cell.padStart(widths[c]) : c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ').trimEnd(),
  );
}

export function formatXrayText(report: XrayReport, options: XrayRenderOptions = {}): string {
  const paint = painter(options.color ?? false);
  const out: string[] = [];
  const id = shortImageId(report.imageId);
  out.push(`${paint('bold', imageName(report))}${imageName(report) === id ? '' : `  ${id}`}  (${report.engine}, ${report.layout}, read in ${report.seconds.toFixed(1)} s)`);
  if (report.dockerfile) out.push(`Dockerfile: ${plain(report.dockerfile)}${report.target ? ` (target ${plain(report.target)})` : ''}`);
  out.push('', summaryLine(report), `dive: efficiency ${formatPercent(report.efficiency)}, wasted ${formatBytes(report.diveWastedBytes)}`);

  out.push('');
  if (report.lines.length > 0) {
    const rows = [['Line', 'Added', 'Wasted', 'Instruction']];
    for (const l of [...report.lines].sort((a, b) => a.line - b.line)) {
      rows.push([String(l.line), formatBytes(l.addedBytes), formatBytes(l.wastedBytes), lineLabel(report, l.line, l.instruction, options, 70)]);
    }
    const unmapped = report.layers.filter((l) => l.line === undefined);
    if (unmapped.length > 0) {
      const added = unmapped.reduce((n, l) => n + l.addedBytes, 0);
      const wasted = unmapped.reduce((n, l) => n + l.wastedBytes, 0);
      rows.push(['?', formatBytes(added), formatBytes(wasted), `${unmapped.length} layer${unmapped.length === 1 ? '' : 's'} not mapped to a line`]);
    }
    const aligned = alignRows(rows, [0, 1, 2]);
    out.push(paint('underline', aligned[0]), ...aligned.slice(1).map((row, i) => (rows[i + 1][2] !== formatBytes(0) ? paint('yellow', row) : row)));
  } else {
    out.push('No Dockerfile lines: name the Dockerfile (--dockerfile FILE, or --build FILE) to map layers to lines.');
  }

  out.push('', 'Layers:');
  const layerRows = [['#', 'Line', 'Added', 'Wasted', 'Hides', 'Created by']];
  for (const l of report.layers) {
    const created = plain(shortCreatedBy(l.createdBy, 60));
    layerRows.push([String(l.index), l.line !== undefined ? String(l.line) : '', formatBytes(l.addedBytes), formatBytes(l.wastedBytes), formatBytes(l.hidesBytes), [created, l.fromBaseImage ? '(base image)' : ''].filter(Boolean).join(' ')]);
  }
  out.push(...alignRows(layerRows, [0, 1, 2, 3, 4]).map((r) => `  ${r}`));

  out.push('', report.findings.length > 0 ? 'Findings:' : 'Findings: none');
  for (const f of report.findings) {
    out.push(`  ${findingWhere(f).padEnd(8)}  ${formatBytes(f.bytes).padStart(9)}  ${plain(f.message)}${'ruleId' in f && f.ruleId ? `  [${f.ruleId}]` : ''}`);
  }

  if (options.budgets && options.budgets.length > 0) {
    out.push('', 'Budgets:');
    for (const b of options.budgets) out.push(`  ${b.passed ? paint('green', '✔') : paint('red', '✘')} ${b.message}`);
  }
  return `${out.join('\n')}\n`;
}

/** Text safe in Markdown prose and table cells: no HTML, no emphasis, no table breaks. */
export function mdText(text: string): string {
  return plain(text).replace(/[\\`*_[\]<>|#~]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`));
}

/** An inline code span that cannot be closed early or break a table row. */
export function mdCode(text: string): string {
  return `\`${plain(text).replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

/** A summary for a pull-request comment: budgets first (what a reviewer must act on), then lines and findings. */
export function formatXrayMarkdown(report: XrayReport, options: XrayRenderOptions = {}): string {
  const out: string[] = [];
  const failed = options.budgets?.some((b) => !b.passed) ?? false;
  out.push(`### Image X-ray: ${mdCode(imageName(report))}${failed ? ' — over budget' : ''}`, '');
  out.push(
    `**${formatBytes(report.totalBytes)}** in ${report.layers.length} layer${report.layers.length === 1 ? '' : 's'} · ` +
      `**${formatBytes(report.wastedBytes)} wasted** (${userWaste(report)}) · ` +
      `efficiency **${formatPercent(report.efficiency)}** · final filesystem ${formatBytes(report.finalBytes)}` +
      (report.dockerfile ? ` · ${mdCode(report.dockerfile)}${report.target ? ` target ${mdCode(report.target)}` : ''}` : ''),
  );
  if (options.budgets && options.budgets.length > 0) {
    out.push('', '| Budget | Limit | Measured | |', '| --- | ---: | ---: | :---: |');
    for (const b of options.budgets) {
      const value = (n: number) => (b.budget === 'min-efficiency' ? formatPercent(n) : formatBytes(n));
      out.push(`| ${b.budget} | ${value(b.limit)} | ${value(b.actual)} | ${b.passed ? '✅' : '❌'} |`);
    }
  }
  if (report.lines.length > 0) {
    out.push('', '| Line | Instruction | Added | Wasted |', '| ---: | --- | ---: | ---: |');
    for (const l of [...report.lines].sort((a, b) => a.line - b.line)) {
      out.push(`| ${l.line} | ${mdCode(lineLabel(report, l.line, l.instruction, options, 80))} | ${formatBytes(l.addedBytes)} | ${l.wastedBytes > 0 ? `**${formatBytes(l.wastedBytes)}**` : formatBytes(0)} |`);
    }
  }
  if (report.findings.length > 0) {
    out.push('', '**Measured findings**', '');
    for (const f of report.findings) {
      const rule = 'ruleId' in f && f.ruleId ? ` (fix: ${mdCode(f.ruleId)})` : '';
      out.push(`- ${findingWhere(f).replace(/^l/, 'L')}: ${mdText(f.message)}${rule}`);
    }
  }
  out.push('', `<details><summary>${report.layers.length} layer${report.layers.length === 1 ? '' : 's'}</summary>`, '');
  out.push('| # | Line | Added | Wasted | Created by |', '| ---: | ---: | ---: | ---: | --- |');
  for (const l of report.layers) {
    const created = plain(shortCreatedBy(l.createdBy, 80));
    const label = [created ? mdCode(created) : '', l.fromBaseImage ? '(base image)' : ''].filter(Boolean).join(' ');
    out.push(`| ${l.index} | ${l.line ?? ''} | ${formatBytes(l.addedBytes)} | ${formatBytes(l.wastedBytes)} | ${label} |`);
  }
  out.push('', '</details>');
  return `${out.join('\n')}\n`;
}

/** "wasted 41.0 MB → 0 B (−41.0 MB); efficiency 91.2% → 99.9% (+8.7 points)": what changed between two x-rays. */
export function xrayDifference(before: XrayReport, after: XrayReport): string {
  const delta = (n: number) => (n === 0 ? '±0' : `${n > 0 ? '+' : '−'}${formatBytes(Math.abs(n))}`);
  const points = (after.efficiency - before.efficiency) * 100;
  const pointText = Math.abs(points) < 0.05 ? '±0.0 points' : `${points > 0 ? '+' : '−'}${Math.abs(points).toFixed(1)} points`;
  return [
    `size ${formatBytes(before.totalBytes)} → ${formatBytes(after.totalBytes)} (${delta(after.totalBytes - before.totalBytes)})`,
    `wasted ${formatBytes(before.wastedBytes)} → ${formatBytes(after.wastedBytes)} (${delta(after.wastedBytes - before.wastedBytes)})`,
    `efficiency ${formatPercent(before.efficiency)} → ${formatPercent(after.efficiency)} (${pointText})`,
  ].join('; ');
}
