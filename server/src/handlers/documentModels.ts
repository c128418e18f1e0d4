// The parsed model per document version, shared by the hover and inlay-hint handlers. Hovers need the
// stage graph only, not the rules, so they parse on their own instead of waiting for a full analysis of
// a big file. Keeps the most recent documents only; a model is rebuilt when the version or target changes.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { MAX_ANALYSED_CHARS } from '../analysis/analyze';
import { buildModel, type DockerfileModel } from '../analysis/model';

export class DocumentModels {
  private readonly byUri = new Map<string, { version: number; target?: string; model: DockerfileModel }>();

  constructor(private readonly maxDocuments = 20) {}

  get(document: TextDocument, target: string | undefined): DockerfileModel | undefined {
    const text = document.getText();
    // Same limit as the analysis: past it, nothing is parsed, so nothing is hovered either.
    if (text.length > MAX_ANALYSED_CHARS) return undefined;
    const cached = this.byUri.get(document.uri);
    if (cached && cached.version === document.version && cached.target === target) return cached.model;
    const model = buildModel(text, { target });
    this.byUri.delete(document.uri);
    this.byUri.set(document.uri, { version: document.version, target, model });
    if (this.byUri.size > this.maxDocuments) this.byUri.delete(this.byUri.keys().next().value as string);
    return model;
  }
}
