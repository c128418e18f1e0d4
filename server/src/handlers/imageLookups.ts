// What the hover and inlay-hint handlers share: their dependencies, the document's model, and the image
// settings of the document being served, which every lookup and report carries (platform, online,
// insecure registries), so no answer depends on which document asked last.
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DockerfileModel } from '../analysis/model';
import type { DocumentImageSettings, ImageSizes } from '../images/imageSizes';
import { effectivePlatform, type Platform } from '../images/platform';
import { DocumentModels } from './documentModels';
import { imageSettingsOf, type DocumentSettings, type SettingsStore } from './settings';

export interface ImageHandlerDeps {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  settings: SettingsStore;
  images: ImageSizes;
  /** Shared by the hover and inlay handlers; created on first use. */
  models?: DocumentModels;
}

/** The model of this document version under its settings' target. */
export function modelFor(deps: ImageHandlerDeps, document: TextDocument, settings: DocumentSettings): DockerfileModel | undefined {
  deps.models ??= new DocumentModels();
  return deps.models.get(document, settings.analysis.target);
}

/** The document's settings, and the image part of them that its lookups and reports carry. */
export async function imageSettingsFor(deps: ImageHandlerDeps, uri: string): Promise<{ settings: DocumentSettings; lookup: DocumentImageSettings }> {
  const settings = await deps.settings.forDocument(uri);
  return { settings, lookup: imageSettingsOf(settings) };
}

/** The platform a FROM line (or a COPY --from image in that stage) is pulled for. */
export function platformOf(fromPlatform: string | undefined, settings: DocumentSettings): Platform {
  return effectivePlatform(fromPlatform, settings.platform);
}
