import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findings, memoryContext } from '../../support/analysis';

const RULE = 'copy-before-dependency-install';

test('copy-before-dependency-install: fires on COPY . . before npm ci, without a context', () => {
  const text = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nRUN npm run build\n';
  const [p, ...rest] = findings(text, RULE);
  assert.equal(rest.length, 0);
  assert.equal(p.severity, 'warning');
  assert.deepEqual(p.range.start, { line: 2, character: 0 });
  assert.match(p.message, /COPY \. \. on line 3 comes before npm ci on line 4/);
  assert.match(p.message, /package\.json and package-lock\.json/);
  assert.equal(p.fixes.length, 0, 'the fix is the Reorder for layer cache refactoring');
});

test('copy-before-dependency-install: names the manifests and lockfiles that exist in the context', () => {
  const ctx = memoryContext({ 'package.json': '{"name":"x"}', 'yarn.lock': '', 'src/index.js': '' });
  const [p] = findings('FROM node:20\nCOPY . .\nRUN yarn install --frozen-lockfile\n', RULE, { context: ctx });
  assert.match(p.message, /Copy package\.json and yarn\.lock first/);
});

test('copy-before-dependency-install: fires for pip -r, go mod download, bundle, composer, dotnet restore and sh -c forms', () => {
  for (const [copy, run] of [
    ['COPY . /app', 'pip install --no-cache-dir -r requirements.txt'],
    ['ADD . /src', 'go mod download'],
    ['COPY ./ ./', 'bundle install --jobs 4'],
    ['COPY . .', 'composer install --no-dev'],
    ['COPY . .', 'dotnet restore'],
    ['COPY . .', "sh -c 'pnpm install --frozen-lockfile'"],
    ['COPY ["." , "."]', 'npm ci'],
  ]) assert.equal(findings(`FROM base\n${copy}\nRUN ${run}\n`, RULE).length, 1, `${copy} / ${run}`);
});

test('copy-before-dependency-install: with a context, fires for builds that download dependencies and for source folders', () => {
  const goCtx = memoryContext({ 'go.mod': 'module x\n\ngo 1.22\n\nrequire github.com/a/b v1.0.0\n', 'go.sum': '', 'main.go': '' });
  assert.equal(findings('FROM golang:1.22\nCOPY . .\nRUN go build -o /app .\n', RULE, { context: goCtx }).length, 1);
  const srcCtx = memoryContext({ 'package.json': '{}', 'src/app.ts': '' });
  assert.equal(findings('FROM node:20\nCOPY src ./src\nCOPY package.json .\nRUN npm install\n', RULE, { context: srcCtx }).length, 1);
});

test('copy-before-dependency-install: does not fire when manifests are installed before the sources are copied', () => {
  for (const text of [
    'FROM node:20\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n',
    'FROM python:3.12\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n',
    'FROM golang:1.22\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build -o /app .\n',
    'FROM node:20\nCOPY . .\nRUN npm run build\n',
    'FROM python:3.12\nCOPY . .\nRUN pip install .\n',
    'FROM python:3.12\nCOPY . .\nRUN pip install -e .\n',
    'FROM python:3.12\nCOPY . .\nRUN poetry install\n',
    'FROM node:20\nCOPY . .\nRUN cd web && npm ci\n',
    'FROM node:20\nCOPY . .\nRUN npm install -g serve\n',
    'FROM golang:1.22\nCOPY . .\nRUN go build -o /app .\n',
    'FROM rust:1.79\nCOPY . .\nRUN cargo build --release\n',
    'FROM node:20\nCOPY --from=deps /app/node_modules ./node_modules\nRUN npm ci\n',
    'FROM node:20 AS unused\nCOPY . .\nRUN npm ci\nFROM nginx\n',
  ]) assert.deepEqual(findings(text, RULE), [], text);
});

test('copy-before-dependency-install: with a context, stays quiet when the install needs the sources', () => {
  const postinstall = memoryContext({ 'package.json': '{"scripts":{"postinstall":"prisma generate"}}', 'prisma/schema.prisma': '' });
  assert.deepEqual(findings('FROM node:20\nCOPY . .\nRUN npm ci\n', RULE, { context: postinstall }), []);
  const editable = memoryContext({ 'requirements.txt': 'flask\n-e .\n', 'app.py': '' });
  assert.deepEqual(findings('FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\n', RULE, { context: editable }), []);
  const noRequires = memoryContext({ 'go.mod': 'module x\n\ngo 1.22\n', 'main.go': '' });
  assert.deepEqual(findings('FROM golang:1.22\nCOPY . .\nRUN go build -o /app .\n', RULE, { context: noRequires }), []);
  const gemspec = memoryContext({ Gemfile: "source 'https://rubygems.org'\ngemspec\n", 'lib/x.rb': '' });
  assert.deepEqual(findings('FROM ruby:3.3\nCOPY . .\nRUN bundle install\n', RULE, { context: gemspec }), []);
  const reqFolder = memoryContext({ 'requirements/base.txt': 'flask\n', 'app.py': '' });
  assert.deepEqual(findings('FROM python:3.12\nCOPY requirements requirements\nRUN pip install -r requirements/base.txt\nCOPY . .\n', RULE, { context: reqFolder }), []);
  const elsewhere = memoryContext({ 'web/package.json': '{}', 'README.md': '' });
  assert.deepEqual(findings('FROM node:20\nCOPY . .\nRUN npm ci\n', RULE, { context: elsewhere }), []);
});

test('copy-before-dependency-install: names the step (go mod download) and skips installs in if branches (corpus: distroless, sentry)', () => {
  const [p] = findings('FROM golang:1.22\nCOPY . .\nRUN go mod download\n', RULE);
  assert.match(p.message, /before go mod download on line 3/);
  assert.deepEqual(findings('FROM python\nCOPY . /src\nRUN if [ -s /src/requirements.txt ]; then pip install -r /src/requirements.txt; fi\n', RULE), []);
});
