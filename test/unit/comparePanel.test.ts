// The results page as a pure function of the data: CSP and nonce discipline, escaping, folded base layers,
// and the validation of messages coming back from the page. (The browser-level checks are in
// test/docker/panelScreenshot.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, layerRowsForDisplay, parsePanelMessage, renderComparePanel } from '../../client/src/compare/panel';
import { sampleResult } from '../fixtures/compare-panel/sampleResult';
import { httpBehaviourResult, runBehaviourResult } from '../fixtures/compare-panel/behaviourResults';
import { compareToMarkdown } from '../../server/src/docker/pure/compareMarkdown';

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

test('panel: the behaviour section shows each request with what each image answered, differences marked, and the verdict', () => {
  const html = renderComparePanel(httpBehaviourResult, env);
  const section = /<section id="behaviour">([\s\S]*?)<\/section>/.exec(html)?.[1];
  assert.ok(section, 'a behaviour section');
  assert.match(section, /<p class="verdict differs" id="behaviour-verdict">After differs from Before on 1 of 5 requests: GET \/about\/ 200 → 404\.<\/p>/);
  const rows = [...section.matchAll(/<tr class="(differs)?">([\s\S]*?)<\/tr>/g)].map((m) => ({
    differs: m[1] === 'differs',
    cells: [...m[2].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1].replace(/<span class="muted excerpt">[\s\S]*?<\/span>/, '').replace(/<[^>]+>/g, '').trim()),
  }));
  assert.deepEqual(rows.map((r) => [r.differs, ...r.cells]), [
    [false, 'GET / default', '200', '200'],
    [false, 'GET /health.txt healthcheck', '200', '200'],
    [true, 'GET /about/', '200', '404'],
    [false, 'POST /cgi-bin/register', '201', '201'],
    [false, 'GET /cgi-bin/count', '200', '200'],
  ]);
  assert.match(section, /404 Not Found/, 'the start of each body is shown');
  // Still one script, no inline styles: the section obeys the same CSP.
  assert.deepEqual(html.match(/<script\b[^>]*>/g), ['<script nonce="abc123">']);
  assert.doesNotMatch(html, /\sstyle="/);
});

test('panel: an image without a port shows exit code and output side by side; no behaviour, no section', () => {
  const html = renderComparePanel(runBehaviourResult, env);
  assert.match(html, /id="behaviour-verdict">After behaves like Before: both exited 0 with the same output\.</);
  assert.match(html, /<td>Exit<\/td><td class="mono pre">exited 0 after [\d.]+ s<\/td>/);
  assert.match(html, /<td>Output<\/td><td class="mono pre">hello<\/td><td class="mono pre">hello<\/td>/);
  assert.doesNotMatch(renderComparePanel(sampleResult, env), /id="behaviour"/);
});

test('panel: answers from the images are untrusted and escaped', () => {
  const b = httpBehaviourResult.behaviour!;
  const hostile = { ...httpBehaviourResult, behaviour: { ...b, requests: [{ ...b.requests[0], path: '/<img src=x onerror=alert(1)>', after: { status: 200, bodyExcerpt: '<script>alert(2)</script>' } }] } };
  const html = renderComparePanel(hostile, env);
  assert.doesNotMatch(html, /<img src=x|<script>alert/);
  assert.match(html, /&lt;script&gt;alert\(2\)&lt;\/script&gt;/);
});

test('Markdown copy: the behaviour verdict and a request | before | after table', () => {
  const md = compareToMarkdown(httpBehaviourResult);
  assert.match(md, /\*\*Behaviour:\*\* After differs from Before on 1 of 5 requests: GET \/about\/ 200 → 404\./);
  assert.match(md, /\| request \| before \| after \|\n\| --- \| --- \| --- \|\n\| GET \/ \| 200 \| 200 \|/);
  assert.match(md, /\| ≠ GET \/about\/ \| 200 \| 404 \|/);
  const run = compareToMarkdown(runBehaviourResult);
  assert.match(run, /\| exit \| exited 0 after [\d.]+ s \| exited 0 after [\d.]+ s \|/);
  assert.match(run, /\| output \| hello \| hello \|/);
});

test('JSON: the behaviour check has the SPEC 6.1 shape', () => {
  const json = JSON.parse(JSON.stringify(httpBehaviourResult));
  assert.equal(typeof json.behaviour.verdict, 'string');
  for (const r of json.behaviour.requests) {
    assert.equal(typeof r.method, 'string');
    assert.match(r.path, /^\//);
    assert.equal(typeof r.before.status, 'number');
    assert.equal(typeof r.after.status, 'number');
  }
});
