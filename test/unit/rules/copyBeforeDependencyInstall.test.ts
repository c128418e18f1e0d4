import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryContext } from '../../support/analysis';
import { catches, catchesNot } from '../../support/ruleSpec';

const RULE = 'copy-before-dependency-install';

test('copy-before-dependency-install: fires on COPY . . before npm ci, without a context', () => {
  const text = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nRUN npm run build\n';
  const [p] = catches(RULE, text);
  assert.equal(p.severity, 'warning');
  assert.deepEqual(p.range.start, { line: 2, character: 0 });
  assert.match(p.message, /COPY \. \. on line 3 comes before npm ci on line 4/);
  assert.match(p.message, /package\.json and package-lock\.json/);
  assert.equal(p.fixes.length, 0, 'the fix is the Reorder for layer cache refactoring');
});

test('copy-before-dependency-install: names the manifests and lockfiles that exist in the context', () => {
  const ctx = memoryContext({ 'package.json': '{"name":"x"}', 'yarn.lock': '', 'src/index.js': '' });
  const [p] = catches(RULE, 'FROM node:20\nCOPY . .\nRUN yarn install --frozen-lockfile\n', { context: ctx });
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
  ]) catches(RULE, `FROM base\n${copy}\nRUN ${run}\n`);
});

test('copy-before-dependency-install: with a context, fires for builds that download dependencies and for source folders', () => {
  const goCtx = memoryContext({ 'go.mod': 'module x\n\ngo 1.22\n\nrequire github.com/a/b v1.0.0\n', 'go.sum': '', 'main.go': '' });
  catches(RULE, 'FROM golang:1.22\nCOPY . .\nRUN go build -o /app .\n', { context: goCtx });
  const srcCtx = memoryContext({ 'package.json': '{}', 'src/app.ts': '' });
  catches(RULE, 'FROM node:20\nCOPY src ./src\nCOPY package.json .\nRUN npm install\n', { context: srcCtx });
});

test('copy-before-dependency-install: does not fire when manifests are installed before the sources are copied', () => {
  catchesNot(RULE, [
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
  ]);
});

