// Page-side expressions are strings: the project's type-check has no DOM library, and tsx would wrap
// functions in helpers the page does not have.
// The results panel in a real browser (Debian's chromium through playwright-core): the numbers on the page,
// clicks posting the right messages, the CSP blocking every script without the nonce, and the screenshot
// kept at docs/images/compare-panel.png (rewritten when UPDATE_SCREENSHOT=1).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderComparePanel } from '../../client/src/compare/panel';
import type { CompareResult } from '../../server/src/docker/pure/compareTypes';
import { requirePart } from '../support/requirements';
import { sampleResult } from '../fixtures/compare-panel/sampleResult';
import { httpBehaviourResult } from '../fixtures/compare-panel/behaviourResults';
import { SAMPLE_REPORT } from '../fixtures/xray-editor/sampleReport';

const CHROMIUM = process.env.MULTISTAGE_TEST_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOT = join(__dirname, '..', '..', 'docs', 'images', 'compare-panel.png');
const BEHAVIOUR_SCREENSHOT = join(__dirname, '..', '..', 'docs', 'images', 'compare-behaviour.png');
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

let browser: Browser | undefined;
const scratch = mkdtempSync(join(tmpdir(), 'multistage-panel-'));

before(async () => {
  if (existsSync(CHROMIUM)) browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});
