/// <reference types="mocha" />
// "Multistage: Build and Compare Image Sizes" inside VS Code against the real Docker engine. The user's
// three choices (baseline, options, the "before" file) are made by answering vscode.window.showQuickPick
// (the extension and this suite share one API object); everything else is real: the command, the Docker
// CLI builds, the results webview, whose HTML is read back and checked against `docker image inspect`.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as vscode from 'vscode';
import { EXTENSION_ID, activateExtension, openFile, setSetting, workspaceFile } from './support/workspace';
import type { MultistageApi } from '../../../client/src/extension';

const IN_CI = process.env.CI === 'true';

type Matcher = (label: string) => boolean;

/** Answers the next quick picks in order, each with the first item whose label matches. */
function answerQuickPicks(matchers: Matcher[]): { restore(): void; asked: string[] } {
  const original = vscode.window.showQuickPick;
  const asked: string[] = [];
  (vscode.window as { showQuickPick: unknown }).showQuickPick = async (items: unknown, options?: vscode.QuickPickOptions) => {
    asked.push(options?.title ?? '(untitled)');
    const list = (await items) as (string | vscode.QuickPickItem)[];
    const matcher = matchers.shift();
    if (!matcher) throw new Error(`unexpected quick pick "${options?.title}"`);
    const chosen = list.find((item) => matcher(typeof item === 'string' ? item : item.label));
    if (!chosen) throw new Error(`no matching item in "${options?.title}": ${list.map((i) => (typeof i === 'string' ? i : i.label)).join(' | ')}`);
    return chosen;
  };
  return { restore: () => ((vscode.window as { showQuickPick: unknown }).showQuickPick = original), asked };
}

/** Captures the HTML the extension gives the next webview panel it creates. */
function captureWebviewHtml(): { restore(): void; html(): string | undefined; title(): string | undefined } {
  const original = vscode.window.createWebviewPanel;
  let html: string | undefined;
  let title: string | undefined;
  (vscode.window as { createWebviewPanel: unknown }).createWebviewPanel = (...args: Parameters<typeof original>) => {
    const panel = original(...args);
    title = panel.title;
    const webview = panel.webview;
    const proto = Object.getPrototypeOf(webview);
    const descriptor = Object.getOwnPropertyDescriptor(proto, 'html')!;
    Object.defineProperty(webview, 'html', {
      configurable: true,
      get: () => descriptor.get!.call(webview),
      set: (value: string) => {
        html = value;
        descriptor.set!.call(webview, value);
      },
    });
    return panel;
  };
  return { restore: () => ((vscode.window as { createWebviewPanel: unknown }).createWebviewPanel = original), html: () => html, title: () => title };
}

function field(html: string, id: string): string {
  const match = new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(html);
  assert.ok(match, `the panel has no #${id}`);
  return match[1].trim();
}

const bytesOf = (text: string) => Number(text.replace(/[^0-9-]/g, ''));