test('copy-before-dependency-install: with a context, stays quiet when the install needs the sources', () => {
  const postinstall = memoryContext({ 'package.json': '{"scripts":{"postinstall":"prisma generate"}}', 'prisma/schema.prisma': '' });
  // npm 6 (Node 14) runs lifecycle scripts differently in `npm rebuild`; yarn has no exact equivalent.
  catchesNot(RULE, 'FROM node:14\nCOPY . .\nRUN npm ci\n', { context: postinstall });
  catchesNot(RULE, 'FROM node:20\nCOPY . .\nRUN yarn install\n', { context: postinstall });
  const local = memoryContext({ 'package.json': '{"dependencies":{"shared":"file:../shared"}}', 'index.js': '' });
  catchesNot(RULE, 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n', { context: local });
  const project = memoryContext({ 'pyproject.toml': '[project]\nname = "x"\n', 'x/__init__.py': '' });
  catchesNot(RULE, 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install .\n', { context: project });
  const cargoBin = memoryContext({ 'Cargo.toml': '[package]\nname = "x"\n[[bin]]\nname = "x"\npath = "src/x.rs"\n', 'src/x.rs': '' });
  catchesNot(RULE, 'FROM rust:1.79\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\n', { context: cargoBin });
  const goOutside = memoryContext({ 'go.mod': 'module x\n\nrequire a.b/c v1.0.0\n\nreplace a.b/lib => ../lib\n', 'main.go': '' });
  catchesNot(RULE, 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n', { context: goOutside });
  const editable = memoryContext({ 'requirements.txt': 'flask\n-e .\n', 'app.py': '' });
  catchesNot(RULE, 'FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\n', { context: editable });
  const noRequires = memoryContext({ 'go.mod': 'module x\n\ngo 1.22\n', 'main.go': '' });
  catchesNot(RULE, 'FROM golang:1.22\nCOPY . .\nRUN go build -o /app .\n', { context: noRequires });
  const gemspec = memoryContext({ Gemfile: "source 'https://rubygems.org'\ngemspec\n", 'lib/x.rb': '' });
  catchesNot(RULE, 'FROM ruby:3.3\nCOPY . .\nRUN bundle install\n', { context: gemspec });
  const reqFolder = memoryContext({ 'requirements/base.txt': 'flask\n', 'app.py': '' });
  catchesNot(RULE, 'FROM python:3.12\nCOPY requirements requirements\nRUN pip install -r requirements/base.txt\nCOPY . .\n', { context: reqFolder });
  const elsewhere = memoryContext({ 'web/package.json': '{}', 'README.md': '' });
  catchesNot(RULE, 'FROM node:20\nCOPY . .\nRUN npm ci\n', { context: elsewhere });
});

test('copy-before-dependency-install: names the step (go mod download) and skips installs in if branches (corpus: distroless, sentry)', () => {
  const [p] = catches(RULE, 'FROM golang:1.22\nCOPY . .\nRUN go mod download\n');
  assert.match(p.message, /before go mod download on line 3/);
  catchesNot(RULE, 'FROM python\nCOPY . /src\nRUN if [ -s /src/requirements.txt ]; then pip install -r /src/requirements.txt; fi\n');
});

test('copy-before-dependency-install: with a context, fires where the reorder copies what the install reads or splits it', () => {
  const prepare = memoryContext({ 'package.json': '{"scripts":{"prepare":"rollup -c"}}', 'package-lock.json': '{}', 'src/index.js': '' });
  const [split] = catches(RULE, 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n', { context: prepare });
  assert.match(split.message, /before npm ci on line 4/);
  for (const image of ['node:iron-slim', 'node:22-alpine', 'node:lts', 'node']) catches(RULE, `FROM ${image}\nWORKDIR /app\nCOPY . .\nRUN npm ci\n`, { context: prepare });
  catchesNot(RULE, 'FROM node:12\nWORKDIR /app\nCOPY . .\nRUN npm ci\n', { context: prepare });
  catchesNot(RULE, 'FROM example.com/my-node\nWORKDIR /app\nCOPY . .\nRUN npm ci\n', { context: prepare });
  const local = memoryContext({ 'package.json': '{"dependencies":{"greet":"file:./packages/greet"}}', 'packages/greet/package.json': '{}', 'index.js': '' });
  catches(RULE, 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n', { context: local });
  // The local package copied ahead is part of the install, not a copy of sources.
  catchesNot(RULE, 'FROM node:20\nWORKDIR /app\nCOPY package.json ./\nCOPY packages/greet ./packages/greet/\nRUN npm ci\nCOPY . .\n', { context: local });
  const poetry = memoryContext({ 'pyproject.toml': '[tool.poetry]\nname = "x"\n', 'poetry.lock': '', 'x/__init__.py': '' });
  catches(RULE, 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN poetry install\n', { context: poetry });
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
    const [p] = catches(RULE, `FROM ${image}\nWORKDIR /app\nCOPY . .\nENV A=1\nRUN ${run}\n`);
    assert.match(p.message, new RegExp(`before ${what.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} on line 5, which reads nothing from the build context`), run);
  }
});

test('copy-before-dependency-install: an install that reads the context in any way is not context-free', () => {
  catchesNot(RULE, [
    'pip install -c constraints.txt flask', 'pip install ./wheels/x.whl', 'pip install -e .',
    'pip install --find-links wheels flask', 'pip install $PKG', 'npm install -g', 'npm install -g .', 'npm install -g ./tool',
    'gem install ./x.gem', 'gem install -g Gemfile', 'go install ./cmd/x', 'go install', 'cargo install --path .', 'cargo install',
    'apt-get install -y ./x.deb', 'pip install flask && python setup.py build', 'pip install flask > log.txt',
  ].map((run) => `FROM base\nWORKDIR /app\nCOPY . .\nRUN ${run}\n`));
});

test('copy-before-dependency-install: a context-free install stays quiet when moving it would change something', () => {
  catchesNot(RULE, [
    // The sources land where installs write.
    'FROM python:3.12\nCOPY . .\nRUN pip install flask\n',
    'FROM python:3.12\nCOPY . /usr/local\nRUN pip install flask\n',
    // An ENV the copy reads would move above it.
    'FROM python:3.12\nWORKDIR /srv\nCOPY . ./$DIR\nENV DIR=app\nRUN pip install flask\n',
    // A step in between reads the sources.
    'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN python setup.py build\nRUN pip install flask\n',
  ]);
});

test('copy-before-dependency-install: a dependency install after the copy is reported before a context-free one', () => {
  const [p] = catches(RULE, 'FROM node:22\nWORKDIR /src\nCOPY . .\nRUN npm install -g npm@11\nRUN npm ci\n');
  assert.match(p.message, /before npm ci on line 5: any source change invalidates the install layer/);
});
