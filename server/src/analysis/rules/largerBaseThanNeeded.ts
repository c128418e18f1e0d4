import { sameLibcVariants } from '../data/baseImages';
import { imageName, parseImageRef } from '../imageReference';
import { buildEvidenceOf } from '../buildEvidence';
import { baseChain, finalStage, imageTextSource, pulledImage } from '../stageFacts';
import type { Finding, Fix, Rule, RuleContext } from '../types';
import { formatMegabytes } from '../bytes';

export const largerBaseThanNeeded: Rule = {
  id: 'larger-base-than-needed',
  defaultSeverity: 'hint',
  summary: 'A runtime stage uses a full image where a smaller variant of the same version line exists.',
  check(model, ctx: RuleContext) {
    const stage = finalStage(model);
    if (!stage) return [];
    const chain = baseChain(model, stage);
    // A stage that builds needs the full image; that case is toolchain-in-final-stage's (split, not swap).
    if (chain.some((s) => buildEvidenceOf(model, s, ctx.context).length > 0)) return [];
    const findings: Finding[] = [];
    for (const s of chain) {
      const image = pulledImage(s);
      if (image === undefined) continue;
      const variants = sameLibcVariants(image);
      if (variants.length === 0) continue;
      const range = s.from.getImageRange();
      const source = imageTextSource(model, s);
      if (!range) continue;
      const currentFacts = ctx.images?.get(image);
      const current = currentFacts?.compressedBytes;
      const fixes: Fix[] = [];
      let bestSaving: number | undefined;
      let snapshotDate: string | undefined;
      for (const variant of variants) {
        const variantFacts = ctx.images?.get(variant.ref);
        const smaller = variantFacts?.compressedBytes;
        const saving = current !== undefined && smaller !== undefined && smaller < current ? current - smaller : undefined;
        if (saving !== undefined && (bestSaving === undefined || saving > bestSaving)) {
          bestSaving = saving;
          // A figure from the bundled snapshot is only as recent as the snapshot: the message says which one.
          snapshotDate = currentFacts?.snapshotDate ?? variantFacts?.snapshotDate;
        }
        if (source && source.text === image) {
          fixes.push({
            title: `Switch to ${variant.ref}${saving !== undefined ? ` (saves ${formatMegabytes(saving)})` : ''}`,
            edits: [{ range: source.range, newText: variant.ref }],
            preferred: fixes.length === 0,
          });
        }
      }
      const name = imageName(parseImageRef(image));
      const caveat = name === 'node' || name === 'python' || name === 'ruby'
        ? ' If the stage installs packages with native extensions, they must come as prebuilt wheels/binaries or be built in an earlier stage.'
        : '';
      findings.push({
        range,
        message: `${image} is a full image and this stage builds nothing, so ${variants.map((v) => v.ref).join(' or ')} is enough: ${variants[0].what}${bestSaving !== undefined ? ` (${formatMegabytes(bestSaving)} smaller to download${snapshotDate ? `, per the bundled image-size snapshot of ${snapshotDate}` : ''})` : ''}.${caveat}`,
        fixes,
      });
    }
    return findings;
  },
};
