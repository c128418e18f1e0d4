// The grammar as users get it: a real VS Code (the code-server build the e2e suite uses, started with the
// e2e runner's helpers and driven through chromium by Playwright) loads the extension from this folder,
// reads `contributes.grammars` from package.json and colours a Dockerfile. Colours are compared with each
// other, not hard-coded, so the test holds for any theme that tells keywords, strings and comments apart.
// Needs test/setup/e2e.sh; SKIPPED without it, failing in CI. Everything it starts listens on 127.0.0.1
// and is stopped in `finally`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { requirePart } from '../support/requirements';
import { repoRoot } from './tokenize';

// The page.evaluate callback runs in the browser; these are the DOM names it uses (the project compiles
// without the DOM library).
interface PageElement {
  textContent: string | null;
  style: { top: string };
  offsetHeight: number;
  querySelectorAll(selector: string): Iterable<PageElement>;
}
declare const document: { querySelectorAll(selector: string): Iterable<PageElement> };
declare function getComputedStyle(element: PageElement): { color: string };

interface CodeServerRunners {
  locateCodeServer(): { ok: true; node: string; entry: string } | { ok: false; missing: string[] };
  startCodeServer(options: { node: string; entry: string; scratch: string }): Promise<{ port: number; stop(): Promise<void> }>;
  launchChromium(): Promise<Browser>;
  workbenchUrl(port: number, options: { folder: string; extensionPath: string }): string;
}

const DOCKERFILE = [
  '# syntax=docker/dockerfile:1',
  'FROM debian:bookworm-slim',
  'RUN apt-get update',
  '# hadolint ignore=DL3008',
  'RUN <<EOF',
  'apt-get update',
  'EOF',
  'COPY <<EOF /etc/motd',
  'RUN inside a file',
  'EOF',
  'ENTRYPOINT ["/app"]',
  '',
].join('\n');

test('in VS Code (code-server) the contributed grammar colours heredocs, ignore comments and directives', async (t) => {
  const runnersPath = join(repoRoot, 'test', 'e2e', 'runners', 'codeServerProcess.mjs');
  const runners = (await import(runnersPath)) as CodeServerRunners;
  const found = runners.locateCodeServer();
  const missing = found.ok ? '' : found.missing.join(', ');
  if (!requirePart(t, `code-server and chromium (${missing})`, found.ok, 'bash test/setup/e2e.sh')) return;
  if (!found.ok) return;

  const scratch = mkdtempSync(join(tmpdir(), 'multistage-grammar-'));
  const folder = join(scratch, 'workspace');
  mkdirSync(folder);
  writeFileSync(join(folder, 'Dockerfile'), DOCKERFILE);
  let server: Awaited<ReturnType<CodeServerRunners['startCodeServer']>> | undefined;
  let browser: Browser | undefined;
  try {
    server = await runners.startCodeServer({ node: found.node, entry: found.entry, scratch });
    browser = await runners.launchChromium();
    const page = await browser.newPage({ viewport: { width: 1100, height: 600 } });
    page.setDefaultTimeout(60_000);
    await page.goto(runners.workbenchUrl(server.port, { folder, extensionPath: repoRoot }));
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'Dockerfile' }).first().click();

    // Where to look: [editor line (1-based), text the token contains].
    const probes = {
      plainAptGet: [3, 'apt-get'], shellAptGet: [6, 'apt-get'], keyword: [2, 'FROM'], string: [11, '"/app"'],
      comment: [4, '#'], syntax: [1, 'syntax'], hadolint: [4, 'hadolint'], ruleId: [4, 'DL3008'],
      copyBody: [9, 'RUN inside a file'], afterHeredoc: [11, 'ENTRYPOINT'],
    } as const;
    type Colours = Record<keyof typeof probes, string | null>;
    // All colours from one rendering, so that a theme or tokenization update cannot fall between two reads.
    // (No named helpers inside: this function runs in the page, where the test transpiler's __name is absent.)
    const readColours = () =>
      page.evaluate((wanted) => {
        const rows = [...document.querySelectorAll('.monaco-editor .view-line')];
        return Object.fromEntries(
          Object.entries(wanted).map(([key, [line, text]]) => {
            const row = rows.find((r) => Math.round(parseFloat(r.style.top) / r.offsetHeight) === line - 1);
            // The editor renders spaces as U+00A0.
            const span = [...(row?.querySelectorAll('span span') ?? [])].find((e) =>
              (e.textContent ?? '').replace(/\u00a0/g, ' ').includes(text),
            );
            return [key, span ? getComputedStyle(span).color : null];
          }),
        );
      }, probes) as Promise<Colours>;
    // Tokenization and the theme arrive after the text: poll (bounded) until the heredoc body is coloured
    // differently from plain text and two readings half a second apart agree.
    const deadline = Date.now() + 60_000;
    let previous = '';
    let colours = await readColours();
    for (;;) {
      const now = JSON.stringify(colours);
      if ((colours.shellAptGet && colours.shellAptGet !== colours.plainAptGet && now === previous) || Date.now() > deadline) break;
      previous = now;
      await page.waitForTimeout(500); // polling interval, bounded by the deadline
      colours = await readColours();
    }
    const seen = JSON.stringify(colours, null, 1);
    assert.ok(colours.plainAptGet && colours.shellAptGet, `apt-get tokens not found in the editor: ${seen}`);
    assert.notEqual(colours.shellAptGet, colours.plainAptGet, `the RUN heredoc body is not coloured as shell: ${seen}`);
    assert.equal(colours.syntax, colours.keyword, `# syntax= is not coloured as a directive keyword: ${seen}`);
    assert.equal(colours.hadolint, colours.keyword, `hadolint is not coloured as a keyword: ${seen}`);
    assert.ok(colours.ruleId && colours.ruleId !== colours.comment, `the rule id looks like the comment around it: ${seen}`);
    assert.equal(colours.copyBody, colours.string, `the COPY heredoc body is not text coloured as a string: ${seen}`);
    assert.equal(colours.afterHeredoc, colours.keyword, `the instruction after the heredocs is not a keyword: ${seen}`);
  } finally {
    await browser?.close();
    await server?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
});
