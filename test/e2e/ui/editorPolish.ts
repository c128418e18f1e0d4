// UI steps for what a user sees of the editor polish: no light bulb on comment lines, the Refactor Preview
// of the split as a line-by-line diff, the quick-fix menu order, ignore files opened as ignore files, the
// language status item, the output channel's start-up log and the getting-started walkthrough.
// Screenshots go to test/e2e/screenshots/ (looked at by a person; the good ones are copied to docs/images/).
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { STEP_TIMEOUT_MS, actionMenuItem, goToPosition, quickOpen, runFromPalette } from './smoke';

export interface PolishStepsContext {
  page: Page;
  root: string;
  folder: string;
  screenshots: string;
  step: (name: string, body: () => Promise<void>) => Promise<void>;
  shot: (name: string) => Promise<unknown>;
}

/** How long the workbench is given to show a light bulb it should not show (it appears within ~250 ms). */
const LIGHT_BULB_SETTLE_MS = 2500;

export async function runEditorPolishSteps({ page, root, folder, step, shot }: PolishStepsContext): Promise<void> {
  // The bulb is a content widget whose element carries the codicon class, or, where it would cover text
  // (a line starting in column 1), a decoration in the gutter.
  // (codicon-gutter-lightbulb-auto-fix and the like; the widget's own class is lightBulbWidget).
  const lightBulb = page.locator('.monaco-editor .lightBulbWidget[class*="codicon-"], .monaco-editor [class*="codicon-gutter-lightbulb"]');

  await step('a light bulb on the line whose finding the split fixes; none on a comment line', async () => {
    cpSync(join(root, 'test/fixtures/rewrite/go-basic'), join(folder, 'polish-go'), { recursive: true });
    await quickOpen(page, 'polish-go/Dockerfile');
    await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ state: 'visible' });
    await page.mouse.move(700, 400); // no tab tooltip over the editor
    // The bulb follows cursor moves; one that lands while focus is still settling is missed, so move
    // again, as a user would, until it shows (within the step timeout).
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    const token = page.locator('.monaco-editor .view-line', { hasText: 'FROM golang:1.23' }).locator('span', { hasText: 'golang' }).first();
    for (;;) {
      // A click inside golang:1.23, where toolchain-in-final-stage is reported, as a user puts the cursor there.
      await token.click();
      await page.mouse.move(700, 400);
      try {
        await lightBulb.first().waitFor({ state: 'visible', timeout: 5_000 });
        break;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await goToPosition(page, 2, 1);
      }
    }
    await shot('polish-lightbulb-on-finding');
    // The same session, so bulbs do render here: on the comment line it goes away and stays away.
    await page.locator('.monaco-editor .view-line', { hasText: '# Build the server binary.' }).locator('span').first().click();
    await page.mouse.move(700, 400);
    await lightBulb.first().waitFor({ state: 'hidden' });
    await page.waitForTimeout(LIGHT_BULB_SETTLE_MS);
    if (await lightBulb.first().isVisible()) throw new Error('a light bulb shows on the comment line');
    await shot('polish-no-lightbulb-on-comment');
  });

  await step('the Refactor Preview of the split shows a line-by-line diff', async () => {
    await goToPosition(page, 4, 3); // explicit requests list the rewrites anywhere, comments included
    const item = await actionMenuItem(page, 'Split into builder and runtime stages', 'Control+Shift+R');
    await item.hover();
    await page.keyboard.press('Control+Enter'); // preview instead of apply
    await page.locator('.part.panel .action-label, .part.panel .composite-bar .action-item', { hasText: 'Refactor Preview' }).first().waitFor({ state: 'visible' });
    // One row for the file, then one per edit: several small edits, not one line holding the whole file.
    const rows = page.locator('.part.panel .monaco-list-row');
    await rows.nth(2).waitFor({ state: 'visible' });
    const texts = (await rows.allInnerTexts()).map((t) => t.trim());
    await shot('polish-split-refactor-preview');
    if (texts.length < 3) throw new Error(`preview rows: ${texts.join(' | ')}`);
    // The file row opens the diff editor: the unchanged lines sit on both sides.
    await rows.first().click();
    const diff = page.locator('.monaco-diff-editor').first();
    await diff.waitFor({ state: 'visible' });
    await diff.locator('.editor.modified .view-line', { hasText: 'AS runtime' }).first().waitFor({ state: 'visible' });
    await shot('polish-split-refactor-diff');
    await page.locator('.part.panel .monaco-button', { hasText: 'Discard' }).first().click();
    await page.locator('.monaco-diff-editor').first().waitFor({ state: 'hidden' }).catch(() => {});
  });

  await step('the quick-fix menu lists the real fix first and "Ignore …" last', async () => {
    writeFileSync(join(folder, 'polish-go', 'numeric.Dockerfile'), 'FROM golang:1.23-bookworm AS build\nRUN go version > /v\n\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=0 /v /v\n');
    await quickOpen(page, 'polish-go/numeric.Dockerfile');
    await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ state: 'visible' });
    await goToPosition(page, 5, 8);
    await page.keyboard.press('Control+.');
    const rows = page.locator('.action-widget .monaco-list-row.action');
    await rows.first().waitFor({ state: 'visible' });
    const titles = (await rows.allInnerTexts()).map((t) => t.trim()).filter(Boolean);
    await shot('polish-quick-fix-order');
    await page.keyboard.press('Escape');
    if (!/^Use the stage name 'build'/.test(titles[0] ?? '')) throw new Error(`first row: ${titles.join(' | ')}`);
    const firstIgnore = titles.findIndex((t) => t.startsWith('Ignore '));
    if (firstIgnore < 1 || titles.slice(firstIgnore).some((t) => !t.startsWith('Ignore '))) throw new Error(`order: ${titles.join(' | ')}`);
  });

  await step('Dockerfile.dockerignore opens as an ignore file, without Dockerfile errors', async () => {
    await quickOpen(page, 'ignorefiles/Dockerfile.dockerignore');
    await page.locator('.monaco-editor .view-line', { hasText: '!keep.log' }).waitFor();
    const mode = page.locator('.statusbar-item[id="status.editor.mode"]');
    await mode.waitFor({ state: 'visible' });
    const language = (await mode.innerText()).trim();
    await page.waitForTimeout(1500); // diagnostics would arrive within ~100 ms
    await shot('polish-dockerignore');
    if (/docker/i.test(language)) throw new Error(`language mode reads ${language}`);
    if (await page.locator('.monaco-editor .squiggly-error').count()) throw new Error('syntax errors squiggled in the ignore file');
  });

  await step('the language status item says the server runs, the snapshot date and whether Docker was found', async () => {
    await quickOpen(page, 'polish-go/numeric.Dockerfile'); // a name no other file shares
    await page.locator('.monaco-editor .view-line', { hasText: 'COPY --from=0' }).waitFor();
    await page.locator('.statusbar-item[id="status.languageStatus"]').click();
    const hover = page.getByText(/server running · size snapshot of/).first();
    await hover.waitFor({ state: 'visible' });
    const text = await hover.innerText();
    await shot('polish-language-status');
    if (!/server running/.test(text) || !/size snapshot of \d{4}-\d{2}-\d{2}/.test(text) || !/Docker/.test(text)) throw new Error(`status reads: ${text}`);
    await page.keyboard.press('Escape');
  });

  await step('"Multistage: Show Output" shows the version, settings and server start', async () => {
    await runFromPalette(page, 'Multistage: Show Output');
    const output = page.locator('.part.panel .output-view, .part.panel [id="workbench.panel.output"]').first();
    await output.waitFor({ state: 'visible' });
    for (const text of ['Multistage 0.', 'Settings:', 'started in']) {
      await output.locator('.view-line', { hasText: text }).first().waitFor({ state: 'visible' });
    }
    await shot('polish-output-channel');
  });

  await step('multistage.rules completes rule ids in settings.json', async () => {
    const settings = join(folder, '.vscode/settings.json');
    const before = readFileSync(settings, 'utf8');
    writeFileSync(settings, '{\n  "multistage.compare.keepImages": true,\n  "multistage.rules": {\n    \n  }\n}\n');
    try {
      await quickOpen(page, '.vscode/settings.json');
      await page.locator('.monaco-editor .view-line', { hasText: '"multistage.rules"' }).waitFor();
      await goToPosition(page, 4, 5);
      const row = page.locator('.suggest-widget .monaco-list-row', { hasText: 'add-instead-of-copy' }).first();
      const deadline = Date.now() + STEP_TIMEOUT_MS;
      for (;;) {
        await page.keyboard.press('Control+Space');
        try {
          await row.waitFor({ state: 'visible', timeout: 5_000 });
          break;
        } catch (err) {
          if (Date.now() > deadline) throw err;
          await page.keyboard.press('Escape');
        }
      }
      // Typing filters the ids, as in any completion list.
      await page.keyboard.type('runs');
      await page.locator('.suggest-widget .monaco-list-row', { hasText: 'runs-as-root' }).first().waitFor({ state: 'visible' });
      await shot('polish-rules-completion');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+Z'); // drop the typed "runs" (the file on disk is restored below)
    } finally {
      writeFileSync(settings, before);
    }
  });

  await step('the getting-started walkthrough opens', async () => {
    await runFromPalette(page, 'Welcome: Open Walkthrough...');
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Get started with Multistage' }).first();
    await row.waitFor({ state: 'visible' });
    await row.click();
    await page.locator('.gettingStartedContainer', { hasText: 'Open a Dockerfile' }).first().waitFor({ state: 'visible' });
    await shot('polish-walkthrough');
  });
}
