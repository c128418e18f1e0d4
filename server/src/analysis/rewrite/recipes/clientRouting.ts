// Whether a static site routes on the client with real paths (react-router's browser router, vue-router's
// web history, Angular's router, a SvelteKit SPA fallback), or its original server already answered
// unknown paths with index.html (`vite preview`, `serve -s`). Either way the file server of the split
// must do the same, or every route but `/` (a refresh, a shared link) answers 404 where it answered 200.
import type { RecipeInput } from './recipe';
import { dependencyNames, packageJson } from './node';
import { startCommand } from '../ports';

export interface SpaFallback {
  /** Said in the output's comment: what needs the fallback. */
  reason: string;
  /** False when only a dependency says so and the sources showed no router set up. */
  certain: boolean;
  /** The file unknown paths get (SvelteKit's adapter-static names its own). */
  file: string;
}

interface Router {
  packages: string[];
  label: string;
  /** Set-up with path-based URLs. */
  history: RegExp;
  /** Set-up with hash URLs, which never need a fallback. */
  hash?: RegExp;
}

const ROUTERS: Router[] = [
  {
    packages: ['react-router-dom', 'react-router', '@remix-run/router'],
    label: 'react-router',
    history: /\b(?:createBrowserRouter|BrowserRouter|createBrowserHistory)\b/,
    hash: /\b(?:createHashRouter|HashRouter|createHashHistory|createMemoryRouter)\b/,
  },
  { packages: ['@tanstack/react-router'], label: '@tanstack/react-router', history: /\b(?:createRouter|createBrowserHistory)\b/, hash: /\bcreateHashHistory\b/ },
  { packages: ['vue-router'], label: 'vue-router', history: /\bcreateWebHistory\b|mode\s*:\s*['"]history['"]/, hash: /\bcreateWebHashHistory\b/ },
  {
    packages: ['@angular/router'],
    label: "Angular's router",
    history: /\b(?:RouterModule\.forRoot|provideRouter)\b/,
    hash: /useHash\s*:\s*true|\bwithHashLocation\b|\bHashLocationStrategy\b/,
  },
  { packages: ['@solidjs/router'], label: '@solidjs/router', history: /\bRouter\b/, hash: /\bHashRouter\b/ },
  { packages: ['wouter', 'preact-router', 'svelte-routing', '@reach/router', 'react-router-dom-v5-compat'], label: 'a client-side router', history: /\bRouter\b/, hash: /\buseHashLocation\b/ },
];

const SOURCE = /\.(?:[cm]?[jt]sx?|vue|svelte)$/;
const SKIP = new Set(['node_modules', 'dist', 'build', 'out', '.git', 'coverage', '.next', '.svelte-kit', 'public']);

/** The app's own source files (bounded: a static site's router set-up sits near the top). */
function sourceTexts(input: RecipeInput): string[] {
  const ctx = input.context;
  if (!ctx) return [];
  const texts: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const name of ctx.list(dir)) {
      if (texts.length >= 400 || SKIP.has(name)) continue;
      const path = dir ? `${dir}/${name}` : name;
      if (ctx.isDirectory(path)) {
        if (depth > 0 && (dir !== '' || ['src', 'app', 'pages', 'routes', 'client'].includes(name))) walk(path, depth - 1);
      } else if (SOURCE.test(name) && !/\.(?:test|spec)\./.test(name)) {
        const text = ctx.read(path);
        if (text) texts.push(text);
      }
    }
  };
  walk('', 6);
  return texts;
}

/** SvelteKit's adapter-static `fallback: '200.html'` (an SPA), or undefined for prerendered pages only. */
export function svelteKitFallback(input: RecipeInput): string | undefined {
  for (const file of ['svelte.config.js', 'svelte.config.mjs', 'svelte.config.ts']) {
    const text = input.context?.read(file);
    const m = text ? /\bfallback\s*:\s*['"]([^'"]+)['"]/.exec(text) : undefined;
    if (m) return m[1];
  }
  return undefined;
}

/** Dev and preview servers that answer unknown paths with index.html by default (history fallback). */
const FALLBACK_SERVERS: Array<[RegExp, string]> = [
  [/\bvite\s+preview\b/, '`vite preview`'],
  [/\bvite(?:\s+(?:dev|serve)\b|\s*$|\s+-)/, 'the Vite dev server'],
  [/\bng\s+serve\b/, '`ng serve`'],
  [/\bvue-cli-service\s+serve\b/, '`vue-cli-service serve`'],
  [/\breact-scripts\s+start\b/, '`react-scripts start`'],
  [/\b(?:serve|sirv)\b.*\s(?:-s|--single)\b/, '`serve --single`'],
];

/** Whether the original's start command served index.html for unknown paths. */
function originalFallback(input: RecipeInput): string | undefined {
  const command = startCommand(input);
  const server = FALLBACK_SERVERS.find(([pattern]) => pattern.test(command))?.[1];
  if (!server || !server.includes('Vite') && !server.includes('vite')) return server;
  // Vite's default appType is 'spa'; 'mpa' and 'custom' have no fallback.
  const config = ['vite.config.ts', 'vite.config.js', 'vite.config.mjs', 'vite.config.mts'].map((f) => input.context?.read(f)).find(Boolean);
  return config && /\bappType\s*:\s*['"](?:mpa|custom)['"]/.test(config) ? undefined : server;
}

export function spaFallback(input: RecipeInput): SpaFallback | undefined {
  const deps = dependencyNames(packageJson(input));
  if (deps.has('@sveltejs/kit')) {
    const fallback = svelteKitFallback(input);
    return fallback ? { reason: `adapter-static's fallback page is ${fallback}`, certain: true, file: `/${fallback}` } : undefined;
  }
  const routers = ROUTERS.filter((r) => r.packages.some((p) => deps.has(p)));
  const served = originalFallback(input);
  if (routers.length === 0) return served ? { reason: `${served} did so in the original`, certain: true, file: '/index.html' } : undefined;
  const texts = sourceTexts(input);
  for (const router of routers) {
    const usesHistory = texts.some((t) => router.history.test(t));
    const usesHash = texts.some((t) => router.hash?.test(t));
    // A hash set-up (`useHash`, `withHashLocation`, `createWebHashHistory`) keeps every route on `/`.
    if (usesHash) return served ? { reason: `${served} did so in the original`, certain: true, file: '/index.html' } : undefined;
    if (usesHistory) return { reason: `${router.label} routes on real paths`, certain: true, file: '/index.html' };
  }
  // A router is a dependency but its set-up was not recognised: a fallback costs nothing where it is not needed.
  return { reason: `${routers[0].label} is a dependency, but no router set-up was recognised in the sources`, certain: false, file: '/index.html' };
}
