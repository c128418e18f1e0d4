// UI smoke test: what a user sees in the workbench, driven through chromium by Playwright in the same
// code-server as the suite. Each step waits for a visible element (Playwright's polling waits, with a
// timeout) and saves a screenshot to test/e2e/screenshots/ (CI artifacts; the good ones are copied to
// docs/images/ for the README). Stops at the first failing step, with a FAILED-… screenshot.
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { pushImage, registryAvailable, startRegistry } from '../../registry/registryHarness';

export interface UiSmokeOptions {
  browser: Browser;
  /** The workbench URL for `folder` with the extension under development loaded. */
  workbenchUrl: (folder: string) => string;
  folder: string;
  screenshots: string;
  inCi: boolean;
  log: (line: string) => void;
}

const STEP_TIMEOUT_MS = 30_000;

async function quickOpen(page: Page, text: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  await input.fill(text);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: text.split('/').pop()! }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
}

async function goToPosition(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
}

export async function runUiSmoke(options: UiSmokeOptions): Promise<boolean> {
  const { browser, folder, screenshots, log } = options;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  const registry = registryAvailable ? await startRegistry() : undefined;
  let current = 'start';
  const step = async (name: string, body: () => Promise<void>) => {
    current = name;
    const started = Date.now();
    await body();
    log(`  ✔ ui: ${name} (${Date.now() - started} ms)`);
  };
  const shot = (name: string) => page.screenshot({ path: join(screenshots, `${name}.png`) });
  try {
    if (!registry) {
      if (options.inCi) throw new Error('docker-registry missing under CI=true: run test/setup/registry.sh');
      log('  *** ui: SKIPPED the hover step: /usr/bin/docker-registry missing (test/setup/registry.sh) ***');
    }
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
      await page.keyboard.press('Control+.');
      const item = page.locator('.action-widget .monaco-list-row', { hasText: "Change to 'builder'" });
      await item.first().waitFor({ state: 'visible' });
      await shot('quick-fix-menu');
      await item.first().click();
      await page.locator('.monaco-editor .view-line', { hasText: 'COPY --from=builder' }).waitFor();
      await page.locator('.markers-panel .monaco-list-row', { hasText: 'buidler' }).first().waitFor({ state: 'detached' });
    });
    return true;
  } catch (err) {
    log(`  ✘ ui: ${current}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    await page.screenshot({ path: join(screenshots, `FAILED-${current.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`) }).catch(() => {});
    return false;
  } finally {
    await context.close().catch(() => {});
    await registry?.stop();
  }
}
