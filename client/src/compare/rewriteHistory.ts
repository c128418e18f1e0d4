// "The file before the last Multistage rewrite", a Build and Compare baseline.
//
// Design: the rewrites (split, reorder, fix-all) arrive from the server as code actions that carry a
// WorkspaceEdit computed for the document version they were asked for. A client middleware snapshots that
// document's text when the actions are provided and attaches a command to each rewrite action; VS Code runs
// an action's command right after applying its edit, so the command fires only for the rewrite the user
// actually applied, and it stores the snapshot — exactly the text the rewrite replaced. Nothing is sent to
// the server and no action pays more than a reference to a string that already exists.
import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';
import { FIX_ALL_KIND, REORDER_TITLE, REWRITE_KIND, SPLIT_TITLE } from '../../../server/src/analysis/rewrite/names';

export const REMEMBER_REWRITE_COMMAND = 'multistage.rememberTextBeforeRewrite';

const REWRITE_KINDS = [REWRITE_KIND, FIX_ALL_KIND];
const STATE_KEY = 'multistage.compare.textBeforeRewrite';
const MAX_FILES = 20;
const MAX_TEXT = 1_000_000;

interface Remembered {
  text: string;
  /** ISO time of the rewrite. */
  at: string;
  /** The action's title ("Split into builder and runtime stages"). */
  title: string;
}

/** The same rewrites are also offered as quick fixes of their diagnostics, under these titles (the cache-mount reorder starts with the plain one's). */
const REWRITE_TITLES = [SPLIT_TITLE, REORDER_TITLE];

export function isMultistageRewrite(kind: vscode.CodeActionKind | undefined, title: string): boolean {
  if (kind === undefined) return false;
  if (REWRITE_KINDS.some((k) => kind.value === k || kind.value.startsWith(`${k}.`))) return true;
  return kind.value.startsWith('quickfix') && REWRITE_TITLES.some((t) => title.startsWith(t));
}

/** The provideCodeActions middleware: attaches the remember command to Multistage rewrite actions. */
export const rememberTextBeforeRewrites: NonNullable<Middleware['provideCodeActions']> = async (
  document,
  range,
  context,
  token,
  next,
) => {
  const actions = await next(document, range, context, token);
  if (!actions) return actions;
  let snapshot: string | undefined;
  for (const action of actions) {
    if (!(action instanceof vscode.CodeAction) || action.command || !isMultistageRewrite(action.kind, action.title)) continue;
    snapshot ??= document.getText();
    action.command = {
      command: REMEMBER_REWRITE_COMMAND,
      title: 'Remember the text before this rewrite',
      arguments: [document.uri.toString(), snapshot, action.title],
    };
  }
  return actions;
};

export class RewriteHistory {
  constructor(private readonly state: vscode.Memento) {}

  remember(uri: string, text: string, title: string): void {
    if (typeof uri !== 'string' || typeof text !== 'string' || text.length > MAX_TEXT) return;
    const all = { ...this.all(), [uri]: { text, at: new Date().toISOString(), title: String(title ?? '') } };
    const newestFirst = Object.entries(all).sort((a, b) => b[1].at.localeCompare(a[1].at)).slice(0, MAX_FILES);
    void this.state.update(STATE_KEY, Object.fromEntries(newestFirst));
  }

  textBefore(uri: vscode.Uri): Remembered | undefined {
    return this.all()[uri.toString()];
  }

  private all(): Record<string, Remembered> {
    return this.state.get<Record<string, Remembered>>(STATE_KEY) ?? {};
  }
}

export function registerRewriteHistory(history: RewriteHistory): vscode.Disposable {
  return vscode.commands.registerCommand(REMEMBER_REWRITE_COMMAND, (uri: string, text: string, title: string) =>
    history.remember(uri, text, title),
  );
}
