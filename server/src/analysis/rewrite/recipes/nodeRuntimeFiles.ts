// What a Node app reads at run time besides its build output and node_modules, and what its native
// modules need. A TypeScript or bundled app still opens public/, views/, templates/, migrations/ or a
// .env next to its package.json; those come along. Build-only entries (sources that were compiled,
// compiler and bundler configs, tests, docs, VCS and Docker files) stay in the builder. Native modules
// (node-gyp builds) were compiled against the builder's libc, so the runtime stays on the same family,
// and gets the shared libraries the full image had and the slim one lacks.
import { DockerignoreMatcher, findDockerignore } from '../../dockerignore';
import type { RuntimeNeed } from '../runtimeNeeds';
import { contextCopies, workdirBefore } from '../stageParts';
import { resolvePath } from '../../stageFacts';
import { readJson, type RecipeInput } from './recipe';

const BUILD_ONLY_ENTRY = new RegExp(
  '^(?:node_modules|package\\.json|package-lock\\.json|npm-shrinkwrap\\.json|yarn\\.lock|pnpm-lock\\.yaml|pnpm-workspace\\.yaml|\\.yarnrc(?:\\.yml)?|\\.yarn|\\.npmrc|\\.pnp\\.c?js' +
    '|[tj]sconfig(?:\\.[\\w-]+)?\\.json|(?:vite|vitest|webpack|rollup|babel|jest|tsup|esbuild|nodemon|playwright|cypress|karma|postcss|tailwind|commitlint|lint-staged)\\.config\\.\\w+' +
    '|nest-cli\\.json|\\.babelrc(?:\\.\\w+)?|\\.swcrc|\\.eslint\\w*(?:\\.\\w+)?|eslint\\.config\\.\\w+|\\.prettier\\w*(?:\\.\\w+)?|prettier\\.config\\.\\w+|\\.editorconfig|\\.nvmrc|\\.node-version' +
    '|\\.git\\w*|\\.github|\\.gitlab-ci\\.yml|\\.vscode|\\.idea|\\.husky|\\.devcontainer|Dockerfile[\\w.-]*|[\\w.-]*\\.[Dd]ockerfile|\\.dockerignore|(?:docker-)?compose[\\w.-]*\\.ya?ml' +
    '|README[\\w.-]*|CHANGELOG[\\w.-]*|LICEN[CS]E[\\w.-]*|CONTRIBUTING[\\w.-]*|[\\w.-]+\\.md|Makefile|test|tests|__tests__|__mocks__|e2e|spec|cypress|coverage|docs|\\.env\\.example|\\.env\\.sample)$',
);

/** Folders the build compiled from (tsconfig rootDir / include), relative to the app folder. */
function compiledSources(input: RecipeInput): Set<string> {
  const tsconfig = readJson(input, 'tsconfig.build.json') ?? readJson(input, 'tsconfig.json');
  const out = new Set<string>();
  const options = tsconfig?.compilerOptions as Record<string, unknown> | undefined;
  if (typeof options?.rootDir === 'string') out.add(topLevel(options.rootDir));
  const include = tsconfig?.include;
  if (Array.isArray(include)) for (const glob of include) if (typeof glob === 'string') out.add(topLevel(glob));
  if (out.size === 0) out.add('src');
  // Next.js compiles its routes and components into .next.
  const pkg = readJson(input, 'package.json');
  const deps = { ...(pkg?.dependencies as object | undefined), ...(pkg?.devDependencies as object | undefined) };
  if ('next' in deps) for (const dir of ['app', 'pages', 'components', 'styles']) out.add(dir);
  out.delete('');
  out.delete('.');
  return out;
}

function topLevel(path: string): string {
  return path.replace(/^\.\//, '').split('/')[0].replace(/[*?].*$/, '');
}

/**
 * Top-level entries of the app folder that the original's COPY instructions brought from the context and
 * that are neither build-only nor already copied (`exclude`: the build output, workspace folders), as
 * absolute builder paths.
 */
export function runtimeFiles(input: RecipeInput, appDir: string, exclude: readonly string[]): string[] {
  const context = input.context;
  if (!context || appDir === '/') return [];
  const dockerignore = findDockerignore(context, context.dockerfile);
  const ignored = dockerignore ? new DockerignoreMatcher(dockerignore.content) : undefined;
  const compiled = compiledSources(input);
  const names = new Set<string>();
  for (const copy of contextCopies(input.parts)) {
    const dest = resolvePath(workdirBefore(input.parts, copy.segment.instruction), copy.dest);
    for (const raw of copy.sources) {
      const source = raw.replace(/^\.\/?/, '').replace(/\/+$/, '');
      if (source === '' && dest === appDir) {
        for (const name of context.list('')) if (!ignored?.ignores(name)) names.add(name);
      } else if (dest.startsWith(`${appDir}/`) && !/[*?[]/.test(source)) {
        names.add(dest.slice(appDir.length + 1).split('/')[0]);
      }
    }
  }
  const out: string[] = [];
  for (const name of [...names].sort()) {
    const path = resolvePath(appDir, name);
    if (BUILD_ONLY_ENTRY.test(name) || compiled.has(name)) continue;
    if (exclude.some((e) => e === path || e.startsWith(`${path}/`) || path.startsWith(`${e}/`))) continue;
    out.push(path);
  }
  return out;
}

/** npm packages that build native code with node-gyp (or load a system library), and what the slim image lacks for them. */
const NATIVE: Array<[RegExp, string[]]> = [
  [/^canvas$/, ['libcairo2', 'libpango-1.0-0', 'libpangocairo-1.0-0', 'libjpeg62-turbo', 'libgif7', 'librsvg2-2']],
  [/^pg-native$|^libpq$/, ['libpq5']],
  [/^odbc$/, ['unixodbc']],
  [/^kerberos$/, ['libkrb5-3', 'libgssapi-krb5-2']],
  [/^(?:better-sqlite3|sqlite3|bcrypt|argon2|node-pty|re2|libxmljs2?|cpu-features|bufferutil|utf-8-validate|leveldown|classic-level|isolated-vm|microtime|farmhash|deasync|zeromq|usb|@serialport\/bindings-cpp|node-sass|grpc|tree-sitter|@tensorflow\/tfjs-node)$/, []],
];

/** Native modules among the app's packages (package.json and the lockfile's tree). */
export function nativeModules(input: RecipeInput): Array<{ name: string; packages: string[] }> {
  const names = new Set<string>();
  const pkg = readJson(input, 'package.json');
  for (const key of ['dependencies', 'optionalDependencies']) {
    const deps = pkg?.[key];
    if (deps && typeof deps === 'object') for (const name of Object.keys(deps)) names.add(name);
  }
  const lock = readJson(input, 'package-lock.json');
  const packages = lock?.packages as Record<string, { dev?: boolean }> | undefined;
  if (packages) {
    for (const [path, entry] of Object.entries(packages)) {
      const name = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(path)?.[1];
      if (name && !entry?.dev) names.add(name);
    }
  }
  const out: Array<{ name: string; packages: string[] }> = [];
  for (const name of [...names].sort()) {
    const match = NATIVE.find(([pattern]) => pattern.test(name));
    if (match) out.push({ name, packages: match[1] });
  }
  return out;
}

/** The system libraries native modules load, when the builder is a full image and the runtime a slim one. */
export function nativeNeeds(natives: ReadonlyArray<{ name: string; packages: string[] }>): RuntimeNeed[] {
  return natives.filter((n) => n.packages.length > 0).map((n) => ({ packages: n.packages, reason: `${n.name} loads these libraries` }));
}
