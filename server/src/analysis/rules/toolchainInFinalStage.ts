import { buildOnlyDescription, sdkDescription } from '../data/baseImages';
import { parseImageRef } from '../imageReference';
import { buildEvidenceOf } from '../buildEvidence';
import { baseChain, finalStage, rootImage } from '../stageFacts';
import type { Finding, Rule } from '../types';

// No fix here: the fix is the "Split into builder and runtime stages" refactoring, which the code
// action handler offers for this diagnostic.
export const toolchainInFinalStage: Rule = {
  id: 'toolchain-in-final-stage',
  defaultSeverity: 'warning',
  summary: 'The final image carries a compiler or build toolchain.',
  check(model, ctx) {
    const stage = finalStage(model);
    if (!stage) return [];
    const root = rootImage(model, stage);
    const chain = baseChain(model, stage);
    const evidence = chain.flatMap((s) => buildEvidenceOf(model, s, ctx.context));
    const split = 'Split into builder and runtime stages so that only the build output reaches the final image.';
    if (root) {
      const ref = parseImageRef(root.image);
      const buildOnly = buildOnlyDescription(ref);
      const sdk = buildOnly ?? (evidence.length > 0 ? sdkDescription(ref) : undefined);
      if (sdk) {
        const because = buildOnly ? '' : ` and ${evidence[0].kind === 'build-step' ? `runs ${evidence[0].label}` : `installs ${evidence[0].label}`}`;
        const finding: Finding = {
          range: root.stage.from.getImageRange() ?? root.stage.from.getRange(),
          message: `The final image is built FROM ${root.image}, which ships ${sdk}${because}. ${split}`,
        };
        return [finding];
      }
    }
    if (evidence.length === 0) return [];
    const first = evidence[0];
    const what = first.kind === 'build-step'
      ? `runs a build step (${first.label})`
      : `installs compilers/build tools (${first.label}) and keeps them`;
    return [{ range: first.range, message: `The final stage ${what}: the toolchain and the build's inputs end up in the image. ${split}` }];
  },
};