suite('build and compare', () => {
  // The Docker CLI the runner names (Debian's, as the Docker integration tests use). multistage.docker.path
  // is machine-scoped, so it is set in the user settings of the test window and put back afterwards.
  const docker = process.env.MULTISTAGE_E2E_DOCKER || 'docker';
  const tags: string[] = [];
  let restoreDockerPath: (() => Thenable<void>) | undefined;

  suiteSetup(async function () {
    this.timeout(120_000);
    await activateExtension();
    const config = vscode.workspace.getConfiguration('multistage');
    const previous = config.inspect<string>('docker.path')?.globalValue;
    await config.update('docker.path', docker, vscode.ConfigurationTarget.Global);
    restoreDockerPath = () => vscode.workspace.getConfiguration('multistage').update('docker.path', previous, vscode.ConfigurationTarget.Global);
    const ready = spawnSync(docker, ['image', 'inspect', 'busybox:latest'], { stdio: 'ignore', timeout: 30_000 }).status === 0;
    if (!ready) {
      if (IN_CI) throw new Error(`Docker engine (${docker}) with busybox:latest missing under CI=true: run test/setup/docker.sh`);
      console.log(`[mocha] *** SKIPPED: build and compare needs the Docker engine (${docker}) with busybox:latest (test/setup/docker.sh) ***`);
      this.skip();
    }
  });

  suiteTeardown(async () => {
    for (const tag of tags) spawnSync(docker, ['image', 'rm', tag], { stdio: 'ignore', timeout: 60_000 });
    await restoreDockerPath?.();
  });

  test('multistage.buildAndCompare: builds both Dockerfiles and the panel shows the sizes Docker reports and the saving', async function () {
    this.timeout(300_000);
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const source = vscode.Uri.joinPath(extension.extensionUri, 'test', 'fixtures', 'compare-busybox');
    await vscode.workspace.fs.copy(source, workspaceFile('compare'), { overwrite: true });
    const editor = await openFile('compare/Dockerfile.after');

    const restoreKeep = await setSetting('compare.keepImages', true);
    const picks = answerQuickPicks([
      (label) => label.includes('Another Dockerfile'),
      (label) => label.includes('Build and compare'),
      (label) => label === 'compare/Dockerfile.before',
    ]);
    const panel = captureWebviewHtml();
    try {
      await vscode.commands.executeCommand('multistage.buildAndCompare', editor.document.uri);
    } finally {
      picks.restore();
      panel.restore();
      await restoreKeep();
    }
    assert.equal(picks.asked.length, 3, `quick picks asked: ${picks.asked.join(' | ')}`);
    const html = panel.html();
    assert.ok(html, 'no results panel was shown (see the Multistage output channel)');
    assert.match(panel.title() ?? '', /Dockerfile\.before.*Dockerfile\.after/);

    const before = bytesOf(field(html, 'before-bytes'));
    const after = bytesOf(field(html, 'after-bytes'));
    const saved = bytesOf(field(html, 'saved-bytes'));
    assert.equal(saved, before - after);
    // "before" keeps a 5 MB file in a lower layer; "after" deletes it in the layer that made it.
    assert.ok(saved > 4_900_000 && saved < 5_300_000, `saved ${saved}`);
    assert.match(field(html, 'saving-text'), /^Saved 5\.\d MB \(\d+\.\d%\)$/);
    assert.equal(field(html, 'after-layers'), String(Number(field(html, 'before-layers')) - 1));
    // The behaviour check ran both images (no port: the default command, `echo $GREETING`).
    assert.equal(field(html, 'behaviour-verdict'), 'After behaves like Before: both exited 0 with the same output.');
    // Both images were X-rayed before they were removed: the 5 MB the "before" RUN wrote are wasted there,
    // the panel says so per line, and both files show the figures above their instructions.
    assert.match(field(html, 'before-wasted'), /^5\.0 MB /);
    assert.match(field(html, 'after-wasted'), /^0 B /);
    assert.match(field(html, 'efficiency-change'), /^Efficiency [\d.]+ % → [\d.]+ % · wasted 5\.0 MB → 0 B$/);
    assert.match(html, /<table id="before-xray-table">[\s\S]*?<td class="num">4<\/td>\s*<td class="mono">RUN<\/td>\s*<td class="num">5\.0 MB<\/td>\s*<td class="num wasted">5\.0 MB<\/td>/);
    const api = extension.exports as MultistageApi;
    const lensAt = (uri: vscode.Uri, line: number) => api.xray.annotationsOf(uri).find((a) => a.line === line)?.label;
    assert.equal(lensAt(workspaceFile('compare/Dockerfile.before'), 3), '+5.0 MB · 5.0 MB wasted');
    assert.equal(lensAt(editor.document.uri, 3), '+0 B');
    for (const side of ['before', 'after'] as const) {
      const tag = field(html, `${side}-tag`);
      tags.push(tag);
      const inspected = spawnSync(docker, ['image', 'inspect', '--format', '{{.Size}}', tag], { encoding: 'utf8', timeout: 30_000 });
      assert.equal(inspected.status, 0, inspected.stderr);
      assert.equal(Number(inspected.stdout.trim()), side === 'before' ? before : after, `${side}: panel vs docker image inspect`);
    }
  });
});
