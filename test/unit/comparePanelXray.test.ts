// The Build and Compare page with an X-ray of each side: efficiency and wasted bytes on the cards, the
// change of efficiency under the saving, a per-line table (added, wasted, what was found there), escaped,
// revealable like the layer rows; nothing of it without an X-ray, and a named reason when it failed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderComparePanel } from '../../client/src/compare/panel';
import { xrayLineRows } from '../../client/src/compare/xrayTable';
import type { CompareResult } from '../../server/src/docker/pure/compareTypes';
import { sampleResult } from '../fixtures/compare-panel/sampleResult';
import { SAMPLE_REPORT } from '../fixtures/xray-editor/sampleReport';

const env = { nonce: 'n0nce', cspSource: '', revealable: { before: false, after: true } };
const leaner = { ...SAMPLE_REPORT, efficiency: 0.998, wastedBytes: 0, userWastedRatio: 0, findings: [], lines: SAMPLE_REPORT.lines.map((l) => ({ ...l, wastedBytes: 0 })) };
const xrayed: CompareResult = {
  ...sampleResult,
  before: { ...sampleResult.before, xray: SAMPLE_REPORT },
  after: { ...sampleResult.after, xray: leaner },
};

const field = (html: string, id: string) => new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(html)?.[1];
const tableRows = (html: string, id: string) => {
  const table = new RegExp(`<table id="${id}">([\\s\\S]*?)</table>`).exec(html)?.[1] ?? '';
  return [...table.matchAll(/<tr( class="reveal"[^>]*)?>([\s\S]*?)<\/tr>/g)].slice(1).map((m) => ({
    revealable: Boolean(m[1]),
    cells: [...m[2].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1].replace(/<span class="finding">/g, '').replace(/<\/span>/g, ' | ').replace(/<[^>]+>/g, '').trim()),
  }));
};

test('panel x-ray: each card shows the efficiency score and the wasted bytes', () => {
  const html = renderComparePanel(xrayed, env);
  assert.equal(field(html, 'before-efficiency'), '90.4 %');
  assert.equal(field(html, 'after-efficiency'), '99.8 %');
  assert.equal(field(html, 'before-wasted'), '41.0 MB (11.6 % of own layers)');
  assert.equal(field(html, 'efficiency-change'), 'Efficiency 90.4 % → 99.8 % · wasted 41.0 MB → 0 B');
});

test('panel x-ray: the per-line table lists each measured line with added and wasted bytes and its findings', () => {
  const html = renderComparePanel(xrayed, env);
  const before = tableRows(html, 'before-xray-table');
  assert.deepEqual(before.map((r) => r.cells.slice(0, 4)), [
    ['1', 'FROM', '74.8 MB', '—'],
    ['3', 'RUN', '312.4 MB', '—'],
    ['5', 'COPY', '41.0 MB', '41.0 MB'],
    ['6', 'RUN', '0 B', '—'],
  ]);
  assert.equal(before[1].cells[5], '42.1 MB of apt lists stay in this layer |');
  assert.match(before[2].cells[5], /^41\.0 MB added here are deleted by line 6/);
  // Rows reveal their line only on a side whose Dockerfile the host can open.
  assert.ok(before.every((r) => !r.revealable));
  assert.ok(tableRows(html, 'after-xray-table').every((r) => r.revealable));
  assert.match(html, /<h2>Per line — before <span class="muted">X-ray: efficiency 90\.4 %, 41\.0 MB wasted<\/span><\/h2>/);
});

test('panel x-ray: findings and instructions from the image are escaped; the page keeps its CSP discipline', () => {
  const hostile = {
    ...SAMPLE_REPORT,
    lines: [{ line: 2, instruction: '<img src=x>', addedBytes: 1, wastedBytes: 0, layers: [1] }],
    findings: [{ ...SAMPLE_REPORT.findings[0], line: 2, message: '<script>alert(1)</script> in /tmp/"x"' }],
  } as typeof SAMPLE_REPORT;
  const html = renderComparePanel({ ...xrayed, before: { ...xrayed.before, xray: hostile } }, env);
  assert.doesNotMatch(html, /<script>alert|<img src=x>/);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt; in \/tmp\/&quot;x&quot;/);
  assert.deepEqual(html.match(/<script\b[^>]*>/g), ['<script nonce="n0nce">']);
  assert.doesNotMatch(html, /\sstyle="/);
});

test('panel x-ray: without an X-ray the page has none of it; a failed X-ray is named on its card', () => {
  const plain = renderComparePanel(sampleResult, env);
  assert.doesNotMatch(plain, /xray-table|efficiency/);
  const failed = renderComparePanel({ ...sampleResult, after: { ...sampleResult.after, xrayError: 'docker save failed: no space left on device' } }, env);
  assert.equal(field(failed, 'after-xray-error'), 'not available: docker save failed: no space left on device');
  assert.doesNotMatch(failed, /efficiency-change/);
});

test('panel x-ray: rows sum the layers of a line and keep findings of lines without layers', () => {
  const rows = xrayLineRows({
    ...SAMPLE_REPORT,
    lines: [{ line: 4, instruction: 'RUN', addedBytes: 10, wastedBytes: 2, layers: [1] }, { line: 4, instruction: 'RUN', addedBytes: 5, wastedBytes: 1, layers: [2] }],
    findings: [{ kind: 'duplicate', layerIndex: 3, line: 9, bytes: 7, files: 1, examples: ['/a'], message: 'dup' }, { kind: 'duplicate', layerIndex: 3, bytes: 7, files: 1, examples: ['/b'], message: 'nowhere' }],
  });
  assert.deepEqual(rows, [
    { line: 4, instruction: 'RUN', addedBytes: 15, wastedBytes: 3, findings: [] },
    { line: 9, instruction: '', addedBytes: 0, wastedBytes: 0, findings: ['dup'] },
  ]);
});
