// UI steps in a workspace the user has not trusted (Restricted Mode), in a code-server started with
// workspace trust on: Build and Compare stays in the command palette and, when run, explains why it
// needs trust, with a "Manage Workspace Trust" button that opens the trust editor. The main smoke test
// cannot show this: its code-server runs with --disable-workspace-trust, where every folder is trusted,
// and with the smoke-test driver, under which the workbench shows no notification toasts.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { STEP_TIMEOUT_MS, quickOpen } from './smoke';

export interface UntrustedStepsOptions {
  browser: Browser;
  /** The repository root (fixtures are copied from it). */
  root: string;
  /** The workbench URL for `folder` (the extension is installed in that code-server). */
  workbenchUrl: (folder: string) => string;
  folder: string;
  screenshots: string;
  log: (line: string) => void;
  tally?: { passed: number; failed: number; skipped: number };
}

const COMMAND_TITLE = 'Multistage: Build and Compare Image Sizes';
const EXPLANATION = 'disabled until you trust the workspace';

export async function runUntrustedSteps(options: UntrustedStepsOptions): Promise<boolean> {
  const { browser, folder, screenshots, log } = options;
  const tally = options.tally ?? { passed: 0, failed: 0, skipped: 0 };
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);

  let current = 'start';
  const step = async (name: string, body: () => Promise<void>) => {
    current = name;
    const started = Date.now();
    await body();
    tally.passed++;
    log(`  ✔ ui (untrusted): ${name} (${Date.now() - started} ms)`);
  };
  const shot = (name: string) => page.screenshot({ path: join(screenshots, `${name}.png`) });
  try {
    // The Dockerfile the trusted smoke test builds and compares.
    cpSync(join(options.root, 'test/fixtures/compare-busybox'), join(folder, 'compare'), { recursive: true });
    await step('an untrusted folder opens in Restricted Mode', async () => {
      await page.goto(options.workbenchUrl(folder));
      await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
      await page.locator('.monaco-workbench .part.statusbar', { hasText: 'Restricted Mode' }).waitFor();
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'compare' }).first().waitFor();
    });

    await step(`"${COMMAND_TITLE}" is in the palette and explains that it needs trust, with "Manage Workspace Trust"`, async () => {
      await quickOpen(page, 'compare/Dockerfile.after');
      await page.locator('.monaco-editor .view-line', { hasText: 'count=5 && rm /work/blob' }).waitFor();
      // The language server runs in Restricted Mode: the file gets its findings.
      await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ state: 'visible' });
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible' });
      await input.fill(`>${COMMAND_TITLE}`);
      const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: COMMAND_TITLE }).first();
      await row.waitFor({ state: 'visible' });
      await shot('untrusted-palette');
      await row.click();
      const toast = page.locator('.notification-toast', { hasText: EXPLANATION });
      await toast.waitFor({ state: 'visible' });
      // A toast hides itself after ~10 s unless the pointer is on it, as a user's would be to read it.
      await toast.hover();
      const text = (await toast.innerText()).replace(/\s+/g, ' ');
      if (!/Build and Compare runs the Docker CLI/.test(text)) throw new Error(`the notification reads: ${text}`);
      await toast.locator('.monaco-button', { hasText: 'Manage Workspace Trust' }).waitFor({ state: 'visible' });
      await shot('untrusted-build-and-compare');
    });

    await step('"Manage Workspace Trust" opens the Workspace Trust editor', async () => {
      const toast = page.locator('.notification-toast', { hasText: EXPLANATION });
      await toast.locator('.monaco-button', { hasText: 'Manage Workspace Trust' }).click();
      await page.locator('.workspace-trust-editor').waitFor({ state: 'visible' });
      await page.locator('.workspace-trust-editor', { hasText: 'Restricted Mode' }).first().waitFor();
      await toast.waitFor({ state: 'hidden' });
      await shot('untrusted-manage-trust');
    });

    await step('"Multistage: X-ray Image" explains that it needs trust too', async () => {
      // Back in the Dockerfile (the trust editor above it closed): the palette offers the command on Dockerfiles.
      await page.keyboard.press('Escape');
      await page.locator('.workspace-trust-editor').waitFor({ state: 'hidden' });
      await quickOpen(page, 'compare/Dockerfile.after');
      await page.locator('.monaco-editor .view-line', { hasText: 'count=5 && rm /work/blob' }).waitFor();
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible' });
      await input.fill('>Multistage: X-ray Image');
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Multistage: X-ray Image' }).first().click();
      const toast = page.locator('.notification-toast', { hasText: 'X-ray Image runs the Docker CLI' });
      await toast.waitFor({ state: 'visible' });
      await toast.hover();
      await toast.locator('.monaco-button', { hasText: 'Manage Workspace Trust' }).waitFor({ state: 'visible' });
      await shot('untrusted-xray-image');
    });
    return true;
  } catch (err) {
    tally.failed++;
    log(`  ✘ ui (untrusted): ${current}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    await page.screenshot({ path: join(screenshots, `FAILED-untrusted-${current.replace(/[^a-z0-9]+/gi, '-').slice(0, 50)}.png`) }).catch(() => {});
    return false;
  } finally {
    await context.close().catch(() => {});
  }
}
