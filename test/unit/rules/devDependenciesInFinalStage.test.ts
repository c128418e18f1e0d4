import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryContext } from '../../support/analysis';
import { catches, catchesNot, fixesTo } from '../../support/ruleSpec';

const RULE = 'dev-dependencies-in-final-stage';

test('dev-dependencies-in-final-stage: fires on npm ci in the final stage and adds --omit=dev', () => {
  const text = 'FROM node:20-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nCMD ["node", "server.js"]\n';
  const [p] = catches(RULE, text);
  assert.equal(p.severity, 'warning');
  // Prepare scripts (husky) or misfiled deps can break: not for fix-all.
  fixesTo(RULE, text, text.replace('RUN npm ci', 'RUN npm ci --omit=dev'), { safe: undefined });
});

test('dev-dependencies-in-final-stage: picks the flag per manager and npm version', () => {
  fixesTo(RULE, 'FROM node:20\nRUN yarn install --frozen-lockfile\n', /yarn install --production --frozen-lockfile/);
  fixesTo(RULE, 'FROM node:20\nRUN yarn\n', /RUN yarn --production\n/);
  fixesTo(RULE, 'FROM node:20\nRUN pnpm install --frozen-lockfile\n', /pnpm install --prod --frozen-lockfile/);
  fixesTo(RULE, 'FROM node:14-alpine\nRUN npm install\n', /npm install --production/);
  fixesTo(RULE, "FROM node:22\nRUN sh -c 'npm ci'\n", /npm ci --omit=dev/);
});

test('dev-dependencies-in-final-stage: fires without a fix when a later build or test step needs dev dependencies', () => {
  const text = 'FROM node:20\nCOPY . .\nRUN npm ci\nRUN npm run build\nCMD ["node", "dist/main.js"]\n';
  const [p] = catches(RULE, text);
  assert.match(p.message, /npm run build step on line 4/);
  assert.equal(p.fixes.length, 0);
  assert.equal(catches(RULE, 'FROM node:20\nRUN npm ci && npm test\n')[0].fixes.length, 0);
});

test('dev-dependencies-in-final-stage: fires on --production=false, --include=dev and Python dev requirements', () => {
  catches(RULE, 'FROM node:20\nENV NODE_ENV=production\nRUN npm ci --include=dev\n');
  catches(RULE, 'FROM node:20\nRUN yarn install --production=false\n');
  catches(RULE, 'FROM python:3.12-slim\nRUN pip install -r requirements.txt -r requirements-dev.txt\n');
  catches(RULE, 'FROM python:3.12-slim\nRUN pip install -e ".[dev]"\n');
  catches(RULE, 'FROM python:3.12-slim\nRUN poetry install --no-root\n');
  catches(RULE, 'FROM python:3.12-slim\nRUN uv sync --frozen\n');
});

test('dev-dependencies-in-final-stage: does not fire when dev dependencies are omitted in any way', () => {
  catchesNot(RULE, [
    'FROM node:20\nRUN npm ci --omit=dev\n',
    'FROM node:20\nRUN npm ci --omit dev\n',
    'FROM node:20\nRUN npm ci --only=production\n',
    'FROM node:20\nRUN npm install --production\n',
    'FROM node:20\nRUN NODE_ENV=production npm ci\n',
    'FROM node:20\nENV NODE_ENV=production\nRUN npm ci\n',
    'FROM node:20 AS base\nENV NODE_ENV production\nFROM base\nRUN npm ci\n',
    'FROM node:20\nARG NODE_ENV\nENV NODE_ENV=$NODE_ENV\nRUN npm ci\n',
    'FROM node:20\nRUN export NODE_ENV=production && npm ci\n',
    'FROM node:20\nRUN yarn install --production --frozen-lockfile\n',
    'FROM node:20\nRUN pnpm install --prod\n',
    'FROM node:20\nRUN npm install -g pm2\n',
    'FROM node:20\nRUN npm install express\n',
    'FROM python:3.12\nRUN pip install -r requirements.txt\n',
    'FROM python:3.12\nRUN poetry install --only main\n',
    'FROM python:3.12\nRUN poetry install --without dev\n',
    'FROM python:3.12\nRUN uv sync --no-dev\n',
  ]);
});

