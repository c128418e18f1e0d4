// textDocument/hover: image sizes on FROM images, structure on stage names. The lookup waits at most
// `multistage.imageSizes.timeoutMs`, then answers with what is known (the rest arrives as inlay hints).
import type { Connection, Hover, HoverParams, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { hoverTargetAt, renderImageHover, renderScratchHover, renderStageHover, renderUnresolvedImageHover, type VariantSize } from '../analysis/hover';
import { MAX_ANALYSED_CHARS } from '../analysis/analyze';
import { buildModel, type DockerfileModel, type Stage } from '../analysis/model';
import { isScratch } from '../analysis/data/baseImages';
import { pulledImage } from '../analysis/stageFacts';
import type { ImageSizes } from '../images/imageSizes';
import type { LookupSettings } from '../images/imageSizeService';
import { effectivePlatform, type Platform } from '../images/platform';
import { smallerVariants } from '../images/variants';
import type { DocumentSettings, SettingsStore } from './settings';

export interface ImageHandlerDeps {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  settings: SettingsStore;
  images: ImageSizes;
  /** Shared by the hover and inlay handlers; created on first use. */
  models?: DocumentModels;
}

/**
 * The parsed model per document version, for hovers and inlay hints. Hovers need the stage graph only,
 * not the rules, so they parse on their own instead of waiting for a full analysis of a big file.
 * Keeps the most recent documents only; a model is rebuilt when the version or target changes.
 */
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

/** The model of this document version under its settings' target. */
export function modelFor(deps: ImageHandlerDeps, document: TextDocument, settings: DocumentSettings): DockerfileModel | undefined {
  deps.models ??= new DocumentModels();
  return deps.models.get(document, settings.analysis.target);
}

/** Reads the document's settings; the lookups it starts carry them (nothing is left on the service). */
export async function imageSettingsFor(deps: ImageHandlerDeps, uri: string): Promise<{ settings: DocumentSettings; lookup: LookupSettings }> {
  const settings = await deps.settings.forDocument(uri);
  deps.images.useInsecureRegistries(settings.insecureRegistries);
  return { settings, lookup: { online: settings.imageSizesOnline, timeoutMs: settings.imageSizesTimeoutMs, dockerPath: settings.dockerPath } };
}

/** Whether a stage's FROM names an image whose size can be looked up. */
export function sizedImage(stage: Stage): string | undefined {
  return pulledImage(stage);
}

/** The platform a FROM line (or a COPY --from image in that stage) is pulled for. */
export function platformOf(fromPlatform: string | undefined, settings: DocumentSettings): Platform {
  return effectivePlatform(fromPlatform, settings.platform);
}

export function createHoverHandler(deps: ImageHandlerDeps) {
  return async (params: HoverParams): Promise<Hover | null> => {
    try {
      const document = deps.documents.get(params.textDocument.uri);
      if (!document) return null;
      const { settings, lookup } = await imageSettingsFor(deps, document.uri);
      const model = modelFor(deps, document, settings);
      const target = model && hoverTargetAt(model, params.position);
      if (!model || !target) return null;
      if (target.kind === 'stage') {
        const base = sizedImage(target.stage);
        const baseSize = base ? deps.images.service.report(base, platformOf(target.stage.platform, settings), lookup.online) : undefined;
        return { contents: { kind: 'markdown', value: renderStageHover(model, target.stage, baseSize) }, range: target.range };
      }
      if (isScratch(target.image)) {
        return { contents: { kind: 'markdown', value: renderScratchHover() }, range: target.range };
      }
      if (target.unresolved) return { contents: { kind: 'markdown', value: renderUnresolvedImageHover(target.image) }, range: target.range };
      const image = target.image;
      const platform = platformOf(target.platform, settings);
      const candidates = smallerVariants(image);
      const [report, ...variantReports] = await Promise.all([
        deps.images.service.lookup(image, platform, lookup),
        ...candidates.map((c) => deps.images.service.lookup(c.reference, platform, { ...lookup, includeLocal: false })),
      ]);
      if (!report) return null;
      const variants: VariantSize[] = candidates.map((c, i) => ({ ...c, report: variantReports[i] }));
      return { contents: { kind: 'markdown', value: renderImageHover(report, variants, Date.now()) }, range: target.range };
    } catch (error) {
      deps.connection.console.error(`Hover for ${params.textDocument.uri} failed: ${error instanceof Error ? error.stack : String(error)}`);
      return null;
    }
  };
}
