/// <reference types="mocha" />
// Hovers and inlay hints in VS Code: image sizes read from a real registry (Debian's docker-registry on
// 127.0.0.1, started and stopped by the runner), `multistage.imageSizes.online: false`
// making no network call, and the stage hover.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { pushImage } from '../../registry/registryHarness';
import { runnerRegistry } from './support/registry';
import { waitFor } from './support/wait';
import { activateExtension, openFile, setSetting, workspaceFile } from './support/workspace';

const IN_CI = process.env.CI === 'true';

async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  return (hovers ?? [])
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

async function writeDockerfile(relPath: string, text: string): Promise<vscode.TextEditor> {
  await vscode.workspace.fs.writeFile(workspaceFile(relPath), Buffer.from(text));
  return openFile(relPath);
}

suite('hovers and inlay hints', () => {
  let image: { reference: string; compressedBytes: number; digest: string } | undefined;

  suiteSetup(async function () {
    await activateExtension();
    // The runner starts the registry (and stops it with its process group) and passes its address.
    const host = process.env.MULTISTAGE_E2E_REGISTRY;
    if (!host) {
      // Outside CI a machine without docker-registry skips these; in CI that is a failure.
      if (IN_CI) throw new Error('no registry under CI=true: run test/setup/registry.sh (apt-get install docker-registry)');
      console.log('[mocha] *** SKIPPED: hover tests need /usr/bin/docker-registry (test/setup/registry.sh) ***');
      this.skip();
    }
    const registry = runnerRegistry(host!);
    const pushed = await pushImage(registry, 'e2e/app', '1.0', { os: 'linux', architecture: 'amd64' }, [1_200_000, 2_345_678], 'docker');
    image = { reference: `${host}/e2e/app:1.0`, compressedBytes: pushed.compressedBytes, digest: pushed.digest };
  });

  test('FROM hover: compressed size, layer count, digest and source come from the registry', async () => {
    const editor = await writeDockerfile('hover/registry.Dockerfile', `FROM ${image!.reference}\nRUN true\n`);
    const uri = editor.document.uri;
    // The first lookup may outlast the hover timeout; the hover then says it is pending. Ask again until
    // the figure is there, as a user moving the mouse back would.
    const text = await waitFor('a hover with the registry size', async () => {
      const t = await hoverText(uri, new vscode.Position(0, 8));
      return t.includes('3.5 MB') ? t : undefined;
    });
    assert.match(text, /\| Compressed download \| \*\*3\.5 MB\*\* \(3,545,678 bytes\) \|/);
    assert.match(text, /\| Layers \| 2 \|/);
    assert.match(text, /Figures: registry, read /);
    assert.ok(text.includes(image!.digest.slice(7, 19)), `short digest ${image!.digest} missing in:\n${text}`);
    assert.match(text, /linux\/amd64/);
  });

  test('inlay hint: the compressed size appears after the FROM image once known', async () => {
    const editor = await writeDockerfile('hover/inlay.Dockerfile', `FROM ${image!.reference}\nCMD ["true"]\n`);
    const uri = editor.document.uri;
    const hint = await waitFor('an inlay hint with the size', async () => {
      const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>(
        'vscode.executeInlayHintProvider', uri, new vscode.Range(0, 0, 2, 0));
      return (hints ?? []).find((h) => {
        const label = typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('');
        return label.includes('3.5 MB');
      });
    });
    assert.equal(hint.position.line, 0);
    assert.ok(hint.position.character >= `FROM ${image!.reference}`.length, `hint at ${hint.position.character}`);
  });

  test('multistage.inlayHints.imageSize false: no size hint is shown, and turning it back on restores it', async () => {
    const editor = await writeDockerfile('hover/inlay-off.Dockerfile', `FROM ${image!.reference}\nCMD ["true"]\n`);
    const uri = editor.document.uri;
    const sizeHints = async () => {
      const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>(
        'vscode.executeInlayHintProvider', uri, new vscode.Range(0, 0, 2, 0));
      return (hints ?? []).filter((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')).includes('MB'));
    };
    await waitFor('the size hint', async () => (await sizeHints()).length > 0);
    const restore = await setSetting('inlayHints.imageSize', false);
    try {
      await waitFor('no size hint', async () => (await sizeHints()).length === 0);
    } finally {
      await restore();
    }
    await waitFor('the size hint again', async () => (await sizeHints()).length > 0);
  });

  test('multistage.imageSizes.online false: the hover answers without any request to the registry', async () => {
    let requests = 0;
    const fake: Server = createServer((req, res) => {
      requests++;
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    const port = (fake.address() as AddressInfo).port;
    const restore = await setSetting('imageSizes.online', false);
    try {
      const editor = await writeDockerfile('hover/offline.Dockerfile', `FROM 127.0.0.1:${port}/e2e/offline:1.0\n`);
      const text = await waitFor('the offline hover', async () => {
        const t = await hoverText(editor.document.uri, new vscode.Position(0, 8));
        return t.includes('Online lookups are off') ? t : undefined;
      });
      assert.match(text, new RegExp(`127\\.0\\.0\\.1:${port}/e2e/offline:1\\.0`));
      assert.equal(requests, 0, 'no request may reach the registry when online lookups are off');
    } finally {
      await restore();
      await new Promise((resolve) => fake.close(resolve));
    }
  });

  test('FROM hover offline: the figure comes from the bundled snapshot and names its date', async () => {
    const restore = await setSetting('imageSizes.online', false);
    try {
      const snapshot = JSON.parse(readFileSync(join(__dirname, '../../../server/src/images/snapshot/snapshot.json'), 'utf8')) as { generatedAt: string; entries: { image: string; platform: string; compressedBytes: number }[] };
      const entry = snapshot.entries.find((e) => e.image === 'node:22' && e.platform === 'linux/amd64');
      assert.ok(entry, 'the bundled snapshot has node:22 for linux/amd64');
      const editor = await writeDockerfile('hover/snapshot.Dockerfile', 'FROM --platform=linux/amd64 node:22\nCMD ["node", "--version"]\n');
      const text = await waitFor('the snapshot hover', async () => {
        const t = await hoverText(editor.document.uri, new vscode.Position(0, 30));
        return t.includes('bundled snapshot') ? t : undefined;
      });
      assert.ok(text.includes(`**${(entry.compressedBytes / 1e6).toFixed(1)} MB**`), text);
      assert.ok(text.includes(`bundled snapshot of ${snapshot.generatedAt}`), text);
      assert.match(text, /\| `node:22-slim` \| [\d.]+ MB \| [\d.]+ MB \(\d+ %\) \|/); // a smaller variant with its saving
      assert.match(text, /Online lookups are off/);
    } finally {
      await restore();
    }
  });

  test('stage hover: a stage name shows its base, whether it reaches the final image and who copies from it', async () => {
    const editor = await openFile('hover/stages.Dockerfile');
    const text = await waitFor('the stage hover', async () => {
      const t = await hoverText(editor.document.uri, new vscode.Position(0, 22));
      return t.includes('Stage') ? t : undefined;
    });
    // Facts, not wording: which stage, its base, that it reaches the final image, and the COPY using it.
    assert.match(text, /Stage `builder`.*stage 1 of 2/);
    assert.match(text, /Base: `golang:1\.22`/);
    assert.match(text, /Reaches the final image.*yes/);
    assert.match(text, /Used by:[\s\S]*COPY --from \(line 5\)/);
  });
});