after(async () => {
  await browser?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** Opens the page with a stand-in for VS Code's acquireVsCodeApi that records posted messages. */
async function open(result: CompareResult, html = renderComparePanel(result, env())): Promise<Page> {
  const page = await browser!.newPage({ viewport: { width: 1100, height: 900 }, deviceScaleFactor: 1 });
  // A string, not a function: tsx would wrap a function's inner arrows in helpers the page does not have.
  await page.addInitScript(
    'window.posted = []; window.acquireVsCodeApi = function () { return { postMessage: function (m) { window.posted.push(m); } }; };',
  );
  // A real navigation (not setContent) so the init script and the page's own CSP apply as in a webview.
  await page.route('http://panel.test/', (route) => route.fulfill({ body: html, contentType: 'text/html; charset=utf-8' }));
  await page.goto('http://panel.test/', { waitUntil: 'load' });
  return page;
}

function env() {
  return { nonce: 'dGVzdC1ub25jZS0xMjM0', cspSource: '', revealable: { before: true, after: true } };
}

const text = (page: Page, selector: string) => page.locator(selector).innerText();

describe('compare panel in headless chromium', () => {
  test('panel: shows both sizes, layers, build times and the saving from the data', async (t) => {
    if (!requirePart(t, 'chromium', browser !== undefined, 'apt-get install chromium (test/setup/e2e.sh)')) return;
    const page = await open(sampleResult);
    assert.equal(await page.evaluate('document.body.dataset.ready'), 'true', 'the nonce script ran');
    assert.equal(await text(page, '#before-size'), '868.9 MB');
    assert.equal(await text(page, '#after-size'), '3.0 MB');
    assert.equal(await text(page, '#before-bytes'), sampleResult.before.sizeBytes.toLocaleString('en-US'));
    assert.equal(await text(page, '#before-layers'), String(sampleResult.before.layers));
    assert.equal(await text(page, '#after-build-time'), `${sampleResult.after.buildSeconds.toFixed(1)} s`);
    assert.equal(await text(page, '#saving-text'), 'Saved 865.9 MB (99.7%)');
    const beforeBar = Number(await page.locator('#before-bar').getAttribute('width'));
    const afterBar = Number(await page.locator('#after-bar').getAttribute('width'));
    assert.ok(beforeBar > 10 * afterBar && afterBar >= 2, `bars scale with size: ${beforeBar} vs ${afterBar}`);
    await page.screenshot({ path: process.env.UPDATE_SCREENSHOT === '1' ? SCREENSHOT : join(scratch, 'panel.png'), fullPage: true });
    await page.close();
  });

  test('panel: the behaviour section shows the verdict and the differing request, marked', async (t) => {
    if (!requirePart(t, 'chromium', browser !== undefined, 'apt-get install chromium (test/setup/e2e.sh)')) return;
    const page = await open(httpBehaviourResult);
    assert.equal(await text(page, '#behaviour-verdict'), 'After differs from Before on 1 of 5 requests: GET /about/ 200 → 404.');
    const differing = page.locator('#behaviour-table tr.differs');
    assert.equal(await differing.count(), 1);
    assert.match(await differing.innerText(), /GET \/about\/\s+200[\s\S]*404/);
    assert.ok(await differing.isVisible());
    // The marked row's background differs from an unmarked row's (the CSS reached the page under the CSP).
    const background = (selector: string) => page.evaluate(`getComputedStyle(document.querySelector('${selector} td')).backgroundColor`);
    assert.notEqual(await background('#behaviour-table tr.differs'), await background('#behaviour-table tbody tr:not(.differs)'));
    await page.locator('#behaviour').screenshot({ path: process.env.UPDATE_SCREENSHOT === '1' ? BEHAVIOUR_SCREENSHOT : join(scratch, 'behaviour.png') });
    await page.close();
  });

  test('panel: clicking a layer row posts reveal with its side and line; buttons post their actions', async (t) => {
    if (!requirePart(t, 'chromium', browser !== undefined, 'apt-get install chromium (test/setup/e2e.sh)')) return;
    const page = await open(sampleResult);
    await page.locator('#after-layers-table tr.reveal', { hasText: 'COPY' }).first().click();
    await page.locator('#copy-markdown').click();
    await page.locator('#save-json').click();
    const posted = await page.evaluate('window.posted');
    assert.deepEqual(posted, [{ type: 'reveal', side: 'after', line: 9 }, { type: 'copyMarkdown' }, { type: 'saveJson' }]);
    await page.close();
  });

  test('panel x-ray: the per-line table shows added and wasted bytes with their bars; its rows reveal their line', async (t) => {
    if (!requirePart(t, 'chromium', browser !== undefined, 'apt-get install chromium (test/setup/e2e.sh)')) return;
    const lean = { ...SAMPLE_REPORT, efficiency: 0.998, wastedBytes: 0, userWastedRatio: 0, findings: [], lines: SAMPLE_REPORT.lines.map((l) => ({ ...l, wastedBytes: 0 })) };
    const page = await open({ ...sampleResult, before: { ...sampleResult.before, xray: SAMPLE_REPORT }, after: { ...sampleResult.after, xray: lean } });
    assert.equal(await text(page, '#before-efficiency'), '90.4 %');
    const wastedRow = page.locator('#before-xray-table tr', { hasText: 'COPY' });
    assert.match(await wastedRow.innerText(), /5\s+COPY\s+41\.0 MB\s+41\.0 MB\s+41\.0 MB added here are deleted by line 6/);
    // The wasted share is drawn over the added bar, in the error colour (the stylesheet reached the page).
    const bars = wastedRow.locator('rect');
    assert.equal(await bars.nth(0).getAttribute('width'), await bars.nth(1).getAttribute('width'));
    assert.notEqual(await page.evaluate(`getComputedStyle(document.querySelector('#before-xray-table td.wasted')).color`), await page.evaluate(`getComputedStyle(document.querySelector('#before-xray-table td.num')).color`));
    await page.locator('#after-xray-table tr.reveal', { hasText: 'RUN' }).first().click();
    assert.deepEqual(await page.evaluate('window.posted'), [{ type: 'reveal', side: 'after', line: 3 }]);
    await page.screenshot({ path: join(scratch, 'xray.png'), fullPage: true });
    await page.close();
  });

  test('panel: hostile file names and history text are shown as text, never run', async (t) => {
    if (!requirePart(t, 'chromium', browser !== undefined, 'apt-get install chromium (test/setup/e2e.sh)')) return;
    const hostile: CompareResult = {
      ...sampleResult,
      before: {
        ...sampleResult.before,
        dockerfile: '<script>window.pwned = "name"</script>',
        history: [{ createdBy: '<img src=x onerror="window.pwned=\'history\'">', sizeBytes: 5, hasFilesystemLayer: true, fromBaseImage: false, line: 2, instruction: 'RUN' }],
      },
    };
    const page = await open(hostile);
    assert.equal(await page.evaluate('window.pwned'), undefined);
    assert.match(await page.locator('.card.before .file').innerText(), /<script>window\.pwned/);
    assert.equal(await page.locator('img').count(), 0);
    await page.close();
  });

  test('panel: the CSP blocks a script that lacks the nonce even if one got into the page', async (t) => {
    if (!requirePart(t, 'chromium', browser !== undefined, 'apt-get install chromium (test/setup/e2e.sh)')) return;
    const html = renderComparePanel(sampleResult, env()).replace(
      '</body>',
      '<script>window.injected = true</script><script nonce="wrong">window.wrongNonce = true</script>' +
        '<div id="styled" style="color: rgb(255, 0, 0)">x</div></body>',
    );
    const page = await open(sampleResult, html);
    const state = (await page.evaluate(
      `({ injected: window.injected, wrongNonce: window.wrongNonce, ready: document.body.dataset.ready,
          inlineStyle: getComputedStyle(document.getElementById('styled')).color })`,
    )) as { injected?: boolean; wrongNonce?: boolean; ready?: string; inlineStyle: string };
    assert.deepEqual(state, { injected: undefined, wrongNonce: undefined, ready: 'true', inlineStyle: state.inlineStyle });
    assert.notEqual(state.inlineStyle, 'rgb(255, 0, 0)', 'inline style attributes are blocked too');
    await page.close();
    // Control: without the CSP the same injected script does run, so the check above can fail.
    const open_ = await open(sampleResult, html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, ''));
    assert.equal(await open_.evaluate('window.injected'), true);
    await open_.close();
  });
});
