// Hosts the results page in a webview: renders it with a fresh nonce, and answers its three messages
// (reveal a line, copy as Markdown, save JSON). The page itself is built by the pure renderComparePanel.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { compareToMarkdown } from '../../../server/src/docker/pure/compareMarkdown';
import type { CompareResult, Side } from '../../../server/src/docker/pure/compareTypes';
import { parsePanelMessage, renderComparePanel } from './panel';
import type { SideSource } from './baselines';
import { openBaselineDocument } from '../baselineDocuments';

export function showComparePanel(
  result: CompareResult,
  sources: Record<Side, SideSource>,
  output: vscode.LogOutputChannel,
): vscode.WebviewPanel {
  const panel = vscode.window.createWebviewPanel(
    'multistage.compare',
    `Compare: ${shortName(result.before.dockerfile)} → ${shortName(result.after.dockerfile)}`,
    // The main editor column: the page is wide (chart, two layer tables); a side column squeezes it.
    { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
    // No local resources either: the page is self-contained.
    { enableScripts: true, localResourceRoots: [], enableCommandUris: false },
  );
  panel.webview.html = renderComparePanel(result, {
    nonce: randomBytes(16).toString('base64'),
    cspSource: panel.webview.cspSource,
    revealable: { before: canReveal(sources.before), after: canReveal(sources.after) },
  });
  panel.webview.onDidReceiveMessage(async (raw) => {
    const message = parsePanelMessage(raw);
    if (!message) return;
    try {
      if (message.type === 'reveal') await revealLine(sources[message.side], message.line);
      else if (message.type === 'copyMarkdown') {
        await vscode.env.clipboard.writeText(compareToMarkdown(result));
        void vscode.window.showInformationMessage('Comparison copied as Markdown.');
      } else if (message.type === 'saveJson') await saveJson(result);
    } catch (error) {
      output.error(`Build and Compare panel: ${error instanceof Error ? error.stack : String(error)}`);
      void vscode.window.showErrorMessage(`Multistage: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  return panel;
}

function canReveal(source: SideSource): boolean {
  return source.path !== undefined || source.text !== undefined;
}

/** Opens the side's file (or, for a baseline that is not on disk, a read-only copy of its text). */
async function revealLine(source: SideSource, line: number): Promise<void> {
  const document =
    source.text === undefined && source.path
      ? await vscode.workspace.openTextDocument(vscode.Uri.file(source.path))
      : await openBaselineText(source);
  const position = new vscode.Position(Math.min(line - 1, document.lineCount - 1), 0);
  await vscode.window.showTextDocument(document, {
    // Beside the panel, which keeps the column it opened in.
    viewColumn: vscode.ViewColumn.Beside,
    selection: new vscode.Range(position, document.lineAt(position.line).range.end),
  });
}

async function openBaselineText(source: SideSource): Promise<vscode.TextDocument> {
  // An unsaved working copy is the open editor itself.
  const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === source.path && d.getText() === source.text);
  if (open) return open;
  return openBaselineDocument(source.path, source.label, source.text ?? '');
}

async function saveJson(result: CompareResult): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = `multistage-compare-${result.finishedAt.slice(0, 19).replace(/[:T]/g, '-')}.json`;
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: { JSON: ['json'] },
    saveLabel: 'Save comparison',
  });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, Buffer.from(`${JSON.stringify(result, null, 2)}\n`, 'utf8'));
  void vscode.window.showInformationMessage(`Saved ${vscode.workspace.asRelativePath(target)}.`);
}

function shortName(label: string): string {
  const last = label.split(/[\\/]/).pop() ?? label;
  return last.length > 40 ? `${last.slice(0, 39)}…` : last;
}
