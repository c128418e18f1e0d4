// UI steps for the image X-ray as a user sees it: "Multistage: X-ray Image" from the palette builds the
// open Dockerfile, the figures appear as CodeLenses above the instructions and the measured finding as a
// squiggle on the line that wrote the bytes; typing in that line removes its figures. The screenshot
// xray-codelens.png is the one docs/images/ shows.
import type { Page } from 'playwright-core';
import { goToPosition, pick, quickOpen, runFromPalette } from './smoke';

export interface XrayStepsContext {
  page: Page;
  step: (name: string, body: () => Promise<void>) => Promise<void>;
  shot: (name: string) => Promise<unknown>;
}

/** How long the build and X-ray of the small busybox image may take on a loaded CI machine. */
const XRAY_TIMEOUT_MS = 120_000;

export async function runXraySteps({ page, step, shot }: XrayStepsContext): Promise<void> {
  const wastedLens = page.locator('.monaco-editor .codelens-decoration', { hasText: '3.0 MB wasted' });
  const filter = page.locator('.part.panel .viewpane-filter input, .part.panel .markers-panel-action-filter input').first();
  await step('"Multistage: X-ray Image" builds the file and shows "+3.0 MB · 3.0 MB wasted" above the RUN that wrote the bytes, with the measured finding', async () => {
    await quickOpen(page, 'xray/Dockerfile');
    await page.locator('.monaco-editor .view-line', { hasText: 'rm /blob.bin' }).waitFor();
    await runFromPalette(page, 'Multistage: X-ray Image');
    await pick(page, 'X-ray Image: xray/Dockerfile', 'Build this Dockerfile', false);
    await pick(page, 'X-ray Image: build options', 'Build and X-ray', false);
    await wastedLens.first().waitFor({ state: 'visible', timeout: XRAY_TIMEOUT_MS });
    const text = (await wastedLens.first().innerText()).trim();
    if (text !== '+3.0 MB · 3.0 MB wasted') throw new Error(`the CodeLens reads: ${text}`);
    await page.locator('.monaco-editor .codelens-decoration', { hasText: '+0 B' }).first().waitFor({ state: 'visible' });
    // The measured finding in the Problems panel, under its own source.
    await page.keyboard.press('Control+Shift+M');
    // The list is long (Build and Compare just X-rayed compare/Dockerfile.before too) and only its visible
    // rows exist: filter it to this finding, as a user would.
    await filter.fill('blob.bin');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: '/blob.bin) — measured' }).first();
    await row.waitFor({ state: 'visible' });
    const problem = await row.innerText();
    if (!/Multistage \(measured\)/.test(problem) || !/deleted by line 4/.test(problem)) throw new Error(`Problems row reads: ${problem}`);
    // The editor with its figures above the Problems panel that lists the finding: the screenshot the docs show.
    await page.mouse.move(700, 300);
    await shot('xray-codelens');
    await filter.fill('');
  });

  await step('typing in that line removes its figures and its finding', async () => {
    await goToPosition(page, 3, 1);
    await page.keyboard.press('End');
    await page.keyboard.type(' && sync');
    await wastedLens.first().waitFor({ state: 'detached' });
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel').waitFor({ state: 'visible' });
    await filter.fill('blob.bin');
    await page.locator('.markers-panel .monaco-list-row', { hasText: '/blob.bin) — measured' }).first().waitFor({ state: 'detached' });
    await filter.fill('');
    // The other instructions keep theirs.
    await page.locator('.monaco-editor .codelens-decoration', { hasText: '+0 B' }).first().waitFor({ state: 'visible' });
    await shot('xray-after-edit');
    await page.keyboard.press('Control+Z');
  });
}
