// No ecosystem recognised: still move the build steps out of the final stage. The runtime starts from
// the same base when it is not a toolchain image (else debian-slim) and takes the working directory
// from the builder, since nothing tells which files there are the artifacts.
import { debianCodename, debianSlim, isAlpineTag, variantTag, type RuntimeImage } from '../runtimeImages';
import { copyFromBuilder, type Recipe, type RecipeInput, type SplitPlan } from './recipe';
import { BUILD_COMMAND, INSTALLS_INTO_SYSTEM, isToolchainImage } from '../buildDetection';
import { contextCopies, execFormOf, workdirBefore } from '../stageParts';
import { resolvePath } from '../../stageFacts';

export const genericRecipe: Recipe = {
  id: 'generic',
  matches: () => true,
  plan(input): SplitPlan | undefined {
    const sameBase = !isToolchainImage(input.base.name, input.base.tag);
    const alpine = isAlpineTag(input.base.tag) || input.base.name === 'alpine';
    const os = alpine ? 'alpine' : 'debian';
    let runtime: RuntimeImage;
    if (sameBase) runtime = { image: input.parts.stage.image ?? 'debian:bookworm-slim', family: os, os };
    // A full language image runs on its own -slim line, which keeps the interpreter.
    else if (['ruby', 'node', 'python'].includes(input.base.name)) runtime = { image: variantTag(input.base.repository, input.base.tag, 'slim', input.base.name), family: 'debian', os: 'debian' };
    else runtime = alpine ? { image: 'alpine:3.20', family: 'alpine', os: 'alpine' } : debianSlim(debianCodename(input.base.tag) ?? 'bookworm');
    // Without a build command nothing says what the artifacts are: better no split than a broken one.
    if (input.workdir === '/' || !input.runs.some((r) => BUILD_COMMAND.test(r.command))) return undefined;
    if (input.runs.some((r) => INSTALLS_INTO_SYSTEM.test(r.command))) return undefined;
    // The program must be one the working directory holds (`./server`, `/app/bin/tool`); a command found
    // on PATH was installed somewhere this recipe cannot see, and the runtime would not have it.
    if (!startsFromWorkdir(input)) return undefined;
    // Files copied from the context to places outside the working directory come along as they were.
    const outside = new Set<string>();
    for (const copy of contextCopies(input.parts)) {
      const dest = resolvePath(workdirBefore(input.parts, copy.segment.instruction), copy.dest);
      if (dest !== input.workdir && !dest.startsWith(input.workdir + '/')) outside.add(dest);
    }
    return {
      ecosystem: 'generic',
      runtime,
      artifacts: [copyFromBuilder(input, input.workdir, input.workdir), ...[...outside].map((dest) => copyFromBuilder(input, dest, dest))],
      needsWorkdir: true,
      notes: ['# multistage: no recipe matched; the runtime takes the whole working directory. Narrow the COPY to the build output.'],
    };
  },
};

function startsFromWorkdir(input: RecipeInput): boolean {
  const segment = input.entrypoint ?? input.cmd;
  if (!segment) return false;
  const program = (execFormOf(segment.instruction) ?? (segment.instruction.getRawArgumentsContent() ?? '').trim().split(/\s+/))[0] ?? '';
  if (!program.includes('/') || program.includes('$')) return false;
  const path = resolvePath(input.workdir, program);
  return path.startsWith(`${input.workdir}/`);
}
