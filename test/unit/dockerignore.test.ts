import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DockerignoreMatcher, findDockerignore, normalizePath, parsePatterns } from '../../server/src/analysis/dockerignore';
import { memoryContext } from '../support/analysis';

test('dockerignore: a bare name matches only at the context root, as in Docker', () => {
  const m = new DockerignoreMatcher('node_modules\n');
  assert.equal(m.ignores('node_modules'), true);
  assert.equal(m.ignores('node_modules/lodash/index.js'), true);
  assert.equal(m.ignores('packages/a/node_modules'), false);
});

test('dockerignore: ** matches at any depth', () => {
  const m = new DockerignoreMatcher('**/node_modules\n**/*.pyc\n');
  assert.equal(m.ignores('packages/a/node_modules'), true);
  assert.equal(m.ignores('src/pkg/mod.pyc'), true);
  assert.equal(m.ignores('src/pkg/mod.py'), false);
});

test('dockerignore: a later ! exception re-includes, a later pattern excludes again (last match wins)', () => {
  const m = new DockerignoreMatcher('*.md\n!README.md\n');
  assert.equal(m.ignores('CHANGES.md'), true);
  assert.equal(m.ignores('README.md'), false);
  const again = new DockerignoreMatcher('*.md\n!README.md\nREADME*\n');
  assert.equal(again.ignores('README.md'), true);
});

test('dockerignore: comments, blank lines, surrounding spaces, leading / and ./ are handled as Docker does', () => {
  assert.deepEqual(parsePatterns('# deps\n\n  node_modules  \r\n/dist\n'), ['node_modules', '/dist']);
  const m = new DockerignoreMatcher('# a comment\n  /dist  \n.env.*\n');
  assert.equal(m.ignores('./dist/app.js'), true);
  assert.equal(m.ignores('.env.local'), true);
  assert.equal(m.ignores('# a comment'), false);
  assert.equal(normalizePath('./a//b/../c/'), 'a/c');
});

test('dockerignore: excludesFolder counts dir/* and dir/** as excluding the folder contents', () => {
  assert.equal(new DockerignoreMatcher('node_modules/*\n').excludesFolder('node_modules'), true);
  assert.equal(new DockerignoreMatcher('.git/**\n').excludesFolder('.git'), true);
  assert.equal(new DockerignoreMatcher('dist\n').excludesFolder('node_modules'), false);
});

test('dockerignore: the empty path (the context itself) is never ignored, even by *', () => {
  assert.equal(new DockerignoreMatcher('*\n').ignores(''), false);
  assert.equal(new DockerignoreMatcher('*\n!src\n').ignores('src/index.ts'), false);
});

test('dockerignore: <Dockerfile>.dockerignore next to the Dockerfile wins over the context .dockerignore (BuildKit)', () => {
  const context = memoryContext({
    '.dockerignore': 'node_modules\n',
    'docker/api.Dockerfile': 'FROM node:20\n',
    'docker/api.Dockerfile.dockerignore': '.git\n',
  });
  assert.deepEqual(findDockerignore(context, 'docker/api.Dockerfile'), { path: 'docker/api.Dockerfile.dockerignore', content: '.git\n' });
  assert.deepEqual(findDockerignore(context, 'docker/web.Dockerfile'), { path: '.dockerignore', content: 'node_modules\n' });
  assert.deepEqual(findDockerignore(context), { path: '.dockerignore', content: 'node_modules\n' });
  assert.equal(findDockerignore(memoryContext({ 'Dockerfile': 'FROM x\n' }), 'Dockerfile'), undefined);
});

test('dockerignore: a Dockerfile outside the context is looked up by its ../ path', () => {
  const files: Record<string, string> = { '.dockerignore': 'node_modules\n' };
  const context = {
    ...memoryContext(files),
    read: (p: string) => (p === '../docker/api.Dockerfile.dockerignore' ? '.git\n' : files[p]),
  };
  assert.deepEqual(findDockerignore(context, '../docker/api.Dockerfile'), { path: '../docker/api.Dockerfile.dockerignore', content: '.git\n' });
  assert.equal(normalizePath('../../a/./b'), '../../a/b');
});

test('dockerignore: an excluded folder is not entered unless an exception starts with its path (Docker\'s walk)', () => {
  const m = new DockerignoreMatcher('*\n!src\n!packages/*/src\n');
  assert.equal(m.ignores('src/index.ts'), false);
  assert.equal(m.ignores('packages/web/src/app.ts'), true, 'the wildcard exception does not open packages/web');
  const opened = new DockerignoreMatcher('*\n!packages/*/src\n!packages/web/lib\n');
  assert.equal(opened.ignores('packages/web/lib/a.ts'), false, 'a literal exception opens packages/web…');
  assert.equal(opened.ignores('packages/web/src/app.ts'), false, '…and inside it the wildcard exception applies');
});

test('dockerignore: a ** pattern after an exception excludes it again, checking every parent folder (current Docker; 20.10 differed)', () => {
  const m = new DockerignoreMatcher('node_modules\n!node_modules/keep.js\n**/node_modules\n');
  assert.equal(m.ignores('node_modules/keep.js'), true);
  assert.equal(new DockerignoreMatcher('node_modules\n!node_modules/keep.js\n').ignores('node_modules/keep.js'), false);
});