test('dev-dependencies-in-final-stage: does not fire in build stages the final image only copies from', () => {
  const text = 'FROM node:20 AS build\nRUN npm ci && npm run build\nFROM node:20-slim\nCOPY --from=build /app/dist /app/dist\nRUN npm ci --omit=dev\n';
  catchesNot(RULE, text);
  const target = 'FROM node:20 AS api\nRUN npm ci\nFROM node:20-slim AS prod\nRUN npm ci --omit=dev\n';
  catchesNot(RULE, target);
  catches(RULE, target, { settings: { rules: {}, syntaxDiagnostics: true, target: 'api' } });
});

test('dev-dependencies-in-final-stage: stays quiet for development images and installs chosen per branch (corpus: awesome-compose, fastapi template, discourse)', () => {
  catchesNot(RULE, [
    'FROM node:20 AS development\nRUN npm ci\nFROM development AS dev-envs\nCMD ["npm", "run", "dev"]\n',
    'FROM node:20\nRUN npm ci\nCMD ["ng", "serve", "--host", "0.0.0.0"]\n',
    'FROM node:20\nRUN yarn install\nCMD ["yarn", "run", "serve"]\n',
    'FROM python:3.12\nARG INSTALL_DEV=false\nRUN bash -c "if [ $INSTALL_DEV == \'true\' ] ; then poetry install --no-root ; else poetry install --no-root --only main ; fi"\n',
    'FROM node:20\nRUN if [ -f yarn.lock ]; then yarn install; else pnpm install; fi\n',
  ]);
  catches(RULE, 'FROM node:20\nRUN npm ci\nCMD ["npm", "start"]\n');
  catches(RULE, 'FROM node:20 AS production\nRUN npm ci && npm install --no-save x\n'); // one finding per RUN
});

test('dev-dependencies-in-final-stage: a prune in the same RUN removes them; one in a later RUN does not', () => {
  catchesNot(RULE, 'FROM node:20\nCOPY . .\nRUN npm ci && npm run build && npm prune --omit=dev\n');
  catchesNot(RULE, 'FROM node:20\nCOPY . .\nRUN npm ci && npm run build && npm prune --production\n');
  catchesNot(RULE, 'FROM node:20\nRUN pnpm install && pnpm build && pnpm prune --prod\n');
  catches(RULE, 'FROM node:20\nRUN npm ci && npm run build\nRUN npm prune --omit=dev\n');
});

test('dev-dependencies-in-final-stage: does not catch when the copied package.json declares no devDependencies (read from the build context)', () => {
  const text = 'FROM node:20-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nCMD ["node", "server.js"]\n';
  const none = memoryContext({ 'package.json': '{"name":"a","dependencies":{"express":"^4"}}', 'server.js': '' });
  catchesNot(RULE, text, { context: none });
  const empty = memoryContext({ 'package.json': '{"name":"a","devDependencies":{}}' });
  catchesNot(RULE, text, { context: empty });
  // A folder copied whole, with its manifest inside.
  const nested = memoryContext({ 'api/package.json': '{"name":"a"}', 'api/index.js': '' });
  catchesNot(RULE, 'FROM node:20-slim\nCOPY api/ /app/\nWORKDIR /app\nRUN npm install\n', { context: nested });
});

test('dev-dependencies-in-final-stage: still catches when the manifest has devDependencies, workspaces, or cannot be read', () => {
  const text = 'FROM node:20-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCMD ["node", "server.js"]\n';
  const dev = memoryContext({ 'package.json': '{"devDependencies":{"jest":"^29"}}' });
  catches(RULE, text, { context: dev });
  const workspaces = memoryContext({ 'package.json': '{"workspaces":["packages/*"]}' });
  catches(RULE, text, { context: workspaces });
  catches(RULE, text, { context: memoryContext({ 'package.json': '{oops' }) });
  catches(RULE, text);
});
