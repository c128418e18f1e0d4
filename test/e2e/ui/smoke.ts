// UI smoke test: what a user sees in the workbench, driven through chromium by Playwright in the same
// code-server as the suite. Each step waits for a visible element (Playwright's polling waits, with a
// timeout) and saves a screenshot to test/e2e/screenshots/ (CI artifacts; the good ones are copied to
// docs/images/ for the README). Stops at the first failing step, with a FAILED-… screenshot.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { pushImage } from '../../registry/registryHarness';
import { runnerRegistry } from '../suite/support/registry';
import { runEditorPolishSteps } from './editorPolish';
import { runXraySteps } from './xray';

export interface UiSmokeOptions {
  browser: Browser;
  /** The repository root (fixtures are copied from it). */
  root: string;
  /** The Docker CLI the extension is configured with (multistage.docker.path in the user settings). */
  docker: string;
  /** host:port of the runner's docker-registry, when it has one. */
  registryHost?: string;
  /** The workbench URL for `folder` with the extension under development loaded. */
  workbenchUrl: (folder: string) => string;
  folder: string;
  screenshots: string;
  inCi: boolean;
  log: (line: string) => void;
  /** Counts of the steps, for the runner's closing line and the npm test totals. */
  tally?: { passed: number; failed: number; skipped: number };
}

export const STEP_TIMEOUT_MS = 30_000;
const OTHER_DOCKERFILE_TITLE = 'the "before" Dockerfile';

export async function quickOpen(page: Page, text: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  await input.fill(text);
  // Recently opened files are listed before the search results arrive: click the row that shows both
  // the file name and its folder, not whatever is first.
  const parts = text.split('/');
  const name = parts.pop()!;
  let row = page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: name });
  if (parts.length > 0) row = row.filter({ hasText: parts.join('/') });
  await row.first().click({ timeout: STEP_TIMEOUT_MS });
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
}

export async function runFromPalette(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().click();
}

/**
 * Picks the row containing `text` in the quick pick titled `title` (typing `text` as a filter first when
 * asked). Waiting for the title matters: one pick opens the next in the same widget, and typing into
 * the previous one would filter the wrong list.
 */
export async function pick(page: Page, title: string, text: string, filter = true): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.quick-input-title', { hasText: title }).waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS })
    .catch((err) => { throw new Error(`no quick pick titled "${title}": ${String(err).split('\n')[0]}`); });
  // Cleared when not filtering: the widget may still hold the previous pick's filter text.
  await widget.locator('.quick-input-box input').fill(filter ? text : '');
  await widget.locator('.monaco-list-row', { hasText: text }).first().click();
}

/** Whether the Docker engine answers and has the image the compare fixture builds on. */
function dockerReady(docker: string): boolean {
  return spawnSync(docker, ['image', 'inspect', 'busybox:latest'], { stdio: 'ignore', timeout: 20_000 }).status === 0;
}

function imageSize(docker: string, tag: string): number {
  const r = spawnSync(docker, ['image', 'inspect', '--format', '{{.Size}}', tag], { encoding: 'utf8', timeout: 20_000 });
  if (r.status !== 0) throw new Error(`docker image inspect ${tag}: ${r.stderr}`);
  return Number(r.stdout.trim());
}

/**
 * Opens the code action menu (Ctrl+., or `key` such as Ctrl+Shift+R for the Refactor menu) at the cursor
 * and returns the row titled `title`. A key press that lands while focus is still moving back to the
 * editor is lost, so it presses again until the menu shows the row, as a user would, within the step timeout.
 */
export async function actionMenuItem(page: Page, title: string, key = 'Control+.') {
  const item = page.locator('.action-widget .monaco-list-row', { hasText: title }).first();
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    await page.keyboard.press(key);
    try {
      await item.waitFor({ state: 'visible', timeout: 5_000 });
      return item;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await page.keyboard.press('Escape');
    }
  }
}

