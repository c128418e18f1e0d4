// The X-ray parts of the Build and Compare page: each side's efficiency score and wasted bytes on its card,
// and a per-line table (what each Dockerfile line added, how much of it is wasted, what was found there).
// Pure HTML from plain data; every text from the image is escaped.
import { formatBytes } from '../../../server/src/analysis/bytes';
import type { ImageReport, Side } from '../../../server/src/docker/pure/compareTypes';
import type { XrayReport } from '../../../server/src/xray/types';
import { formatEfficiency } from '../xray/lineAnnotations';
import { escapeHtml } from './html';

/** Rows for the side's card: [label, value, element id]. */
export function xrayCardRows(side: Side, report: ImageReport): [string, string, string][] {
  if (report.xray) {
    const x = report.xray;
    return [
      ['Efficiency', formatEfficiency(x.efficiency), `${side}-efficiency`],
      ['Wasted', `${formatBytes(x.wastedBytes)} (${(x.userWastedRatio * 100).toFixed(1)} % of own layers)`, `${side}-wasted`],
    ];
  }
  if (report.xrayError) return [['X-ray', `not available: ${report.xrayError}`, `${side}-xray-error`]];
  return [];
}

/** "Efficiency 90.4 % → 99.8 %" under the saving, when both sides were X-rayed. */
export function efficiencyChange(before: ImageReport, after: ImageReport): string {
  if (!before.xray || !after.xray) return '';
  const text = `Efficiency ${formatEfficiency(before.xray.efficiency)} → ${formatEfficiency(after.xray.efficiency)} · wasted ${formatBytes(before.xray.wastedBytes)} → ${formatBytes(after.xray.wastedBytes)}`;
  return `<p class="muted" id="efficiency-change">${escapeHtml(text)}</p>`;
}

export interface XrayLineRow {
  line: number;
  instruction: string;
  addedBytes: number;
  wastedBytes: number;
  findings: string[];
}

/** One row per Dockerfile line the X-ray measured, in file order; findings without a line are left to the summary. */
export function xrayLineRows(report: XrayReport): XrayLineRow[] {
  const rows = new Map<number, XrayLineRow>();
  for (const l of report.lines) {
    const row = rows.get(l.line) ?? { line: l.line, instruction: l.instruction, addedBytes: 0, wastedBytes: 0, findings: [] };
    row.addedBytes += l.addedBytes;
    row.wastedBytes += l.wastedBytes;
    rows.set(l.line, row);
  }
  for (const f of report.findings) {
    if (f.line === undefined) continue;
    const row = rows.get(f.line) ?? { line: f.line, instruction: '', addedBytes: 0, wastedBytes: 0, findings: [] };
    row.findings.push(f.message);
    rows.set(f.line, row);
  }
  return [...rows.values()].sort((a, b) => a.line - b.line);
}

export function xrayLineTable(side: Side, report: ImageReport, revealable: boolean): string {
  const x = report.xray;
  if (!x) return '';
  const rows = xrayLineRows(x);
  const max = Math.max(1, ...rows.map((r) => r.addedBytes));
  const body = rows
    .map((row) => {
      const attrs = revealable ? ` class="reveal" data-side="${side}" data-line="${row.line}" tabindex="0" title="Reveal line ${row.line}"` : '';
      const w = row.addedBytes > 0 ? Math.max(3, Math.round((row.addedBytes / max) * 120)) : 0;
      const waste = row.wastedBytes > 0 ? Math.max(2, Math.round((row.wastedBytes / max) * 120)) : 0;
      return `<tr${attrs}>
        <td class="num">${row.line}</td>
        <td class="mono">${escapeHtml(row.instruction)}</td>
        <td class="num">${escapeHtml(formatBytes(row.addedBytes))}</td>
        <td class="num${row.wastedBytes > 0 ? ' wasted' : ''}">${row.wastedBytes > 0 ? escapeHtml(formatBytes(row.wastedBytes)) : '—'}</td>
        <td><svg width="120" height="10"><rect class="bar ${side}" x="0" y="1" width="${w}" height="8" rx="2"></rect><rect class="bar wasted" x="${Math.max(0, w - waste)}" y="1" width="${Math.min(w, waste)}" height="8" rx="2"></rect></svg></td>
        <td class="findings">${row.findings.map((f) => `<span class="finding">${escapeHtml(f)}</span>`).join('')}</td>
      </tr>`;
    })
    .join('');
  const unplaced = x.findings.filter((f) => f.line === undefined);
  return `<section>
  <h2>Per line — ${side} <span class="muted">X-ray: efficiency ${escapeHtml(formatEfficiency(x.efficiency))}, ${escapeHtml(formatBytes(x.wastedBytes))} wasted</span></h2>
  <table id="${side}-xray-table">
    <colgroup><col class="line"><col class="instruction"><col class="size"><col class="size"><col class="bar"><col></colgroup>
    <thead><tr><th class="num">Line</th><th>Instruction</th><th class="num">Added</th><th class="num">Wasted</th><th></th><th>Measured</th></tr></thead>
    <tbody>${body || '<tr><td colspan="6" class="muted">No layer could be tied to a line of this Dockerfile.</td></tr>'}</tbody>
  </table>
  ${unplaced.map((f) => `<p class="muted note">${escapeHtml(f.message)}</p>`).join('')}
</section>`;
}

export const XRAY_STYLES = `
.bar.wasted { fill: var(--vscode-errorForeground, #f48771); }
td.wasted { color: var(--vscode-errorForeground, #f48771); }
td.findings { white-space: normal; } .finding { display: block; }
`;
