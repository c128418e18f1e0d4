// The Build and Compare results page, rendered from plain data by a pure function so that it can be
// tested (and screenshotted) in a plain browser. Everything shown from the comparison is untrusted —
// file names, build history text — and is escaped; the page runs one script, carrying the nonce, and the
// Content-Security-Policy blocks every other script, remote resource and inline style attribute.
import { describeBase, describeSmoke, formatSaving, shortCreatedBy } from '../../../server/src/docker/pure/compareMarkdown';
import { formatBytes } from '../../../server/src/analysis/bytes';
import { shortImageId } from '../../../server/src/analysis/imageReference';
import type { CompareResult, ImageReport, LayerRow, Side } from '../../../server/src/docker/pure/compareTypes';
import { describeAnswer, describeRun, runOutputLines } from '../../../server/src/docker/pure/behaviourPlan';
import { escapeHtml } from './html';
import { XRAY_STYLES, efficiencyChange, xrayCardRows, xrayLineTable } from './xrayTable';
import type { BehaviourReport, HttpAnswer } from '../../../server/src/docker/pure/behaviourTypes';

export interface PanelEnvironment {
  /** Fresh per render: the only script and style allowed to run. */
  nonce: string;
  /** `webview.cspSource` (empty outside VS Code). */
  cspSource: string;
  /** Sides whose rows can be clicked to reveal the line (their Dockerfile text is known to the host). */
  revealable: Record<Side, boolean>;
}

/** Messages the page posts to the extension. */
export type PanelMessage =
  | { type: 'reveal'; side: Side; line: number }
  | { type: 'copyMarkdown' }
  | { type: 'saveJson' };

export { escapeHtml };

