// The results page as a pure function of the data: CSP and nonce discipline, escaping, folded base layers,
// and the validation of messages coming back from the page. (The browser-level checks are in
// test/docker/panelScreenshot.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, layerRowsForDisplay, parsePanelMessage, renderComparePanel } from '../../client/src/compare/panel';
import { sampleResult } from '../fixtures/compare-panel/sampleResult';

const env = { nonce: 'abc123', cspSource: 'vscode-webview://x', revealable: { before: true, after: false } };

test('panel: a strict CSP allows only the nonce for scripts and styles, and nothing remote', () => {
  const html = renderComparePanel(sampleResult, env);
  // The attribute is HTML-escaped (quotes as &#39;); the browser reads it unescaped.
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1]?.replace(/&#39;/g, "'");
  assert.ok(csp);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'nonce-abc123'(;|$)/);
  assert.match(csp, /style-src 'nonce-abc123'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  assert.deepEqual(scripts, ['<script nonce="abc123">']);
  assert.deepEqual(html.match(/<style\b[^>]*>/g), ['<style nonce="abc123">']);
  assert.doesNotMatch(html, /\sstyle="/, 'no inline style attributes (the CSP would block them)');
  assert.doesNotMatch(html, /\son[a-z]+="/, 'no inline event handlers');
  assert.doesNotMatch(html, /(src|href)="https?:/, 'no remote resources');
});

test('panel: untrusted names and history text are escaped', () => {
  const html = renderComparePanel(
    { ...sampleResult, before: { ...sampleResult.before, dockerfile: '"><script>alert(1)</script>', history: [
      { createdBy: "RUN echo '<b>' & x", sizeBytes: 1, hasFilesystemLayer: true, fromBaseImage: false, line: 3, instruction: 'RUN' },
    ] } },
    env,
  );
  assert.doesNotMatch(html, /<script>alert/);
  assert.match(html, /&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(html, /RUN echo &#39;&lt;b&gt;&#39; &amp; x/);
  assert.equal(escapeHtml(`<&>"'`), '&lt;&amp;&gt;&quot;&#39;');
});

test('panel: rows are clickable only on sides that can be revealed', () => {
  const html = renderComparePanel(sampleResult, env);
  assert.match(html, /data-side="before" data-line="\d+"/);
  assert.doesNotMatch(html, /data-side="after"/);
});

test('panel: base-image entries fold into one row on the FROM line, own layers keep build order', () => {
  const rows = layerRowsForDisplay(sampleResult.after);
  assert.equal(rows[0].fromBaseImage, true);
  assert.equal(rows[0].instruction, 'FROM');
  assert.equal(rows[0].sizeBytes, sampleResult.after.history.filter((r) => r.fromBaseImage).reduce((s, r) => s + r.sizeBytes, 0));
  const own = rows.slice(1).map((r) => r.line);
  assert.deepEqual(own, [...own].sort((a, b) => a! - b!));
});

test('panel: messages from the page are validated before the host acts on them', () => {
  assert.deepEqual(parsePanelMessage({ type: 'reveal', side: 'after', line: 9 }), { type: 'reveal', side: 'after', line: 9 });
  assert.deepEqual(parsePanelMessage({ type: 'copyMarkdown', extra: 1 }), { type: 'copyMarkdown' });
  assert.equal(parsePanelMessage({ type: 'reveal', side: 'elsewhere', line: 9 }), undefined);
  assert.equal(parsePanelMessage({ type: 'reveal', side: 'after', line: -1 }), undefined);
  assert.equal(parsePanelMessage({ type: 'reveal', side: 'after', line: '9' }), undefined);
  assert.equal(parsePanelMessage('saveJson'), undefined);
  assert.equal(parsePanelMessage(null), undefined);
});
