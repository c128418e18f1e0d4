// No ecosystem recognised: still move the build steps out of the final stage. The runtime starts from
// the same base when it is not a toolchain image (else debian-slim) and takes the working directory
// from the builder, since nothing tells which files there are the artifacts.
import { debianCodename, debianSlim, isAlpineTag, variantTag, type RuntimeImage } from '../runtimeImages';
import { copyFromBuilder, type Recipe, type SplitPlan } from './recipe';
import { isToolchainImage } from '../buildDetection';

export const genericRecipe: Recipe = {
  id: 'generic',
  matches: () => true,
  plan(input): SplitPlan | undefined {
    const sameBase = !isToolchainImage(input.base.name, input.base.tag);
    const alpine = isAlpineTag(input.base.tag) || input.base.name === 'alpine';
    const os = alpine ? 'alpine' : 'debian';
    let runtime: RuntimeImage;
    if (sameBase) runtime = { image: input.parts.stage.image ?? 'debian:bookworm-slim', family: os, os };
    // A full language image (ruby:3.3) runs on its own -slim line, which keeps the interpreter.
    else if (input.base.name === 'ruby') runtime = { image: variantTag(input.base.repository, input.base.tag, 'slim', 'ruby'), family: 'debian', os: 'debian' };
    else runtime = alpine ? { image: 'alpine:3.20', family: 'alpine', os: 'alpine' } : debianSlim(debianCodename(input.base.tag) ?? 'bookworm');
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
