// Static frontend (Vite, Create React App, Angular, Vue CLI, SvelteKit with adapter-static) → build with
// Node, serve the output folder with nginx. nginx listens on the port the original server did, and
// answers unknown paths with index.html where the app routes on the client or the original server did
// so (missing files keep their 404). Its configuration is written by a RUN printf in the Dockerfile
// itself: the split stays one file to review, builds with the Docker 20.10 parser (no heredoc), and
// needs no extra file in the build context that a .dockerignore could leave out.
import { resolvePath } from '../../stageFacts';
import { listenPort, type ListenPort } from '../ports';
import { copyFromBuilder, findRun, readJson, type Recipe, type RecipeInput, type SplitPlan } from './recipe';
import { spaFallback, type SpaFallback } from './clientRouting';
import { appDirectory, dependencyNames, NODE_BUILD, packageJson } from './node';

/** Packages that mean the app needs a Node server at runtime, even when it uses a bundler. */
const SERVER_PACKAGES = ['express', 'fastify', 'koa', '@nestjs/core', '@hapi/hapi', 'next', 'nuxt', '@remix-run/node', '@sveltejs/kit', 'astro'];

type Tool = 'vite' | 'cra' | 'angular' | 'vue-cli' | 'sveltekit';

function frontendTool(input: RecipeInput): Tool | undefined {
  const deps = dependencyNames(packageJson(input));
  // SvelteKit with adapter-static writes plain files; with any other adapter it is a Node server.
  if (deps.has('@sveltejs/kit') && deps.has('@sveltejs/adapter-static') && ![...deps].some((d) => /^@sveltejs\/adapter-(?!static$)/.test(d))) return 'sveltekit';
  if (SERVER_PACKAGES.some((name) => deps.has(name))) return undefined;
  if (deps.has('@angular/core') || input.context?.exists('angular.json')) return 'angular';
  if (deps.has('react-scripts')) return 'cra';
  if (deps.has('@vue/cli-service')) return 'vue-cli';
  if (deps.has('vite') || ['vite.config.ts', 'vite.config.js', 'vite.config.mjs'].some((f) => input.context?.exists(f))) return 'vite';
  return undefined;
}

