// Static frontend (Vite, Create React App, Angular, Vue CLI) → build with Node, serve the output folder
// with nginx. The dev server's port and command do not apply to nginx, so they are replaced.
import { resolvePath } from '../stageParts';
import { copyFromBuilder, findRun, readJson, type Recipe, type RecipeInput, type SplitPlan } from './recipe';
import { appDirectory, dependencyNames, NODE_BUILD, packageJson } from './node';

/** Packages that mean the app needs a Node server at runtime, even when it uses a bundler. */
const SERVER_PACKAGES = ['express', 'fastify', 'koa', '@nestjs/core', '@hapi/hapi', 'next', 'nuxt', '@remix-run/node', '@sveltejs/kit', 'astro'];

type Tool = 'vite' | 'cra' | 'angular' | 'vue-cli';

function frontendTool(input: RecipeInput): Tool | undefined {
  const deps = dependencyNames(packageJson(input));
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
  }
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
    notes.push('# nginx serves the build output on port 80; the dev server\'s port and command no longer apply.');
    return {
      ecosystem: 'static-site',
      runtime: { image, family: 'nginx', os: image.includes('alpine') ? 'alpine' : 'debian' },
      artifacts: [copyFromBuilder(input, output, '/usr/share/nginx/html', '/')],
      dropConfig: new Set(['EXPOSE', 'CMD', 'ENTRYPOINT', 'USER', 'HEALTHCHECK', 'STOPSIGNAL', 'VOLUME']),
      dropEnv: true,
      extraConfig: ['EXPOSE 80'],
      notes,
    };
  },
};