export function renderComparePanel(result: CompareResult, env: PanelEnvironment): string {
  const nonce = escapeHtml(env.nonce);
  const csp = [
    "default-src 'none'",
    `img-src ${env.cspSource} data:`.trim(),
    `style-src 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Build and Compare</title>
<style nonce="${nonce}">${STYLES}${XRAY_STYLES}</style>
</head>
<body>
<header>
  <h1>Build and Compare</h1>
  <p class="muted">${escapeHtml(result.builder === 'legacy' ? 'Legacy builder' : 'BuildKit')} · finished ${escapeHtml(result.finishedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}</p>
  <div class="actions">
    <button id="copy-markdown" type="button">Copy as Markdown</button>
    <button id="save-json" type="button">Save JSON</button>
  </div>
</header>
<section class="saving ${result.savedBytes > 0 ? 'smaller' : result.savedBytes < 0 ? 'larger' : ''}" id="saving">
  <span class="saving-text" id="saving-text">${escapeHtml(formatSaving(result))}</span>
  <span class="muted" id="saved-bytes">${escapeHtml(result.savedBytes.toLocaleString('en-US'))} bytes</span>
</section>
${efficiencyChange(result.before, result.after)}
<section class="cards">
  ${card('before', result.before)}
  ${card('after', result.after)}
</section>
<section>
  <h2>Image size</h2>
  ${barChart(result)}
</section>
${result.behaviour ? behaviourSection(result.behaviour) : ''}
${xrayLineTable('before', result.before, env.revealable.before)}
${xrayLineTable('after', result.after, env.revealable.after)}
${layerTable('before', result.before, env.revealable.before)}
${layerTable('after', result.after, env.revealable.after)}
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>`;
}

function card(side: Side, report: ImageReport): string {
  const rows: [string, string, string][] = [
    ['Image size', `${formatBytes(report.sizeBytes)}`, `${side}-size`],
    ['Bytes', report.sizeBytes.toLocaleString('en-US'), `${side}-bytes`],
    ['Layers', String(report.layers), `${side}-layers`],
    ['Build time', `${report.buildSeconds.toFixed(1)} s`, `${side}-build-time`],
  ];
  if (report.target) rows.push(['Target', report.target, `${side}-target`]);
  if (report.smoke) rows.push(['Smoke run', describeSmoke(report.smoke), `${side}-smoke`]);
  if (report.keptTag) rows.push(['Kept as', report.keptTag, `${side}-tag`]);
  rows.push(...xrayCardRows(side, report));
  return `<div class="card ${side}">
    <h2>${side === 'before' ? 'Before' : 'After'}</h2>
    <p class="file" title="${escapeHtml(report.dockerfile)}">${escapeHtml(report.dockerfile)}</p>
    <dl>${rows.map(([k, v, id]) => `<dt>${escapeHtml(k)}</dt><dd id="${id}">${escapeHtml(v)}</dd>`).join('')}</dl>
    <p class="muted mono" title="${escapeHtml(report.imageId)}">${escapeHtml(shortImageId(report.imageId))}</p>
  </div>`;
}

const MIN_BAR_PX = 6;

/**
 * What the "Created by" cell shows: the Dockerfile instruction when the legacy builder recorded only a
 * content hash (`COPY file:b177… in ./`), else the history text.
 */
export function createdByText(row: LayerRow): string {
  if (row.source && /\b(file|dir|multi):[0-9a-f]{8,}/.test(row.createdBy)) return row.source;
  return row.createdBy;
}

function barChart(result: CompareResult): string {
  const max = Math.max(result.before.sizeBytes, result.after.sizeBytes, 1);
  const width = 600;
  const labelWidth = 70;
  const barMax = width - labelWidth - 110;
  const bar = (side: Side, report: ImageReport, y: number) => {
    // Never thinner than MIN_BAR_PX: a 5 MB image next to a 900 MB one must still show a bar (its value is labelled).
    const w = Math.max(MIN_BAR_PX, Math.round((report.sizeBytes / max) * barMax));
    return `<text x="0" y="${y + 17}" class="label">${side}</text>
    <rect id="${side}-bar" class="bar ${side}" x="${labelWidth}" y="${y}" width="${w}" height="24" rx="3"></rect>
    <text x="${labelWidth + w + 8}" y="${y + 17}" class="value">${escapeHtml(formatBytes(report.sizeBytes))}</text>`;
  };
  return `<svg class="chart" viewBox="0 0 ${width} 72" width="${width}" height="72" role="img" aria-label="${escapeHtml(`before ${formatBytes(result.before.sizeBytes)}, after ${formatBytes(result.after.sizeBytes)}`)}">
    ${bar('before', result.before, 4)}
    ${bar('after', result.after, 40)}
  </svg>`;
}

/** What both images answered, side by side, under a one-line verdict. */
export function behaviourSection(b: BehaviourReport): string {
  const head = `<h2>Behaviour</h2>
  <p class="verdict ${b.alike ? 'alike' : 'differs'}" id="behaviour-verdict">${escapeHtml(b.verdict)}</p>`;
  const notes = b.notes.map((n) => `<p class="muted note">${escapeHtml(n)}</p>`).join('');
  const logs = (['before', 'after'] as const)
    .filter((side) => !b.alike && b.sides[side].logTail.length > 0)
    .map((side) => `<details><summary>${side === 'before' ? 'Before' : 'After'}: last log lines</summary><pre class="mono">${escapeHtml(b.sides[side].logTail.join('\n'))}</pre></details>`)
    .join('');
  if (b.kind === 'run') {
    const rows = b.run
      ? [
          ['Exit', describeRun(b.run.before), describeRun(b.run.after), b.run.sameExitCode],
          ['Output', runOutputLines(b.run.before).join('\n') || '(none)', runOutputLines(b.run.after).join('\n') || '(none)', b.run.sameOutput],
        ] as const
      : [['Started', b.sides.before.startError ?? 'yes', b.sides.after.startError ?? 'yes', false] as const];
    const body = rows
      .map(([what, before, after, same]) => `<tr class="${same ? '' : 'differs'}"><td>${escapeHtml(what)}</td><td class="mono pre">${escapeHtml(before)}</td><td class="mono pre">${escapeHtml(after)}</td></tr>`)
      .join('');
    return `<section id="behaviour">
  ${head}
  <table id="behaviour-table"><colgroup><col class="request"><col><col></colgroup>
    <thead><tr><th>Default command</th><th>Before</th><th>After</th></tr></thead><tbody>${body}</tbody></table>
  ${notes}${logs}
</section>`;
  }
  const multiplePorts = new Set(b.requests.map((r) => r.port)).size > 1;
  const body = b.requests
    .map((r) => `<tr class="${r.same ? '' : 'differs'}">
        <td class="mono">${escapeHtml(`${r.method} ${r.path}${multiplePorts ? ` (:${r.port})` : ''}`)}${r.source === 'user' ? '' : ` <span class="muted">${escapeHtml(r.source)}</span>`}</td>
        ${answerCell(r.before, r.bodiesDiffer)}
        ${answerCell(r.after, r.bodiesDiffer)}
      </tr>`)
    .join('');
  return `<section id="behaviour">
  ${head}
  <table id="behaviour-table"><colgroup><col class="request"><col><col></colgroup>
    <thead><tr><th>Request</th><th>Before</th><th>After</th></tr></thead><tbody>${body}</tbody></table>
  ${notes}${logs}
</section>`;
}

function answerCell(answer: HttpAnswer, bodiesDiffer: boolean | undefined): string {
  const excerpt = answer.bodyExcerpt ? `<span class="muted excerpt">${escapeHtml(answer.bodyExcerpt)}</span>` : '';
  const flag = bodiesDiffer ? ' <span class="muted">(body differs)</span>' : '';
  return `<td title="${escapeHtml(answer.bodyExcerpt ?? answer.error ?? '')}"><span class="status">${escapeHtml(describeAnswer(answer))}</span>${flag}${excerpt}</td>`;
}

/** Rows in build order; the base image's entries folded into one row on the FROM line. */
export function layerRowsForDisplay(report: ImageReport): LayerRow[] {
  const base = report.history.filter((r) => r.fromBaseImage);
  const own = report.history.filter((r) => !r.fromBaseImage);
  if (base.length === 0) return own;
  const folded: LayerRow = {
    createdBy: describeBase(report, base),
    sizeBytes: base.reduce((sum, r) => sum + r.sizeBytes, 0),
    hasFilesystemLayer: true,
    fromBaseImage: true,
    ...(base[0].line !== undefined ? { line: base[0].line, instruction: 'FROM' } : {}),
  };
  return [folded, ...own];
}

function layerTable(side: Side, report: ImageReport, revealable: boolean): string {
  const rows = layerRowsForDisplay(report);
  const max = Math.max(1, ...rows.map((r) => r.sizeBytes));
  const body = rows
    .map((row) => {
      const clickable = revealable && row.line !== undefined;
      const attrs = clickable ? ` class="reveal" data-side="${side}" data-line="${row.line}" tabindex="0" title="Reveal line ${row.line}"` : '';
      const w = row.sizeBytes > 0 ? Math.max(3, Math.round((row.sizeBytes / max) * 120)) : 0;
      return `<tr${attrs}>
        <td class="num">${row.line ?? ''}</td>
        <td class="mono">${escapeHtml(row.instruction ?? '')}</td>
        <td class="mono created" title="${escapeHtml(row.createdBy)}">${escapeHtml(shortCreatedBy(createdByText(row), 110))}</td>
        <td class="num">${escapeHtml(formatBytes(row.sizeBytes))}</td>
        <td><svg width="120" height="10"><rect class="bar ${side}" x="0" y="1" width="${w}" height="8" rx="2"></rect></svg></td>
      </tr>`;
    })
    .join('');
  return `<section>
  <h2>Layers — ${side} <span class="muted">${escapeHtml(report.dockerfile)}</span></h2>
  <table id="${side}-layers-table">
    <colgroup><col class="line"><col class="instruction"><col><col class="size"><col class="bar"></colgroup>
    <thead><tr><th class="num">Line</th><th>Instruction</th><th>Created by</th><th class="num">Size</th><th></th></tr></thead>
    <tbody>${body || '<tr><td colspan="5" class="muted">No history available.</td></tr>'}</tbody>
  </table>
</section>`;
}

// Theme colours come from VS Code's CSS variables; the fallbacks are a dark theme for plain browsers.
const STYLES = `
:root { color-scheme: light dark; }
body { font-family: var(--vscode-font-family, system-ui, sans-serif); font-size: var(--vscode-font-size, 13px);
  color: var(--vscode-foreground, #cccccc); background: var(--vscode-editor-background, #1e1e1e); padding: 0 20px 24px; }
h1 { font-size: 1.5em; margin: 16px 0 2px; } h2 { font-size: 1.1em; margin: 18px 0 8px; }
.muted { color: var(--vscode-descriptionForeground, #9d9d9d); font-weight: normal; }
.mono { font-family: var(--vscode-editor-font-family, ui-monospace, monospace); }
header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 16px; }
header p { margin: 0; flex: 1; }
.actions { display: flex; gap: 8px; }
button { background: var(--vscode-button-background, #0e639c); color: var(--vscode-button-foreground, #ffffff);
  border: none; padding: 5px 12px; border-radius: 2px; cursor: pointer; font: inherit; }
button:hover { background: var(--vscode-button-hoverBackground, #1177bb); }
.saving { margin: 14px 0; padding: 10px 14px; border-left: 4px solid var(--vscode-textLink-foreground, #3794ff);
  background: var(--vscode-textBlockQuote-background, rgba(127,127,127,0.1)); display: flex; gap: 14px; align-items: baseline; }
.saving.smaller { border-left-color: var(--vscode-testing-iconPassed, #73c991); }
.saving.larger { border-left-color: var(--vscode-errorForeground, #f48771); }
.saving-text { font-size: 1.4em; font-weight: 600; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 12px; }
.card { border: 1px solid var(--vscode-panel-border, rgba(128,128,128,0.35)); border-radius: 4px; padding: 4px 14px 8px; }
.card h2 { margin-top: 8px; } .file { margin: 0 0 8px; word-break: break-all; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 3px 14px; margin: 0; }
dt { color: var(--vscode-descriptionForeground, #9d9d9d); } dd { margin: 0; }
.chart .label, .chart .value { fill: var(--vscode-foreground, #cccccc); font-size: 13px; }
.bar.before { fill: var(--vscode-charts-orange, #d18616); } .bar.after { fill: var(--vscode-charts-green, #89d185); }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
col.line { width: 52px; } col.instruction { width: 110px; } col.size { width: 90px; } col.bar { width: 136px; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--vscode-panel-border, rgba(128,128,128,0.25)); vertical-align: middle; }
th { color: var(--vscode-descriptionForeground, #9d9d9d); font-weight: 600; }
.num { text-align: right; white-space: nowrap; }
td.created { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
tr.reveal { cursor: pointer; }
.verdict { margin: 0 0 8px; padding: 6px 10px; border-left: 4px solid; font-weight: 600; }
.verdict.alike { border-left-color: var(--vscode-testing-iconPassed, #73c991); }
.verdict.differs { border-left-color: var(--vscode-errorForeground, #f48771); }
col.request { width: 34%; }
tr.differs td { background: var(--vscode-diffEditor-removedLineBackground, rgba(244,135,113,0.12)); }
.status { font-weight: 600; } .excerpt { display: block; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
td.pre { white-space: pre-wrap; } .note { margin: 6px 0; }
pre { white-space: pre-wrap; margin: 4px 0 8px; }
tr.reveal:hover, tr.reveal:focus { background: var(--vscode-list-hoverBackground, rgba(90,93,94,0.31)); outline: none; }
`;

// acquireVsCodeApi exists inside VS Code webviews; the browser test provides its own.
const SCRIPT = `
(function () {
  const vscode = acquireVsCodeApi();
  const post = (message) => vscode.postMessage(message);
  document.getElementById('copy-markdown').addEventListener('click', () => post({ type: 'copyMarkdown' }));
  document.getElementById('save-json').addEventListener('click', () => post({ type: 'saveJson' }));
  const reveal = (row) => post({ type: 'reveal', side: row.dataset.side, line: Number(row.dataset.line) });
  for (const row of document.querySelectorAll('tr.reveal')) {
    row.addEventListener('click', () => reveal(row));
    row.addEventListener('keydown', (event) => { if (event.key === 'Enter') reveal(row); });
  }
  document.body.dataset.ready = 'true';
})();
`;

/** Validates a message from the page: the page is ours, but its data went through the DOM. */
export function parsePanelMessage(message: unknown): PanelMessage | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const m = message as Record<string, unknown>;
  if (m.type === 'copyMarkdown' || m.type === 'saveJson') return { type: m.type };
  if (m.type === 'reveal' && (m.side === 'before' || m.side === 'after') && Number.isInteger(m.line) && (m.line as number) > 0) {
    return { type: 'reveal', side: m.side, line: m.line as number };
  }
  return undefined;
}
