// Node/TypeScript server → build with all dependencies, prune the dev ones in the builder, and run the
// build output with production node_modules on node:<same major>-slim as the image's `node` user.
import { execFormOf, relativeTo, workdirBefore, type Segment } from '../stageParts';
import { resolvePath } from '../../stageFacts';
import { isToolchainImage } from '../buildDetection';
import { workspacePackageFiles } from '../packageManifests';
import { distroless, isAlpineTag, LIBC_NOTE, variantTag, type RuntimeImage } from '../runtimeImages';
import { copyFromBuilder, findRun, readJson, sourceCopies, type Recipe, type RecipeInput, type SplitPlan } from './recipe';
import { nativeModules, nativeNeeds, runtimeFiles } from './nodeRuntimeFiles';

export type PackageManager = 'npm' | 'yarn' | 'pnpm';

const INSTALL = /\b(?:npm\s+(?:ci|install|i)\b|yarn(?:\s+install)?(?:\s|$)|pnpm\s+(?:install|i)\b)/;
export const NODE_BUILD = /\b(?:(?:npm|pnpm)\s+run(?:-script)?\s+build[\w:-]*|yarn\s+(?:run\s+)?build[\w:-]*|pnpm\s+build[\w:-]*|(?:npx\s+)?tsc\b|nest\s+build|ng\s+build|vite\s+build|react-scripts\s+build)/;
const DEV_RUNNERS = /\b(?:ts-node|tsx|nodemon|ts-node-dev|npm\s+run\s+dev|yarn\s+dev|pnpm\s+dev)\b/;

export function packageManager(input: RecipeInput): PackageManager {
  const ctx = input.context;
  if (ctx?.exists('pnpm-lock.yaml') || findRun(input, /\bpnpm\b/)) return 'pnpm';
  if (ctx?.exists('yarn.lock') || findRun(input, /\byarn\b/)) return 'yarn';
  return 'npm';
}

export function packageJson(input: RecipeInput): Record<string, unknown> | undefined {
  return readJson(input, 'package.json');
}

export function dependencyNames(pkg: Record<string, unknown> | undefined): Set<string> {
  const names = new Set<string>();
  for (const key of ['dependencies', 'devDependencies']) {
    const deps = pkg?.[key];
    if (deps && typeof deps === 'object') for (const name of Object.keys(deps)) names.add(name);
  }
  return names;
}

export function isNodeStage(input: RecipeInput): boolean {
  return input.base.name === 'node' || !!findRun(input, INSTALL) || !!input.context?.exists('package.json');
}

/** Where the application package (package.json) sits in the builder: the directory npm installs in. */
export function appDirectory(input: RecipeInput): string {
  const install = findRun(input, INSTALL);
  return install?.segment.workdir ?? input.workdir;
}

export function nodeRuntime(input: RecipeInput): RuntimeImage {
  const { repository, tag } = input.base;
  const repo = input.base.name === 'node' ? repository : 'node';
  const major = /^(\d+)/.exec(tag ?? '')?.[1];
  switch (input.flavor) {
    case 'alpine':
      return { image: variantTag(repo, tag, 'alpine', 'node'), family: 'node', os: 'alpine' };
    case 'distroless':
      if (major && ['18', '20', '22'].includes(major)) return { image: `${distroless(`nodejs${major}`)}`, family: 'distroless', os: 'none' };
      return { image: variantTag(repo, tag, 'slim', 'node'), family: 'node', os: 'debian', note: '# multistage: no distroless image for this Node version; using -slim.' };
    default:
      if (isAlpineTag(tag)) return { image: `${repo}:${tag}`, family: 'node', os: 'alpine' };
      return { image: variantTag(repo, tag, 'slim', 'node'), family: 'node', os: 'debian' };
  }
}

