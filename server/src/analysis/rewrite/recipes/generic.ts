// No ecosystem recognised: still move the build steps out of the final stage. The runtime starts from
// the same base when it is not a toolchain image (else debian-slim) and takes the working directory
// from the builder, since nothing tells which files there are the artifacts.
import { debianCodename, debianSlim, isAlpineTag } from '../runtimeImages';
import { copyFromBuilder, type Recipe, type SplitPlan } from './recipe';
import { isToolchainImage } from '../buildDetection';

export const genericRecipe: Recipe = {
  id: 'generic',
  matches: () => true,
  plan(input): SplitPlan | undefined {
    const sameBase = !isToolchainImage(input.base.name, input.base.tag);
    const alpine = isAlpineTag(input.base.tag) || input.base.name === 'alpine';
    const runtime = sameBase
      ? { image: input.model.stages[input.parts.stage.index].image ?? 'debian:bookworm-slim', family: alpine ? 'alpine' as const : 'debian' as const, os: alpine ? 'alpine' as const : 'debian' as const }
      : alpine ? { image: 'alpine:3.20', family: 'alpine' as const, os: 'alpine' as const } : debianSlim(debianCodename(input.base.tag) ?? 'bookworm');
    if (input.workdir === '/') return undefined;
    return {
      ecosystem: 'generic',
      runtime,
      artifacts: [copyFromBuilder(input, input.workdir, input.workdir)],
      needsWorkdir: true,
      notes: ['# multistage: no recipe matched; the runtime takes the whole working directory. Narrow the COPY to the build output.'],
    };
  },
};
