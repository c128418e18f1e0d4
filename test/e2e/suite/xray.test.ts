/// <reference types="mocha" />
// "Multistage: X-ray Image" inside VS Code: the command builds a Dockerfile with known waste (3 MB written
// by one RUN, deleted by the next) with the real Docker engine, and the editor shows a CodeLens per
// instruction and the measured finding on the line that wrote the bytes; editing that line removes both,
// lines inserted above move the rest. A measured finding that a rule also predicts offers the rule's fix
// (the real language server's), named as measured.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as vscode from 'vscode';
import { activateExtension, codeActionsAt, openFile, waitForDiagnostic, workspaceFile } from './support/workspace';
import { waitFor } from './support/wait';
import type { MultistageApi } from '../../../client/src/extension';

const IN_CI = process.env.CI === 'true';
const docker = process.env.MULTISTAGE_E2E_DOCKER || 'docker';
const MEASURED = 'Multistage (measured)';

const measured = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === MEASURED);
const lenses = async (uri: vscode.Uri) =>
  ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [])
    .filter((l) => /^\+[\d.]+ [kMGT]?B/.test(l.command?.title ?? ''))
    .map((l) => ({ line: l.range.start.line, title: l.command!.title }));

async function insert(editor: vscode.TextEditor, line: number, character: number, text: string): Promise<void> {
  assert.ok(await editor.edit((b) => b.insert(new vscode.Position(line, character), text)), 'the edit was refused');
}

