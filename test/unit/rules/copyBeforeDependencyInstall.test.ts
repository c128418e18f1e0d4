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
    'FROM node:20\nCOPY . .\nRUN npm install -g .\n',
    'FROM golang:1.22\nCOPY . .\nRUN go build -o /app .\n',
    'FROM rust:1.79\nCOPY . .\nRUN cargo build --release\n',
    'FROM node:20\nCOPY --from=deps /app/node_modules ./node_modules\nRUN npm ci\n',
    'FROM node:20 AS unused\nCOPY . .\nRUN npm ci\nFROM nginx\n',
  ]) assert.deepEqual(findings(text, RULE), [], text);
});

test('copy-before-dependency-install: with a context, stays quiet when the install needs the sources', () => {
  const postinstall = memoryContext({ 'package.json': '{"scripts":{"postinstall":"prisma generate"}}', 'prisma/schema.prisma': '' });
  // npm 6 (Node 14) runs lifecycle scripts differently in `npm rebuild`; yarn has no exact equivalent.
  assert.deepEqual(findings('FROM node:14\nCOPY . .\nRUN npm ci\n', RULE, { context: postinstall }), []);
  assert.deepEqual(findings('FROM node:20\nCOPY . .\nRUN yarn install\n', RULE, { context: postinstall }), []);
  const local = memoryContext({ 'package.json': '{"dependencies":{"shared":"file:../shared"}}', 'index.js': '' });
  assert.deepEqual(findings('FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n', RULE, { context: local }), []);
  const project = memoryContext({ 'pyproject.toml': '[project]\nname = "x"\n', 'x/__init__.py': '' });
  assert.deepEqual(findings('FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install .\n', RULE, { context: project }), []);
  const cargoBin = memoryContext({ 'Cargo.toml': '[package]\nname = "x"\n[[bin]]\nname = "x"\npath = "src/x.rs"\n', 'src/x.rs': '' });
  assert.deepEqual(findings('FROM rust:1.79\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\n', RULE, { context: cargoBin }), []);
  const goOutside = memoryContext({ 'go.mod': 'module x\n\nrequire a.b/c v1.0.0\n\nreplace a.b/lib => ../lib\n', 'main.go': '' });
  assert.deepEqual(findings('FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n', RULE, { context: goOutside }), []);
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

test('copy-before-dependency-install: with a context, fires where the reorder copies what the install reads or splits it', () => {
  const prepare = memoryContext({ 'package.json': '{"scripts":{"prepare":"rollup -c"}}', 'package-lock.json': '{}', 'src/index.js': '' });
  const [split] = findings('FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n', RULE, { context: prepare });
  assert.match(split.message, /before npm ci on line 4/);
  for (const image of ['node:iron-slim', 'node:22-alpine', 'node:lts', 'node']) {
    assert.equal(findings(`FROM ${image}\nWORKDIR /app\nCOPY . .\nRUN npm ci\n`, RULE, { context: prepare }).length, 1, image);
  }
  assert.deepEqual(findings('FROM node:12\nWORKDIR /app\nCOPY . .\nRUN npm ci\n', RULE, { context: prepare }), []);
  assert.deepEqual(findings('FROM example.com/my-node\nWORKDIR /app\nCOPY . .\nRUN npm ci\n', RULE, { context: prepare }), []);
  const local = memoryContext({ 'package.json': '{"dependencies":{"greet":"file:./packages/greet"}}', 'packages/greet/package.json': '{}', 'index.js': '' });
  assert.equal(findings('FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n', RULE, { context: local }).length, 1);
  // The local package copied ahead is part of the install, not a copy of sources.
  assert.deepEqual(findings('FROM node:20\nWORKDIR /app\nCOPY package.json ./\nCOPY packages/greet ./packages/greet/\nRUN npm ci\nCOPY . .\n', RULE, { context: local }), []);
  const poetry = memoryContext({ 'pyproject.toml': '[tool.poetry]\nname = "x"\n', 'poetry.lock': '', 'x/__init__.py': '' });
  assert.equal(findings('FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN poetry install\n', RULE, { context: poetry }).length, 1);
});

test('copy-before-dependency-install: fires for installs that read nothing from the context (pip/npm -g/gem/go/cargo install, apt)', () => {
  for (const [image, run, what] of [
    ['python:3.12', 'pip install --no-cache-dir flask', 'pip install --no-cache-dir flask'],
    ['node:20', 'npm install -g serve@14', 'npm install -g serve@14'],
    ['ruby:3.3', 'gem install bundler -v 2.5.6', 'gem install bundler -v 2.5.6'],
    ['golang:1.23', 'go install golang.org/x/tools/gopls@v0.15.0', 'go install golang.org/x/tools/gopls@v0.15.0'],
    ['rust:1.79', 'cargo install cargo-watch', 'cargo install cargo-watch'],
    ['debian:bookworm', 'apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*', 'apt-get update'],
    ['alpine:3.19', 'apk add --no-cache curl', 'apk add --no-cache'],
  ]) {
    const [p, ...rest] = findings(`FROM ${image}\nWORKDIR /app\nCOPY . .\nENV A=1\nRUN ${run}\n`, RULE);
    assert.equal(rest.length, 0, run);
    assert.ok(p, `fires for ${run}`);
    assert.match(p.message, new RegExp(`before ${what.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} on line 5, which reads nothing from the build context`), run);
  }
});

test('copy-before-dependency-install: an install that reads the context in any way is not context-free', () => {
  for (const run of [
    'pip install -c constraints.txt flask', 'pip install ./wheels/x.whl', 'pip install -e .',
    'pip install --find-links wheels flask', 'pip install $PKG', 'npm install -g', 'npm install -g .', 'npm install -g ./tool',
    'gem install ./x.gem', 'gem install -g Gemfile', 'go install ./cmd/x', 'go install', 'cargo install --path .', 'cargo install',
    'apt-get install -y ./x.deb', 'pip install flask && python setup.py build', 'pip install flask > log.txt',
  ]) assert.deepEqual(findings(`FROM base\nWORKDIR /app\nCOPY . .\nRUN ${run}\n`, RULE), [], run);
});

test('copy-before-dependency-install: a context-free install stays quiet when moving it would change something', () => {
  for (const text of [
    // The sources land where installs write.
    'FROM python:3.12\nCOPY . .\nRUN pip install flask\n',
    'FROM python:3.12\nCOPY . /usr/local\nRUN pip install flask\n',
    // An ENV the copy reads would move above it.
    'FROM python:3.12\nWORKDIR /srv\nCOPY . ./$DIR\nENV DIR=app\nRUN pip install flask\n',
    // A step in between reads the sources.
    'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN python setup.py build\nRUN pip install flask\n',
  ]) assert.deepEqual(findings(text, RULE), [], text);
});

test('copy-before-dependency-install: a dependency install after the copy is reported before a context-free one', () => {
  const [p, ...rest] = findings('FROM node:22\nWORKDIR /src\nCOPY . .\nRUN npm install -g npm@11\nRUN npm ci\n', RULE);
  assert.equal(rest.length, 0);
  assert.match(p.message, /before npm ci on line 5: any source change invalidates the install layer/);
});
