// Next.js with `output: 'standalone'` → the runtime gets what `next build` traced for it: the standalone
// folder (server.js and the node_modules it needs), plus .next/static and public/, which Next leaves out
// of it on purpose. The start command (`next start`, `npm start`) becomes `node server.js`, which reads
// PORT and HOSTNAME: HOSTNAME is set to 0.0.0.0 because Docker sets it to the container's name, and PORT
// to the port the original listened on. .next/cache (image optimisation, ISR) is written at run time and
// is given to the runtime user.
import { listenPort } from '../ports';
import { execFormOf, relativeTo } from '../stageParts';
import { resolvePath } from '../../stageFacts';
import { copyFromBuilder, findRun, type Recipe, type RecipeInput, type SplitPlan } from './recipe';
import { appDirectory, dependencyNames, hasEnv, NODE_BUILD, nodeRuntime, packageJson } from './node';

const CONFIGS = ['next.config.js', 'next.config.mjs', 'next.config.ts', 'next.config.cjs'];
/** Numeric ids of the runtime users, for COPY --chown. */
const USER_IDS: Record<string, string> = { node: '1000', distroless: '65532' };

function isStandalone(input: RecipeInput): boolean {
  if (!dependencyNames(packageJson(input)).has('next')) return false;
  return CONFIGS.some((file) => /\boutput\s*:\s*['"]standalone['"]/.test(input.context?.read(file) ?? ''));
}

export const nextStandaloneRecipe: Recipe = {
  id: 'next-standalone',
  matches: (input) => isStandalone(input) && !!findRun(input, NODE_BUILD),
  plan(input): SplitPlan | undefined {
    const appDir = appDirectory(input);
    const runtime = nodeRuntime(input);
    const at = (path: string) => resolvePath(appDir, path);
    const owner = USER_IDS[runtime.family];
    const cache = at('.next/standalone/.next/cache');
    const artifacts = [
      copyFromBuilder(input, at('.next/standalone'), appDir),
      copyFromBuilder(input, at('.next/static'), at('.next/static')),
    ];
    // --chown on the COPY itself: BuildKit's cache key for COPY --from ignores owners, so a chown in the
    // builder could come back from the cache as a root-owned folder.
    if (owner) artifacts.push(`COPY --from=${input.builderName} --chown=${owner} ${cache} ${relativeTo(input.workdir, at('.next/cache'))}`);
    if (input.context?.isDirectory('public')) artifacts.push(copyFromBuilder(input, at('public'), at('public')));
    const port = listenPort(input);
    const env = ['ENV HOSTNAME=0.0.0.0'];
    if (port && port.port !== 3000 && !hasEnv(input, 'PORT')) env.push(`ENV PORT=${port.port}`);
    const distroless = runtime.family === 'distroless';
    const server = distroless ? '["server.js"]' : '["node", "server.js"]';
    return {
      ecosystem: 'node',
      runtime,
      builderAppend: owner ? [`RUN mkdir -p ${relativeTo(input.workdir, cache)}`] : [],
      runtimeEnv: env,
      artifacts,
      needsWorkdir: true,
      notes: [
        "# Next.js standalone output: server.js with the node_modules it needs; .next/static and public/ are copied beside it, .next/cache belongs to the runtime user.",
        ...(runtime.note ? [runtime.note] : []),
      ],
      rewriteCommand(segment) {
        const text = (execFormOf(segment.instruction) ?? [segment.instruction.getRawArgumentsContent() ?? '']).join(' ');
        if (/\bnext\s+start\b|\b(?:npm|yarn|pnpm)\s+(?:run\s+)?start\b/.test(text)) return `${segment.keyword} ${server}`;
        return undefined;
      },
    };
  },
};
