// textDocument/hover: image sizes on FROM images, structure on stage names. The lookup waits at most
// `multistage.imageSizes.timeoutMs`, then answers with what is known (the rest arrives as inlay hints).
import type { Hover, HoverParams } from 'vscode-languageserver/node';
import { hoverTargetAt, renderImageHover, renderScratchHover, renderStageHover, renderUnresolvedImageHover, type VariantSize } from '../analysis/hover';
import { isScratch } from '../analysis/data/baseImages';
import { pulledImage } from '../analysis/stageFacts';
import { smallerVariants } from '../images/variants';
import { imageSettingsFor, modelFor, platformOf, type ImageHandlerDeps } from './imageLookups';

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
        const base = pulledImage(target.stage);
        const baseSize = base ? deps.images.service.report(base, platformOf(target.stage.platform, settings), lookup) : undefined;
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
