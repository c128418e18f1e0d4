// textDocument/inlayHint: the compressed size after each FROM image, and the smaller variant's. Answers
// at once from what is known and starts lookups for the rest; when they land, the client is asked to
// refresh (workspace/inlayHint/refresh) and diagnostics are re-published with the new facts.
import type { InlayHint, InlayHintParams } from 'vscode-languageserver/node';
import { inlayLabel, type VariantSize } from '../analysis/hover';
import { smallerVariants } from '../images/variants';
import { pulledImage } from '../analysis/stageFacts';
import { imageSettingsFor, modelFor, platformOf, type ImageHandlerDeps } from './imageLookups';

export function createInlayHintHandler(deps: ImageHandlerDeps) {
  return async (params: InlayHintParams): Promise<InlayHint[]> => {
    try {
      const document = deps.documents.get(params.textDocument.uri);
      if (!document) return [];
      const { settings, lookup } = await imageSettingsFor(deps, document.uri);
      const model = modelFor(deps, document, settings);
      if (!model) return [];
      const hints: InlayHint[] = [];
      for (const stage of model.stages) {
        const image = pulledImage(stage);
        const range = stage.from.getImageRange();
        if (!image || !range) continue;
        const platform = platformOf(stage.platform, settings);
        const candidates = smallerVariants(image);
        // Started even when hints are off: the size rules read the same facts.
        deps.images.service.prefetch(image, platform, lookup);
        for (const c of candidates) deps.images.service.prefetch(c.reference, platform, { ...lookup, includeLocal: false });
        if (!settings.inlayHintsImageSize || range.end.line < params.range.start.line || range.start.line > params.range.end.line) continue;
        const report = deps.images.service.report(image, platform, lookup);
        const variants: VariantSize[] = candidates.map((c) => ({ ...c, report: deps.images.service.report(c.reference, platform, lookup) }));
        const label = inlayLabel(report, variants);
        if (!label) continue;
        const source = report?.registry ? 'registry' : `bundled snapshot of ${report?.snapshot?.date ?? report?.snapshot?.asOf}`;
        hints.push({ position: range.end, label, paddingLeft: true, tooltip: `Compressed download size for ${report!.platform}, from the ${source}. Hover the image for details.` });
      }
      return hints;
    } catch (error) {
      deps.connection.console.error(`Inlay hints for ${params.textDocument.uri} failed: ${error instanceof Error ? error.stack : String(error)}`);
      return [];
    }
  };
}

/**
 * When new facts arrive: one inlay refresh (if the client supports it) and one diagnostics re-publish,
 * coalesced over a quarter second so a burst of answers (an image and its variants) causes one refresh.
 */
export function refreshWhenImagesLearned(deps: ImageHandlerDeps, republish: () => void, clientRefreshes: boolean): void {
  let timer: NodeJS.Timeout | undefined;
  deps.images.service.onDidLearn(() => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      if (clientRefreshes) {
        deps.connection.languages.inlayHint.refresh().catch((error: unknown) => deps.connection.console.warn(`Inlay hint refresh failed: ${String(error)}`));
      }
      republish();
    }, 250);
  });
}
