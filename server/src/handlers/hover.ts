// textDocument/hover: image sizes on FROM images, structure on stage names. The lookup waits at most
// `multistage.imageSizes.timeoutMs`, then answers with what is known (the rest arrives as inlay hints).
import type { Connection, Hover, HoverParams, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { hoverTargetAt, renderImageHover, renderScratchHover, renderStageHover, type VariantSize } from '../analysis/hover';
import type { DockerfileModel, Stage } from '../analysis/model';
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
  /** The model of exactly this document version (shared with diagnostics, so it is parsed once). */
  modelFor(document: TextDocument): Promise<DockerfileModel | undefined>;
}

/** Reads the document's settings and tells the image service which platform/online mode it uses. */
export async function imageSettingsFor(deps: ImageHandlerDeps, uri: string): Promise<{ settings: DocumentSettings; lookup: LookupSettings }> {
  const settings = await deps.settings.forDocument(uri);
  deps.images.noteSettings(uri, { platform: settings.platform, online: settings.imageSizesOnline, insecureRegistries: settings.insecureRegistries });
  return { settings, lookup: { online: settings.imageSizesOnline, timeoutMs: settings.imageSizesTimeoutMs, dockerPath: settings.dockerPath } };
}

/** Whether a stage's FROM names an image whose size can be looked up. */
export function sizedImage(stage: Stage): string | undefined {
  if (stage.baseStage !== undefined || stage.imageUnresolved || !stage.image) return undefined;
  return stage.image.toLowerCase() === 'scratch' ? undefined : stage.image;
}

export function platformOf(stage: Stage, settings: DocumentSettings): Platform {
  return effectivePlatform(stage.platform, settings.platform);
}

export function createHoverHandler(deps: ImageHandlerDeps) {
  return async (params: HoverParams): Promise<Hover | null> => {
    try {
      const document = deps.documents.get(params.textDocument.uri);
      if (!document) return null;
      const model = await deps.modelFor(document);
      const target = model && hoverTargetAt(model, params.position);
      if (!model || !target) return null;
      if (target.kind === 'stage') {
        return { contents: { kind: 'markdown', value: renderStageHover(model, target.stage) }, range: target.range };
      }
      if (target.stage.image?.toLowerCase() === 'scratch') {
        return { contents: { kind: 'markdown', value: renderScratchHover() }, range: target.range };
      }
      const image = sizedImage(target.stage);
      if (!image) return null;
      const { settings, lookup } = await imageSettingsFor(deps, document.uri);
      const platform = platformOf(target.stage, settings);
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
