import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryContext } from '../../support/analysis';
import { DockerignoreMatcher } from '../../../server/src/analysis/dockerignore';
import { catches, catchesNot } from '../../support/ruleSpec';

const RULE = 'missing-dockerignore';
const NODE_APP = 'FROM node:20-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY . .\nCMD ["node", "server.js"]\n';

test('missing-dockerignore: fires on COPY . when the context has no .dockerignore, naming what would be copied', () => {
  const context = memoryContext({ 'package.json': '{}', 'server.js': '', 'node_modules/x/index.js': '', '.git/HEAD': '' }, '/work/app');
  const [p] = catches(RULE, NODE_APP, { context });
  assert.deepEqual(p.range, { start: { line: 4, character: 5 }, end: { line: 4, character: 6 } });
  assert.match(p.message, /\.git, node_modules will be copied/);
});

test('missing-dockerignore: the fix creates a .dockerignore for the detected ecosystem, and then the rule is quiet', () => {
  const files: Record<string, string> = { 'package.json': '{}', 'requirements.txt': 'flask\n', 'server.js': '' };
  const [p] = catches(RULE, NODE_APP, { context: memoryContext(files, '/work/app') });
  const fix = p.fixes[0];
  assert.equal(fix.title, 'Create a .dockerignore for node + python');
  assert.equal(fix.files?.length, 1);
  const change = fix.files![0];
  assert.equal(change.path, '/work/app/.dockerignore');
  assert.equal(change.create, true);
  const content = change.edits[0].newText;
  const matcher = new DockerignoreMatcher(content);
  for (const excluded of ['node_modules', '.git', '.env', '.env.local', '__pycache__', '.venv']) assert.ok(matcher.ignores(excluded), excluded);
  for (const kept of ['server.js', 'package.json', 'requirements.txt', '.env.example']) assert.ok(!matcher.ignores(kept), kept);
  catchesNot(RULE, NODE_APP, { context: memoryContext({ ...files, '.dockerignore': content }) });
});

test('missing-dockerignore: the proposed file never excludes what the Dockerfile copies by name', () => {
  const text = 'FROM eclipse-temurin:21-jre\nCOPY build/libs/app.jar /app.jar\nCOPY . /src\n';
  const [p] = catches(RULE, text, { context: memoryContext({ 'build.gradle': '', 'build/libs/app.jar': '' }) });
  const matcher = new DockerignoreMatcher(p.fixes[0].files![0].edits[0].newText);
  assert.equal(matcher.ignores('build/libs/app.jar'), false);
  assert.equal(matcher.ignores('.gradle'), true);
});

test('missing-dockerignore: does not fire with a .dockerignore, a Dockerfile-specific ignore file, no context, or no context copy', () => {
  catchesNot(RULE, NODE_APP, { context: memoryContext({ '.dockerignore': 'node_modules\n', 'package.json': '{}' }) });
  const specific = { ...memoryContext({ 'Dockerfile.dockerignore': '.git\n' }), dockerfile: 'Dockerfile' };
  catchesNot(RULE, NODE_APP, { context: specific });
  catchesNot(RULE, NODE_APP);
  const narrow = 'FROM node:20-slim\nCOPY package.json server.js ./\nCOPY --from=node:20 /usr/local/bin/node /node\n';
  catchesNot(RULE, narrow, { context: memoryContext({ 'package.json': '{}' }) });
});

test('missing-dockerignore: COPY --from=stage --chown=… . . copies from a stage, not the context', () => {
  const text = 'FROM node:20 AS build\nWORKDIR /app\nCOPY package.json ./\nFROM node:20-slim\nCOPY --from=build --chown=node:node . .\n';
  catchesNot(RULE, text, { context: memoryContext({ 'package.json': '{}' }) });
});