suite('image x-ray', () => {
  let api: MultistageApi;

  suiteSetup(async function () {
    this.timeout(60_000);
    api = (await activateExtension()).exports as MultistageApi;
  });

  test('multistage.xrayImage: a CodeLens per instruction and the measured finding on the line that wrote the bytes; they go when the line changes', async function () {
    this.timeout(180_000);
    requireBusybox(this);
    const editor = await openFile('xray/Dockerfile');
    const uri = editor.document.uri;
    const config = vscode.workspace.getConfiguration('multistage');
    const previous = config.inspect<string>('docker.path')?.globalValue;
    await config.update('docker.path', docker, vscode.ConfigurationTarget.Global);
    let outcome: { ok: boolean; report?: { imageId: string; wastedBytes: number }; failure?: { message: string } } | undefined;
    try {
      outcome = await vscode.commands.executeCommand('multistage.xrayImage', uri, { build: true });
    } finally {
      await config.update('docker.path', previous, vscode.ConfigurationTarget.Global);
    }
    assert.ok(outcome?.ok, `the X-ray failed: ${outcome?.failure?.message ?? 'no outcome (see the Multistage output)'}`);
    const imageId = outcome.report!.imageId;
    assert.equal(outcome.report!.wastedBytes, 3_000_000);
    // The image was built under a temporary tag for the X-ray only: it is gone.
    assert.notEqual(spawnSync(docker, ['image', 'inspect', imageId], { stdio: 'ignore', timeout: 30_000 }).status, 0, `${imageId} left behind`);

    const shown = await waitFor('X-ray CodeLenses', async () => ((await lenses(uri)).length >= 3 ? lenses(uri) : undefined));
    assert.deepEqual(shown.map((l) => [l.line, l.title.replace(/^\+[\d.]+ [kM]B · base image$/, '+(base)')]), [[0, '+(base)'], [2, '+3.0 MB · 3.0 MB wasted'], [3, '+0 B']]);
    const short = imageId.replace(/^sha256:/, '').slice(0, 12);
    // The CodeLens tooltips (which executeCodeLensProvider does not hand back) name the build.
    const tooltips = api.xray.annotationsOf(uri).map((a) => a.tooltip);
    assert.equal(tooltips.length, 3);
    for (const t of tooltips) assert.match(t, new RegExp(`X-ray of image ${short}, built from xray/Dockerfile, \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC`));

    const [finding] = measured(uri);
    assert.ok(finding, 'a measured diagnostic');
    assert.equal(finding.range.start.line, 2);
    assert.equal(finding.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(finding.message, /^3\.0 MB in 1 file from this layer is deleted by line 4 \(RUN\).*\/blob\.bin.* — measured$/);
    assert.equal(typeof finding.code === 'object' ? finding.code.value : finding.code, 'cleanup-in-later-layer');
    assert.equal(finding.relatedInformation?.[0]?.location.range.start.line, 3, 'points at the RUN that deleted the bytes');

    // A line inserted above moves everything down, unchanged.
    await insert(editor, 1, 0, '# measured below\n');
    await waitFor('the CodeLenses moved down', async () => (await lenses(uri)).map((l) => l.line).join() === '0,3,4');
    assert.equal(measured(uri)[0]?.range.start.line, 3);
    // Typing in the RUN line that wrote the bytes: its figures and its finding go; the others stay.
    await insert(editor, 3, editor.document.lineAt(3).text.length, ' && sync');
    await waitFor('the edited line loses its CodeLens and its finding', async () => (await lenses(uri)).map((l) => l.line).join() === '0,4' && measured(uri).length === 0);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await waitFor('all X-ray figures gone when the file is closed', () => api.xray.annotationsOf(uri).length === 0);
  });

  test('"Pick a local image built from it": the image built from this file is listed first, and its X-ray annotates the file', async function () {
    this.timeout(180_000);
    requireBusybox(this);
    const editor = await openFile('xray/Dockerfile');
    const uri = editor.document.uri;
    const tag = `multistage-test/xedit/xray-e2e:${process.pid}`;
    const built = spawnSync(docker, ['build', '-q', '-t', tag, '-f', uri.fsPath, workspaceFile('xray').fsPath], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, DOCKER_BUILDKIT: '1' } });
    assert.equal(built.status, 0, built.stderr);
    const config = vscode.workspace.getConfiguration('multistage');
    const previous = config.inspect<string>('docker.path')?.globalValue;
    await config.update('docker.path', docker, vscode.ConfigurationTarget.Global);
    const original = vscode.window.showQuickPick;
    const offered: { title?: string; items: vscode.QuickPickItem[] }[] = [];
    (vscode.window as { showQuickPick: unknown }).showQuickPick = async (items: unknown, options?: vscode.QuickPickOptions) => {
      const list = (await items) as vscode.QuickPickItem[];
      offered.push({ title: options?.title, items: list });
      return offered.length === 1 ? list.find((i) => i.label.includes('Pick a local image')) : list.find((i) => i.label === tag);
    };
    let outcome: { ok: boolean; report?: { imageId: string } } | undefined;
    try {
      outcome = await vscode.commands.executeCommand('multistage.xrayImage', uri);
    } finally {
      (vscode.window as { showQuickPick: unknown }).showQuickPick = original;
      await config.update('docker.path', previous, vscode.ConfigurationTarget.Global);
      spawnSync(docker, ['image', 'rm', tag], { stdio: 'ignore', timeout: 60_000 });
    }
    assert.equal(offered.length, 2, offered.map((o) => o.title).join(' | '));
    const images = offered[1].items;
    // Under "Built from this file", before any other image, with how much of the file its history repeats.
    assert.equal(images[0].label, 'Built from this file');
    const mine = images.findIndex((i) => i.label === tag);
    const others = images.findIndex((i) => i.label === 'Other local images');
    assert.ok(mine > 0 && (others < 0 || mine < others), images.map((i) => i.label).join(' | '));
    assert.match(images[mine].detail ?? '', /^\d+ instructions? of this file in its history$/);
    assert.ok(outcome?.ok);
    const annotations = api.xray.annotationsOf(uri);
    assert.equal(annotations.find((a) => a.line === 2)?.label, '+3.0 MB · 3.0 MB wasted');
    assert.match(annotations[0].tooltip, new RegExp(`X-ray of image ${tag.replace(/[/.]/g, '\\$&')} \\([0-9a-f]{12}\\), a local image, `));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('a measured finding a rule also predicts offers that rule\'s fix, named as measured; "Ignore …" is not re-offered', async function () {
    this.timeout(60_000);
    const editor = await openFile('xray/apt.Dockerfile');
    const uri = editor.document.uri;
    const predicted = await waitForDiagnostic(uri, 'apt-lists-not-removed');
    const texts = [editor.document.lineAt(1).text];
    const source = { image: 'app:dev', imageId: 'sha256:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', analysedAt: new Date().toISOString(), origin: 'a local image' };
    api.xray.show(editor.document, [{
      line: 1, measuredLine: 1, texts, addedBytes: 60_000_000, wastedBytes: 0, label: '+60.0 MB', tooltip: 'X-ray of image app:dev',
      findings: [{ kind: 'known-waste', message: '42.1 MB of apt lists stay in this layer — measured', bytes: 42_100_000, severity: 'warning', ruleId: 'apt-lists-not-removed' }],
    }], source);
    const finding = await waitFor('the measured diagnostic', () => measured(uri)[0]);
    const staticFix = (await codeActionsAt(uri, predicted.range, vscode.CodeActionKind.QuickFix)).find((a) => a.title.startsWith('Append'));
    assert.ok(staticFix?.edit, 'the language server offers its fix');
    const actions = await codeActionsAt(uri, finding.range, vscode.CodeActionKind.QuickFix);
    // (executeCodeActionProvider hands actions back without their diagnostics: the title tells them apart.)
    const offered = actions.filter((a) => a.title.endsWith('(measured: 42.1 MB)'));
    assert.deepEqual(offered.map((a) => a.title), [`${staticFix.title} (measured: 42.1 MB)`]);
    assert.deepEqual(offered[0].edit!.get(uri).map((e) => [e.range.start.line, e.range.start.character, e.newText]), staticFix.edit.get(uri).map((e) => [e.range.start.line, e.range.start.character, e.newText]));
    // Applying it fixes the prediction, and the measured figures of the line go with its old text.
    assert.ok(await vscode.workspace.applyEdit(offered[0].edit!));
    await waitFor('no measured diagnostic after the fix', () => measured(uri).length === 0);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});

/** Skips loudly without the engine and its busybox image; under CI=true that is a failure instead. */
function requireBusybox(context: Mocha.Context): void {
  const ready = spawnSync(docker, ['image', 'inspect', 'busybox:latest'], { stdio: 'ignore', timeout: 30_000 }).status === 0;
  if (ready) return;
  if (IN_CI) throw new Error(`Docker engine (${docker}) with busybox:latest missing under CI=true: run test/setup/docker.sh`);
  console.log(`[mocha] *** SKIPPED: image x-ray needs the Docker engine (${docker}) with busybox:latest (test/setup/docker.sh) ***`);
  context.skip();
}
