// The images a Dockerfile pulls, each for the platform it is pulled for, with the smaller variants the
// hover, the inlay hint and `larger-base-than-needed` compare it with. Shared by the language server's
// diagnostics path and the CLI, so both ask for the same facts.
import type { DockerfileModel } from '../analysis/model';
import { pulledImage } from '../analysis/stageFacts';
import { effectivePlatform, type Platform } from './platform';
import { smallerVariants, type VariantCandidate } from './variants';

export interface DocumentImage {
  /** As written, ARGs resolved: "node:22". */
  reference: string;
  platform: Platform;
  /** 0-based line of the FROM instruction. */
  line: number;
  variants: VariantCandidate[];
}

/**
 * FROM images with a size to look up: not stages, not scratch, not images chosen at build time.
 * `platformSetting` is `multistage.platform` (or --platform), used where FROM has no --platform.
 */
export function imagesOf(model: DockerfileModel, platformSetting: string | undefined): DocumentImage[] {
  const images: DocumentImage[] = [];
  for (const stage of model.stages) {
    const image = pulledImage(stage);
    if (image === undefined) continue;
    images.push({
      reference: image,
      platform: effectivePlatform(stage.platform, platformSetting),
      line: stage.range.start.line,
      variants: smallerVariants(image),
    });
  }
  return images;
}