function configuredOutDir(input: RecipeInput, files: string[], key: RegExp): string | undefined {
  for (const file of files) {
    const text = input.context?.read(file);
    const value = text ? key.exec(text)?.[1] : undefined;
    if (value) return value.replace(/^\.\//, '').replace(/\/+$/, '');
  }
  return undefined;
}

function angularOutput(input: RecipeInput): string {
  const angular = readJson(input, 'angular.json');
  const projects = angular?.projects as Record<string, { architect?: { build?: { builder?: string; options?: { outputPath?: unknown } } } }> | undefined;
  const first = projects ? Object.values(projects)[0] : undefined;
  const build = first?.architect?.build;
  const outputPath = build?.options?.outputPath;
  const name = projects ? Object.keys(projects)[0] : 'app';
  // Angular 17's application builder writes the browser bundle to <outputPath>/browser.
  const application = build?.builder?.endsWith(':application') ?? false;
  if (typeof outputPath === 'string') return application ? `${outputPath}/browser` : outputPath;
  if (outputPath && typeof outputPath === 'object') {
    const o = outputPath as { base?: string; browser?: string };
    return `${o.base ?? `dist/${name}`}/${o.browser ?? 'browser'}`;
  }
  return application ? `dist/${name}/browser` : `dist/${name}`;
}

function outputFolder(input: RecipeInput, tool: Tool): string {
  switch (tool) {
    case 'cra':
      return 'build';
    case 'angular':
      return angularOutput(input).replace(/^\.\//, '');
    case 'vue-cli':
      return configuredOutDir(input, ['vue.config.js', 'vue.config.cjs'], /outputDir\s*:\s*['"]([^'"]+)['"]/) ?? 'dist';
    case 'vite':
      return configuredOutDir(input, ['vite.config.ts', 'vite.config.js', 'vite.config.mjs'], /outDir\s*:\s*['"]([^'"]+)['"]/) ?? 'dist';
    case 'sveltekit':
      return configuredOutDir(input, ['svelte.config.js', 'svelte.config.mjs'], /\bpages\s*:\s*['"]([^'"]+)['"]/) ?? 'build';
  }
}

const HTML_ROOT = '/usr/share/nginx/html';

/** nginx's server block: the original's port, and the fallback the app needs. */
function nginxConfig(port: number, fallback: SpaFallback | undefined, tool: Tool): string[] {
  // SvelteKit prerenders /about as about.html.
  const pages = tool === 'sveltekit' ? '$uri $uri.html $uri/' : '$uri $uri/';
  const lines = ['server {', `    listen ${port};`, '    server_name _;', `    root ${HTML_ROOT};`, '    index index.html;'];
  if (fallback) {
    lines.push('    location / {', `        try_files ${pages} ${fallback.file};`, '    }');
    // Like the dev servers' history fallback: a path whose last part has a dot is a file, and a missing file is a 404.
    lines.push('    location ~ \\.[^/]*$ {', '        try_files $uri =404;', '    }');
  } else if (tool === 'sveltekit') {
    lines.push('    location / {', `        try_files ${pages} =404;`, '    }');
  }
  lines.push('}');
  return lines;
}

/** `RUN printf '%s\n' 'line' … > default.conf`, one configuration line per Dockerfile line. */
function writeConfig(lines: string[], escapeChar: string): string {
  const quoted = lines.map((line) => `    '${line}'`);
  return [`RUN printf '%s\\n' ${escapeChar}`, ...quoted.map((q, i) => (i < quoted.length - 1 ? `${q} ${escapeChar}` : `${q} > /etc/nginx/conf.d/default.conf`))].join('\n');
}

function portNote(port: ListenPort | undefined): string {
  if (!port) return '# nginx serves the build output on port 80: no port of the original server was found.';
  if (port.certain) return `# nginx serves the build output on port ${port.port}, where the original listened (${port.source}).`;
  return `# multistage: nginx listens on ${port.port}, from ${port.source}; if the original listened elsewhere, change \`listen\` and EXPOSE.`;
}

function fallbackNote(fallback: SpaFallback | undefined): string[] {
  if (!fallback) return [];
  const note = `unknown paths get ${fallback.file.slice(1)}: ${fallback.reason}; missing files stay 404.`;
  return [fallback.certain ? `# ${note[0].toUpperCase()}${note.slice(1)}` : `# multistage: ${note}`];
}

export const staticSiteRecipe: Recipe = {
  id: 'static-site',
  matches: (input) => !!frontendTool(input) && !!findRun(input, NODE_BUILD),
  plan(input): SplitPlan | undefined {
    const tool = frontendTool(input);
    if (!tool) return undefined;
    const output = resolvePath(appDirectory(input), outputFolder(input, tool));
    // nginx serves files only: libc does not matter here, so auto may take the small Alpine image.
    const image = input.flavor === 'auto' || input.flavor === 'alpine' ? 'nginx:stable-alpine' : 'nginx:stable';
    const notes = input.flavor === 'distroless' ? ['# multistage: there is no distroless nginx; using nginx:stable.'] : [];
    const port = listenPort(input);
    const fallback = spaFallback(input);
    const listen = port?.port ?? 80;
    notes.push(portNote(port), ...fallbackNote(fallback));
    // nginx's own configuration already serves the folder on 80; anything else needs a server block.
    const config = listen !== 80 || fallback || tool === 'sveltekit' ? [writeConfig(nginxConfig(listen, fallback, tool), input.model.escapeChar)] : [];
    return {
      ecosystem: 'static-site',
      runtime: { image, family: 'nginx', os: image.includes('alpine') ? 'alpine' : 'debian' },
      artifacts: [...config, copyFromBuilder(input, output, HTML_ROOT, '/')],
      dropConfig: new Set(['EXPOSE', 'CMD', 'ENTRYPOINT', 'USER', 'HEALTHCHECK', 'STOPSIGNAL', 'VOLUME']),
      dropEnv: true,
      extraConfig: [`EXPOSE ${listen}`],
      notes,
    };
  },
};