/** The folder the TypeScript/bundler build writes to, as an absolute builder path. */
function buildOutput(input: RecipeInput, pkg: Record<string, unknown> | undefined, appDir: string): string | undefined {
  // `next start` serves .next (without output: 'standalone', which has its own recipe).
  if (dependencyNames(pkg).has('next')) return resolvePath(appDir, '.next');
  const tsconfig = readJson(input, 'tsconfig.build.json') ?? readJson(input, 'tsconfig.json');
  const outDir = (tsconfig?.compilerOptions as Record<string, unknown> | undefined)?.outDir;
  if (typeof outDir === 'string') return resolvePath(appDir, outDir);
  const main = typeof pkg?.main === 'string' ? pkg.main.replace(/^\.\//, '') : undefined;
  if (main && main.includes('/')) return resolvePath(appDir, main.split('/')[0]);
  // The script CMD runs is relative to the final working directory.
  const cmdFile = commandFile(input.entrypoint ?? input.cmd)?.replace(/^\.\//, '');
  if (cmdFile && cmdFile.includes('/')) return resolvePath(input.workdir, cmdFile.split('/')[0]);
  // `serve -s build`, `http-server dist`: the start command names the output folder.
  const folder = startWords(input).map((w) => w.replace(/^\.\//, '').replace(/\/+$/, '')).find((w) => OUTPUT_FOLDERS.has(w));
  return folder ? resolvePath(input.workdir, folder) : undefined;
}

const OUTPUT_FOLDERS = new Set(['dist', 'build', 'out', 'lib', 'public']);

function startWords(input: RecipeInput): string[] {
  const segment = input.entrypoint ?? input.cmd;
  if (!segment) return [];
  return execFormOf(segment.instruction) ?? (segment.instruction.getRawArgumentsContent() ?? '').split(/\s+/);
}

/** `npm install -g serve` in the builder, when the start command runs a tool it installed. */
function globalToolsInstall(input: RecipeInput): string | undefined {
  const start = new Set(startWords(input).filter((w) => !w.startsWith('-')));
  const tools: string[] = [];
  for (const run of input.runs) {
    for (const m of run.command.matchAll(/\bnpm\s+(?:install|i|add)\s+(?:-g|--global)\s+([^&;|]+)/g)) {
      tools.push(...m[1].trim().split(/\s+/).filter((w) => !w.startsWith('-')));
    }
  }
  const used = tools.filter((pkg) => start.has(pkg.replace(/^@[^/]+\//, '').replace(/@[^@]*$/, '')));
  return used.length > 0 ? `RUN npm install -g ${used.join(' ')} && npm cache clean --force` : undefined;
}

/** The script `node <file>` runs, from CMD/ENTRYPOINT. */
function commandFile(segment: Segment | undefined): string | undefined {
  if (!segment) return undefined;
  const words = execFormOf(segment.instruction) ?? (segment.instruction.getRawArgumentsContent() ?? '').split(/\s+/);
  const nodeAt = words.findIndex((w) => /(?:^|\/)node$/.test(w));
  return nodeAt >= 0 ? words.slice(nodeAt + 1).find((w) => !w.startsWith('-')) : undefined;
}

/** Yarn 2+ (berry) has no `install --production`; `workspaces focus` is its way to drop dev dependencies. */
function isYarnBerry(input: RecipeInput): boolean {
  const manager = packageJson(input)?.packageManager;
  return !!input.context?.exists('.yarnrc.yml') || (typeof manager === 'string' && /^yarn@[2-9]/.test(manager));
}

function pruneCommand(manager: PackageManager, cd: string, berry: boolean): string {
  switch (manager) {
    case 'pnpm':
      return `RUN ${cd}pnpm prune --prod`;
    case 'yarn':
      if (berry) return `RUN ${cd}yarn workspaces focus --all --production`;
      return `RUN ${cd}yarn install --production --frozen-lockfile --ignore-scripts --prefer-offline`;
    default:
      return `RUN ${cd}npm prune --omit=dev`;
  }
}

export const nodeRecipe: Recipe = {
  id: 'node',
  matches: isNodeStage,
  plan(input): SplitPlan | undefined {
    // Without a project install or build (a dev container, a global tool) there is no app to carry over.
    const projectInstall = input.runs.some((r) => INSTALL.test(r.command) && !/\s(?:-g|--global)\b/.test(r.command));
    if (!projectInstall && !findRun(input, NODE_BUILD)) return undefined;
    const pkg = packageJson(input);
    const manager = packageManager(input);
    const natives = nativeModules(input);
    let runtime = nodeRuntime(input);
    const notes: string[] = [];
    if (runtime.os === 'alpine' && !isAlpineTag(input.base.tag)) {
      if (natives.length > 0) {
        // A module node-gyp compiled against glibc in the builder does not load on musl.
        runtime = { image: variantTag(input.base.name === 'node' ? input.base.repository : 'node', input.base.tag, 'slim', 'node'), family: 'node', os: 'debian' };
        notes.push(`# multistage: ${natives.map((n) => n.name).join(', ')} ${natives.length > 1 ? 'are native modules' : 'is a native module'} built against glibc in the builder; the runtime stays on Debian instead of Alpine.`);
      } else notes.push(LIBC_NOTE('Alpine'));
    }
    const appDir = appDirectory(input);
    const built = findRun(input, NODE_BUILD);
    const artifacts: string[] = [];
    if (runtime.note) notes.push(runtime.note);

    const copy = (path: string) => artifacts.push(copyFromBuilder(input, path, path));
    // The build already threw node_modules away (a bundled app): there is nothing to prune or copy.
    const modulesRemoved = findRun(input, /\brm\s+-\w+\s+(?:\.\/)?node_modules\b/) !== undefined;
    const copyModules = () => {
      if (!modulesRemoved) copy(resolvePath(appDir, 'node_modules'));
    };
    // Workspace packages are linked from node_modules: each one comes along whole (sources, build, manifest).
    const workspaces = input.context ? workspacePackageFiles(input.context, '').map((f) => resolvePath(appDir, f.slice(0, f.lastIndexOf('/')))) : [];
    // In a monorepo the packages build into their own folders, which come along whole.
    const output = built ? buildOutput(input, pkg, appDir) ?? (workspaces.length > 0 ? undefined : resolvePath(appDir, 'dist')) : undefined;
    if (output || workspaces.length > 0) {
      copy(resolvePath(appDir, 'package.json'));
      copyModules();
      for (const dir of workspaces) copy(dir);
      if (output && !workspaces.some((dir) => output === dir || output.startsWith(dir + '/'))) copy(output);
      // Files the app may open at run time (public/, views/, migrations/, .env) sit beside the build output.
      const extras = runtimeFiles(input, appDir, [...workspaces, ...(output ? [output] : [])]);
      for (const path of extras) copy(path);
      if (extras.length > 0) {
        const names = extras.map((p) => relativeTo(appDir, p).replace(/^\.\//, '')).join(', ');
        notes.push(`# multistage: ${names} ${extras.length > 1 ? 'are' : 'is'} copied beside the build output because the app may read ${extras.length > 1 ? 'them' : 'it'} at run time; drop what it does not.`);
      }
    } else if (appDir !== '/') {
      // Plain JavaScript: the app folder as the build left it (sources, files build steps wrote such as a
      // migrated database, modules without the dev dependencies), and what was copied elsewhere.
      copy(appDir);
      artifacts.push(...sourceCopies(input, (segment) => !insideApp(input, segment, appDir)));
    } else {
      artifacts.push(...sourceCopies(input));
      copyModules();
    }
    const tools = globalToolsInstall(input);
    if (tools) artifacts.unshift(tools);
    const main = typeof pkg?.main === 'string' ? pkg.main.replace(/^\.\//, '') : output ? `${relativeTo(appDir, output).replace(/^\.\//, '')}/index.js` : undefined;
    const distrolessNode = runtime.family === 'distroless';
    return {
      ecosystem: 'node',
      runtime,
      builderAppend: modulesRemoved ? [] : [pruneCommand(manager, appDir === input.workdir ? '' : `cd ${appDir} && `, isYarnBerry(input))],
      artifacts,
      // The full node image has the libraries native modules load; the slim one may not.
      runtimeNeeds: isToolchainImage(input.base.name, input.base.tag) && runtime.os === 'debian' ? nativeNeeds(natives) : [],
      needsWorkdir: true,
      notes,
      rewriteCommand(segment) {
        const text = (execFormOf(segment.instruction) ?? [segment.instruction.getRawArgumentsContent() ?? '']).join(' ');
        // Dev runners (ts-node, nodemon) were pruned with the dev dependencies: run the build output.
        if (DEV_RUNNERS.test(text) && main) return distrolessNode ? `${segment.keyword} ["${main}"]` : `${segment.keyword} ["node", "${main}"]`;
        if (distrolessNode) {
          // distroless/nodejs's entrypoint is node itself, and it has no npm.
          const words = execFormOf(segment.instruction);
          if (words && /(?:^|\/)node$/.test(words[0])) return `${segment.keyword} ${JSON.stringify(words.slice(1)).replace(/","/g, '", "')}`;
          if (/\bnpm\s+(?:run\s+)?start\b/.test(text) && main) return `${segment.keyword} ["${main}"]`;
        }
        return undefined;
      },
    };
  },
};

/** Whether a COPY from the context lands inside the app folder. */
function insideApp(input: RecipeInput, segment: Segment, appDir: string): boolean {
  const words = execFormOf(segment.instruction) ?? segment.instruction.getArguments().map((a) => a.getValue());
  const dest = resolvePath(workdirBefore(input.parts, segment.instruction), words[words.length - 1] ?? '.');
  return dest === appDir || dest.startsWith(`${appDir}/`);
}

export function hasEnv(input: RecipeInput, name: string): boolean {
  return input.parts.segments.some((s) => s.keyword === 'ENV' && new RegExp(`\\b${name}\\b`).test(s.body));
}

