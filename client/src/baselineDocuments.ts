// Read-only documents for compare baselines that are not on disk (HEAD, the text before a rewrite):
// a content provider with its own scheme, so opening one never makes a dirty Untitled buffer, and the
// language client (whose document selector takes only file and untitled) never lints it as a user file.
import * as vscode from 'vscode';

export const BASELINE_SCHEME = 'multistage-baseline';

export class BaselineDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private next = 1;

  /** A URI showing `text` under the file's own name (so the editor picks the Dockerfile language). */
  uriFor(path: string | undefined, label: string, text: string): vscode.Uri {
    const name = path ? vscode.Uri.file(path).path : '/Dockerfile';
    // The same text for the same file and label reuses one document instead of opening another tab.
    for (const [key, known] of this.texts) {
      const uri = vscode.Uri.parse(key);
      if (known === text && uri.path === name && new URLSearchParams(uri.query).get('label') === label) return uri;
    }
    const uri = vscode.Uri.from({ scheme: BASELINE_SCHEME, path: name, query: new URLSearchParams({ label, n: String(this.next++) }).toString() });
    this.texts.set(uri.toString(), text);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }
}

let registered: BaselineDocuments | undefined;

export function registerBaselineDocuments(): vscode.Disposable {
  registered = new BaselineDocuments();
  const subscription = vscode.workspace.registerTextDocumentContentProvider(BASELINE_SCHEME, registered);
  return new vscode.Disposable(() => {
    subscription.dispose();
    registered = undefined;
  });
}

/** Opens a baseline's text read-only. */
export async function openBaselineDocument(path: string | undefined, label: string, text: string): Promise<vscode.TextDocument> {
  if (!registered) throw new Error('the baseline document provider is not registered');
  const document = await vscode.workspace.openTextDocument(registered.uriFor(path, label, text));
  return document.languageId === 'dockerfile' ? document : vscode.languages.setTextDocumentLanguage(document, 'dockerfile');
}
