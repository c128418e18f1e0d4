// Where the original image's server listens (rewrite/ports.ts) and whether a static site needs a history
// fallback (recipes/clientRouting.ts): each case is a catches / does-not-catch pair.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel } from '../../../server/src/analysis/model';
import { listenPort, startCommand } from '../../../server/src/analysis/rewrite/ports';
import { spaFallback } from '../../../server/src/analysis/rewrite/recipes/clientRouting';
import type { RecipeInput } from '../../../server/src/analysis/rewrite/recipes/recipe';
import { parseImage } from '../../../server/src/analysis/rewrite/runtimeImages';
import { commandOf, stageParts } from '../../../server/src/analysis/rewrite/stageParts';
import { memoryContext } from '../../support/analysis';

function input(dockerfile: string, files: Record<string, string> = {}): RecipeInput {
  const model = buildModel(dockerfile);
  const stage = model.stages[model.stages.length - 1];
  const parts = stageParts(model, stage);
  const by = (k: string) => parts.segments.filter((s) => s.keyword === k);
  return {
    model,
    parts,
    runs: by('RUN').map((segment) => ({ segment, command: commandOf(segment.instruction) })),
    base: parseImage(stage.image!),
    flavor: 'slim',
    builderName: 'build',
    workdir: parts.finalWorkdir,
    context: memoryContext(files),
    cmd: by('CMD').pop(),
    entrypoint: by('ENTRYPOINT').pop(),
  };
}

const pkg = (scripts: Record<string, string>, deps: Record<string, string> = {}) => ({ 'package.json': JSON.stringify({ scripts, dependencies: deps }) });

test('port from the start command: flags, npm scripts with extra arguments, serve -l URLs', () => {
  assert.equal(listenPort(input('FROM node:20\nCMD ["npx", "vite", "preview", "--host", "--port", "3000"]'))?.port, 3000);
  assert.equal(listenPort(input('FROM node:20\nCMD npm run preview -- --port=5000', pkg({ preview: 'vite preview --host' })))?.port, 5000);
  assert.equal(startCommand(input('FROM node:20\nCMD ["npm", "start"]', pkg({ start: 'npm run serve', serve: 'serve -s build -l 4000' }))), 'serve -s build -l 4000');
  assert.equal(listenPort(input('FROM node:20\nCMD ["npm", "start"]', pkg({ start: 'npm run serve', serve: 'serve -s build -l 4000' })))?.port, 4000);
  assert.equal(listenPort(input('FROM node:20\nCMD ["serve", "-l", "tcp://0.0.0.0:8081", "dist"]'))?.port, 8081);
  // Does not catch: a flag of another option (`--host 0.0.0.0`) or a number that is no port.
  assert.equal(listenPort(input('FROM node:20\nCMD ["npx", "vite", "preview", "--host", "0.0.0.0"]'))?.port, 4173);
});

test('port from the Vite config, ENV PORT and EXPOSE; a default alone is marked uncertain', () => {
  const config = { 'vite.config.js': 'export default { preview: { port: 8088, host: true } }' };
  assert.deepEqual(listenPort(input('FROM node:20\nCMD ["npx", "vite", "preview"]', config)), { port: 8088, source: 'the Vite config', certain: true });
  // The dev server's block is not the preview's.
  assert.equal(listenPort(input('FROM node:20\nCMD ["npx", "vite", "preview"]', { 'vite.config.js': 'export default { server: { port: 9999 } }' }))?.port, 4173);
  assert.equal(listenPort(input('FROM node:20\nENV PORT=7000\nCMD ["serve", "-s", "build"]'))?.port, 7000);
  const exposed = listenPort(input('FROM node:20\nEXPOSE 4200\nCMD ["npx", "ng", "serve"]'));
  assert.deepEqual(exposed, { port: 4200, source: 'EXPOSE', certain: true });
  const differs = listenPort(input('FROM node:20\nEXPOSE 3000\nCMD ["npx", "vite", "preview"]'));
  assert.equal(differs?.port, 3000);
  assert.equal(differs?.certain, false, 'EXPOSE disagrees with the tool default');
  assert.deepEqual(listenPort(input('FROM node:20\nCMD ["npx", "vite", "preview"]')), { port: 4173, source: "vite preview's default", certain: false });
  assert.equal(listenPort(input('FROM node:20\nCMD ["node", "server.js"]')), undefined);
});

test('history fallback: browser routers and fallback servers catch; hash routers and plain file servers do not', () => {
  const react = { ...pkg({}, { 'react-router-dom': '6' }), 'src/main.jsx': 'const r = createBrowserRouter([]);' };
  assert.match(spaFallback(input('FROM node:20\nCMD ["serve", "dist"]', react))?.reason ?? '', /react-router routes on real paths/);
  const reactHash = { ...pkg({}, { 'react-router-dom': '6' }), 'src/main.jsx': 'const r = createHashRouter([]);' };
  assert.equal(spaFallback(input('FROM node:20\nCMD ["serve", "dist"]', reactHash)), undefined);
  const vue = { ...pkg({}, { 'vue-router': '4' }), 'src/router/index.js': 'createRouter({ history: createWebHistory() })' };
  assert.equal(spaFallback(input('FROM node:20\nCMD ["serve", "dist"]', vue))?.certain, true);
  const vueHash = { ...pkg({}, { 'vue-router': '4' }), 'src/router/index.js': 'createRouter({ history: createWebHashHistory() })' };
  assert.equal(spaFallback(input('FROM node:20\nCMD ["serve", "dist"]', vueHash)), undefined);
  const angular = { ...pkg({}, { '@angular/router': '17' }), 'src/app/app.config.ts': 'providers: [provideRouter(routes)]' };
  assert.ok(spaFallback(input('FROM node:20\nCMD ["serve", "dist"]', angular)));
  const angularHash = { ...pkg({}, { '@angular/router': '17' }), 'src/app/app.config.ts': 'providers: [provideRouter(routes, withHashLocation())]' };
  assert.equal(spaFallback(input('FROM node:20\nCMD ["serve", "dist"]', angularHash)), undefined);
  // A router dependency whose set-up is not recognised: fallback, said to be uncertain.
  assert.equal(spaFallback(input('FROM node:20\nCMD ["serve", "dist"]', pkg({}, { 'react-router-dom': '6' })))?.certain, false);
  // No router: only a fallback server in the original asks for one.
  assert.ok(spaFallback(input('FROM node:20\nCMD ["npx", "vite", "preview"]', pkg({}))));
  assert.ok(spaFallback(input('FROM node:20\nCMD ["serve", "-s", "build"]', pkg({}))));
  assert.equal(spaFallback(input('FROM node:20\nCMD ["serve", "build"]', pkg({}))), undefined);
  assert.equal(spaFallback(input('FROM node:20\nCMD ["npx", "vite", "preview"]', { ...pkg({}), 'vite.config.js': "export default { appType: 'mpa' }" })), undefined);
  const kit = { 'package.json': JSON.stringify({ devDependencies: { '@sveltejs/kit': '2', '@sveltejs/adapter-static': '3' } }) };
  assert.equal(spaFallback(input('FROM node:20\nCMD ["npx", "vite", "preview"]', { ...kit, 'svelte.config.js': "adapter({ fallback: '200.html' })" }))?.file, '/200.html');
  assert.equal(spaFallback(input('FROM node:20\nCMD ["npx", "vite", "preview"]', { ...kit, 'svelte.config.js': 'adapter()' })), undefined);
});