export async function goToPosition(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
}

export async function runUiSmoke(options: UiSmokeOptions): Promise<boolean> {
  const { browser, folder, screenshots } = options;
  const tally = options.tally ?? { passed: 0, failed: 0, skipped: 0 };
  // A step announced as SKIPPED counts as skipped in the totals.
  const log = (line: string) => {
    if (/\*\*\* ui: SKIPPED/.test(line)) tally.skipped++;
    options.log(line);
  };
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  const registry = options.registryHost ? runnerRegistry(options.registryHost) : undefined;
  let current = 'start';
  const kept: string[] = [];
  const step = async (name: string, body: () => Promise<void>) => {
    current = name;
    const started = Date.now();
    await body();
    tally.passed++;
    log(`  ✔ ui: ${name} (${Date.now() - started} ms)`);
  };
  const shot = (name: string) => page.screenshot({ path: join(screenshots, `${name}.png`) });
  try {
    if (!registry) {
      if (options.inCi) throw new Error('docker-registry missing under CI=true: run test/setup/registry.sh');
      log('  *** ui: SKIPPED the hover step: /usr/bin/docker-registry missing (test/setup/registry.sh) ***');
    }
    mkdirSync(join(folder, '.vscode'), { recursive: true });
    writeFileSync(join(folder, '.vscode/settings.json'), JSON.stringify({ 'multistage.compare.keepImages': true }, null, 2));
    const base = registry ? `${registry.host}/e2e/golang:1.22` : 'golang:1.22';
    if (registry) await pushImage(registry, 'e2e/golang', '1.22', { os: 'linux', architecture: 'amd64' }, [28_000_000, 4_500_000, 800_000], 'docker');
    writeFileSync(join(folder, 'ui/Dockerfile'), [
      `FROM ${base} AS builder`,
      'WORKDIR /src',
      'COPY . .',
      'RUN CGO_ENABLED=0 go build -o /out/app .',
      '',
      'FROM scratch',
      'COPY --from=buidler /out/app /app',
      'ENTRYPOINT ["/app"]',
      '',
    ].join('\n'));

    await step('workbench loads with the extension under development', async () => {
      await page.goto(options.workbenchUrl(folder));
      await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'ui' }).first().waitFor();
    });

    await step('opening a Dockerfile shows the error squiggle under the mistyped stage name', async () => {
      await quickOpen(page, 'ui/Dockerfile');
      const squiggle = page.locator('.monaco-editor .squiggly-error');
      await squiggle.first().waitFor({ state: 'visible' });
      await page.locator('.monaco-editor .view-line', { hasText: 'COPY --from=buidler' }).waitFor();
      await shot('diagnostics-squiggle');
    });

    await step('the Problems panel lists it with source and rule id', async () => {
      await page.keyboard.press('Control+Shift+M');
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'buidler' });
      await row.first().waitFor({ state: 'visible' });
      const text = await row.first().innerText();
      if (!/multistage/.test(text) || !/unknown-stage-reference/.test(text)) throw new Error(`Problems row reads: ${text}`);
      await shot('diagnostics-problems');
    });

    if (registry) {
      await step('hovering the FROM image shows its size from the registry', async () => {
        await goToPosition(page, 1, 1); // focus back in the editor
        const imageToken = page.locator('.monaco-editor .view-line', { hasText: 'AS builder' }).locator('span', { hasText: 'golang' }).first();
        await imageToken.hover();
        const hover = page.locator('.monaco-hover-content', { hasText: 'MB' });
        await hover.first().waitFor({ state: 'visible' });
        const text = await hover.first().innerText();
        if (!text.includes('33.3 MB') || !text.includes('registry')) throw new Error(`hover reads: ${text}`);
        await shot('hover-image-size');
        await page.keyboard.press('Escape');
        await page.mouse.move(5, 5);
      });
    }

    await step('the lightbulb offers "Change to \'builder\'" and applying it clears the error', async () => {
      await goToPosition(page, 7, 14);
      const item = await actionMenuItem(page, "Change to 'builder'");
      await shot('quick-fix-menu');
      await item.click();
      await page.locator('.monaco-editor .view-line', { hasText: 'COPY --from=builder' }).waitFor();
      await page.locator('.markers-panel .monaco-list-row', { hasText: 'buidler' }).first().waitFor({ state: 'detached' });
    });
    await step('the lightbulb on a single-stage Go image offers "Split into builder and runtime stages" and applies it', async () => {
      cpSync(join(options.root, 'test/fixtures/rewrite/go-basic'), join(folder, 'split-go'), { recursive: true });
      await quickOpen(page, 'split-go/Dockerfile');
      await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ state: 'visible' });
      await goToPosition(page, 1, 3);
      const item = await actionMenuItem(page, 'Split into builder and runtime stages');
      await shot('split-menu');
      await item.click();
      await page.locator('.monaco-editor .view-line', { hasText: 'FROM gcr.io/distroless/static-debian12:nonroot AS runtime' }).waitFor();
      await page.locator('.monaco-editor .view-line', { hasText: 'COPY --from=build /src/server ./server' }).waitFor();
      // The rule the split fixes leaves the Problems panel too.
      await page.locator('.markers-panel .monaco-list-row', { hasText: 'toolchain-in-final-stage' }).first().waitFor({ state: 'detached' });
      await shot('split-result');
    });

    await step('hovering an official image without registry figures shows the bundled snapshot as a table, with smaller variants', async () => {
      // Online lookups off: the same figures whether or not this machine reaches Docker Hub. The two rules
      // that flag this line are off so the hover shows the size table alone, unscrolled.
      writeFileSync(join(folder, '.vscode/settings.json'), JSON.stringify({
        'multistage.compare.keepImages': true,
        'multistage.imageSizes.online': false,
        'multistage.rules': { 'larger-base-than-needed': 'off', 'runs-as-root': 'off' },
      }, null, 2));
      mkdirSync(join(folder, 'sizes'), { recursive: true });
      writeFileSync(join(folder, 'sizes/Dockerfile'), 'FROM --platform=linux/amd64 node:22\nCOPY server.js /app/\nCMD ["node", "/app/server.js"]\n');
      await quickOpen(page, 'sizes/Dockerfile');
      const imageToken = page.locator('.monaco-editor .view-line', { hasText: 'node:22' }).locator('span', { hasText: 'node' }).first();
      // The quick-open leaves the pointer on the tab strip, whose tooltip would cover the first line.
      await page.mouse.move(700, 450);
      await page.locator('.monaco-hover', { hasText: 'problem in this file' }).first().waitFor({ state: 'hidden' }).catch(() => {});
      await imageToken.hover();
      const hover = page.locator('.monaco-hover-content', { hasText: 'Compressed download' });
      await hover.first().waitFor({ state: 'visible' });
      const text = await hover.first().innerText();
      for (const expected of ['node:22', 'linux/amd64', 'Layers', 'Built', 'bundled snapshot of', 'node:22-slim', 'Saving']) {
        if (!text.includes(expected)) throw new Error(`hover lacks "${expected}": ${text}`);
      }
      if (/E[A-Z]{5,}/.test(text)) throw new Error(`hover shows an error code: ${text}`);
      // The hover renders markdown tables as tables: header cells, not pipes.
      await hover.first().locator('table th', { hasText: 'node:22' }).first().waitFor();
      await hover.first().locator('table td', { hasText: 'Compressed download' }).first().waitFor();
      await hover.first().locator('table td', { hasText: 'node:22-slim' }).first().waitFor();
      await shot('hover-image-snapshot');
      await page.keyboard.press('Escape');
      await page.mouse.move(5, 5);
      writeFileSync(join(folder, '.vscode/settings.json'), JSON.stringify({ 'multistage.compare.keepImages': true }, null, 2));
    });

    await runEditorPolishSteps({ page, root: options.root, folder, screenshots, step, shot });

    const docker = dockerReady(options.docker);
    if (!docker) {
      if (options.inCi) throw new Error(`the Docker engine (${options.docker}) or busybox:latest is missing under CI=true: run test/setup/docker.sh`);
      log(`  *** ui: SKIPPED Build and Compare: Docker engine (${options.docker}) with busybox:latest not available (test/setup/docker.sh) ***`);
    } else {
      await step('"Multistage: Build and Compare Image Sizes" from the palette builds both images and shows the panel', async () => {
        cpSync(join(options.root, 'test/fixtures/compare-busybox'), join(folder, 'compare'), { recursive: true });
        await quickOpen(page, 'compare/Dockerfile.after');
        await page.locator('.monaco-editor .view-line', { hasText: 'count=5 && rm /work/blob' }).waitFor();
        await runFromPalette(page, 'Multistage: Build and Compare Image Sizes');
        // Baseline, then the build options, then (for this baseline) which file is "before".
        await pick(page, 'against', 'Another Dockerfile', false);
        await pick(page, 'Build and Compare: options', 'Build and compare', false);
        await pick(page, OTHER_DOCKERFILE_TITLE, 'compare/Dockerfile.before');
        // The results page lives in the webview's inner frame.
        const panel = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
        await panel.locator('#saving-text').waitFor({ state: 'visible', timeout: 300_000 });
        const read = async (id: string) => (await panel.locator(`#${id}`).innerText()).trim();
        const bytes = async (id: string) => Number((await read(id)).replace(/[^0-9-]/g, ''));
        const [before, after, saved] = [await bytes('before-bytes'), await bytes('after-bytes'), await bytes('saved-bytes')];
        // The before image keeps the 5 MB file in a lower layer; the after image deletes it in the same layer.
        if (saved !== before - after) throw new Error(`saved ${saved} ≠ ${before} − ${after}`);
        if (saved < 4_900_000 || saved > 5_300_000) throw new Error(`expected about 5 MB saved, panel says ${saved}`);
        if (!/^Saved 5\.\d MB/.test(await read('saving-text'))) throw new Error(`saving reads: ${await read('saving-text')}`);
        // keepImages is on for this workspace, so the panel names the tags: its figures are Docker's.
        for (const side of ['before', 'after'] as const) {
          const tag = await read(`${side}-tag`);
          kept.push(tag);
          const inspected = imageSize(options.docker, tag);
          if (inspected !== (side === 'before' ? before : after)) throw new Error(`${side}: panel ${side === 'before' ? before : after} ≠ docker image inspect ${inspected}`);
        }
        await shot('build-and-compare');
        await page.locator('iframe.webview.ready').screenshot({ path: join(screenshots, 'build-and-compare-panel.png') });
        // The behaviour check: both images ran their default command (no port), the verdict says how they compare.
        const verdict = panel.locator('#behaviour-verdict');
        await verdict.scrollIntoViewIfNeeded();
        const said = (await verdict.innerText()).trim();
        if (said !== 'After behaves like Before: both exited 0 with the same output.') throw new Error(`behaviour verdict reads: ${said}`);
        await page.locator('iframe.webview.ready').screenshot({ path: join(screenshots, 'build-and-compare-behaviour.png') });
      });
      await runXraySteps({ page, step, shot });
    }
    return true;
  } catch (err) {
    tally.failed++;
    log(`  ✘ ui: ${current}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    await page.screenshot({ path: join(screenshots, `FAILED-${current.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`) }).catch(() => {});
    return false;
  } finally {
    await context.close().catch(() => {});
    for (const tag of kept) spawnSync(options.docker, ['image', 'rm', tag], { stdio: 'ignore', timeout: 60_000 });
  }
}
