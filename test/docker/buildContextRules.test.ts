// The build-context rules checked against the real builder. BuildKit exports what a build sees
// (FROM scratch, COPY . /, --output type=local), so without any base image: every file it kept or dropped
// must be what Multistage's .dockerignore matcher predicts; the .dockerignore that missing-dockerignore
// creates must keep local junk out; and add-instead-of-copy's safe fix must build the same files. The
// scratch CA fix and the runs-as-root fixes are built (and the latter run) on the offline base images.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runDocker } from '../../server/src/docker/runner';
import { DockerignoreMatcher, findDockerignore } from '../../server/src/analysis/dockerignore';
import { ContextFilesCache } from '../../server/src/workspace/contextFiles';
import { DOCKER, SETUP_HINT, engineAvailable } from './dockerTestSupport';
import { requirePart } from '../support/requirements';
import { catches, fixesTo } from '../support/ruleSpec';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'multistage-dockerignore-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const FILES = [
  'Dockerfile', 'README.md', 'CHANGES.md', 'docs/README.md', 'docs/guide.md', '.env', '.env.local', '.env.example',
  'node_modules/a/index.js', 'node_modules/keep.js', 'packages/web/node_modules/b.js', 'packages/web/src/app.ts', 'packages/web/lib/a.ts',
  'src/index.ts', 'src/pkg/mod.py', 'src/pkg/mod.pyc', 'src/pkg/__pycache__/mod.cpython-312.pyc', 'dist/app.js',
  'build/out.txt', 'temp1', 'tempdir/x', 'a/temp/b', 'logs/app.log', 'logs/keep/.gitkeep', 'secret.key', 'docker/api.Dockerfile',
];

const CASES: Record<string, string> = {
  'names, ** and ! exceptions': 'node_modules\n**/*.pyc\n*.md\n!README.md\n.env*\n!.env.example\n',
  'leading slash, dir/*, ? and trailing spaces': '/dist\nbuild/*\ntemp?\nlogs/*  \n!logs/keep\n',
  'exception inside an excluded folder, ** folders, comments': '# deps\nnode_modules\n!node_modules/keep.js\npackages/**/node_modules\n**/__pycache__\n*/temp*\n',
  // Docker does not enter an excluded folder unless an exception starts with its path literally, so
  // packages/web/src stays out although `!packages/*/src` matches it.
  'exclude everything but an allow-list': '*\n!src\n!Dockerfile\n!packages/*/src\n',
  // …but once a literal exception opens the folder, the wildcard exception applies inside it.
  'a literal exception opens an excluded folder': '*\n!packages/*/src\n!packages/web/lib\n',
  // Character classes and ranges, ? inside names, a **/ suffix with wildcards, a parent match, case.
  'classes, ranges and ? (the linear matcher against BuildKit)': '[A-Z]*.md\nsrc/pkg/mod.py[c]\n**/*.cpython-3??.pyc\ntemp[0-9]\nlog[s]\nSECRET.key\n',
};
// Left out on purpose: `node_modules` + `!node_modules/keep.js` + `**/node_modules`. Docker 20.10 (this
// machine's engine) keeps keep.js because its parent check compares only as many leading folders as the
// pattern has; the current patternmatcher checks every parent and drops it, as Multistage does (see
// test/unit/dockerignore.test.ts).


function makeContext(dir: string, ignore: string): void {
  for (const rel of FILES) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, rel === 'Dockerfile' || rel.endsWith('.Dockerfile') ? 'FROM scratch\nCOPY . /\n' : rel);
  }
  fs.writeFileSync(path.join(dir, '.dockerignore'), ignore);
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of fs.readdirSync(d)) {
      const full = path.join(d, name);
      if (fs.statSync(full).isDirectory()) walk(full);
      else out.push(path.relative(dir, full).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

async function exported(context: string, dockerfile = 'Dockerfile'): Promise<string[]> {
  const out = fs.mkdtempSync(path.join(root, 'out-'));
  const r = await runDocker(['build', '--quiet', '--file', path.join(context, dockerfile), '--output', `type=local,dest=${out}`, context], {
    dockerPath: DOCKER, env: { DOCKER_BUILDKIT: '1' }, timeoutMs: 120_000,
  });
  assert.equal(r.code, 0, `docker build failed: ${r.stderr}`);
  return filesUnder(out);
}

for (const [name, ignore] of Object.entries(CASES)) {
  test(`dockerignore: the matcher agrees with BuildKit file by file (${name})`, async (t) => {
    if (!requirePart(t, 'a Docker engine with BuildKit', await engineAvailable(), SETUP_HINT)) return;
    const context = fs.mkdtempSync(path.join(root, 'ctx-'));
    makeContext(context, ignore);
    const kept = await exported(context);
    const matcher = new DockerignoreMatcher(ignore);
    const predicted = [...FILES, '.dockerignore'].filter((f) => !matcher.ignores(f)).sort();
    assert.deepEqual(predicted, kept);
  });
}

test('dockerignore: <Dockerfile>.dockerignore next to the Dockerfile wins over .dockerignore, in BuildKit and in findDockerignore', async (t) => {
  if (!requirePart(t, 'a Docker engine with BuildKit', await engineAvailable(), SETUP_HINT)) return;
  const context = fs.mkdtempSync(path.join(root, 'ctx-'));
  makeContext(context, 'src\n');
  fs.writeFileSync(path.join(context, 'docker/api.Dockerfile.dockerignore'), 'node_modules\n**/node_modules\n');
  const kept = await exported(context, 'docker/api.Dockerfile');
  const chosen = findDockerignore(new ContextFilesCache().contextFor(context, path.join(context, 'docker/api.Dockerfile')), 'docker/api.Dockerfile');
  assert.equal(chosen?.path, 'docker/api.Dockerfile.dockerignore');
  const matcher = new DockerignoreMatcher(chosen!.content);
  const predicted = [...FILES, '.dockerignore', 'docker/api.Dockerfile.dockerignore'].filter((f) => !matcher.ignores(f)).sort();
  assert.deepEqual(predicted, kept);
  assert.ok(kept.includes('src/index.ts'), 'the context .dockerignore (excluding src) was not used');
});

test('missing-dockerignore: the .dockerignore its fix creates keeps node_modules, .git and .env out of a real build', async (t) => {
  if (!requirePart(t, 'a Docker engine with BuildKit', await engineAvailable(), SETUP_HINT)) return;
  const { analyze } = await import('../../server/src/analysis/analyze');
  const { applyEdits } = await import('../../server/src/analysis/textEdits');
  const context = fs.mkdtempSync(path.join(root, 'ctx-'));
  makeContext(context, '');
  fs.rmSync(path.join(context, '.dockerignore'));
  fs.writeFileSync(path.join(context, 'package.json'), '{"name":"app"}');
  fs.mkdirSync(path.join(context, '.git'));
  fs.writeFileSync(path.join(context, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  const text = fs.readFileSync(path.join(context, 'Dockerfile'), 'utf8');
  const problem = analyze(text, { context: new ContextFilesCache().contextFor(context, path.join(context, 'Dockerfile')) }).problems.find((p) => p.rule === 'missing-dockerignore');
  assert.ok(problem);
  const change = problem.fixes[0].files![0];
  assert.equal(change.path, path.join(context, '.dockerignore'));
  fs.writeFileSync(change.path, applyEdits('', change.edits));
  const kept = await exported(context);
  for (const gone of ['node_modules/a/index.js', 'packages/web/node_modules/b.js', '.git/HEAD', '.env', '.env.local', 'Dockerfile']) assert.ok(!kept.includes(gone), `${gone} is still in the build context`);
  for (const there of ['src/index.ts', 'package.json', '.env.example', 'packages/web/src/app.ts']) assert.ok(kept.includes(there), `${there} was dropped`);
});

test('add-instead-of-copy: its safe fix (ADD → COPY) builds the same files with the real builder', async (t) => {
  if (!requirePart(t, 'a Docker engine with BuildKit', await engineAvailable(), SETUP_HINT)) return;
  const context = fs.mkdtempSync(path.join(root, 'ctx-'));
  makeContext(context, '');
  const text = 'FROM scratch\nADD src/ /app/src/\nADD README.md docs /app/\nadd ["CHANGES.md", "/app/"]\n';
  fs.writeFileSync(path.join(context, 'Dockerfile'), text);
  catches('add-instead-of-copy', text, { count: 3 });
  const fixed = fixesTo('add-instead-of-copy', text, 'FROM scratch\nCOPY src/ /app/src/\nCOPY README.md docs /app/\ncopy ["CHANGES.md", "/app/"]\n', { finding: 'all' });
  const before = await exported(context);
  fs.writeFileSync(path.join(context, 'Dockerfile'), fixed);
  const after = await exported(context);
  assert.ok(before.includes('app/src/pkg/mod.py') && before.includes('app/guide.md'), before.join(', '));
  assert.deepEqual(after, before);
});

test('scratch-without-ca-certificates: after its fix the scratch image really contains the CA bundle', async (t) => {
  const { imagesAvailable } = await import('./dockerTestSupport');
  if (!requirePart(t, 'a Docker engine with golang:1.23', (await engineAvailable()) && (await imagesAvailable(['golang:1.23'])), SETUP_HINT)) return;
  const context = fs.mkdtempSync(path.join(root, 'ctx-'));
  const text = 'FROM golang:1.23 AS build\nFROM scratch\nCOPY --from=build /usr/local/go/bin/gofmt /gofmt\nENTRYPOINT ["/gofmt"]\n';
  const fixed = fixesTo('scratch-without-ca-certificates', text);
  fs.writeFileSync(path.join(context, 'Dockerfile'), fixed);
  const kept = await exported(context);
  assert.deepEqual(kept, ['etc/ssl/certs/ca-certificates.crt', 'gofmt']);
});

test('runs-as-root: the fixed images really run as a non-root uid (node user, useradd on Debian)', async (t) => {
  const { imagesAvailable } = await import('./dockerTestSupport');
  const bases = ['node:20-bookworm-slim', 'python:3-slim'];
  if (!requirePart(t, `a Docker engine with ${bases.join(', ')}`, (await engineAvailable()) && (await imagesAvailable(bases)), SETUP_HINT)) return;
  const cases = [
    { base: 'node:20-bookworm-slim', uid: '1000' },
    { base: 'python:3-slim', uid: '10001' },
  ];
  const tags: string[] = [];
  try {
    for (const { base, uid } of cases) {
      const text = `FROM ${base}\nRUN mkdir -p /app\nCMD ["id", "-u"]\n`;
      const context = fs.mkdtempSync(path.join(root, 'ctx-'));
      fs.writeFileSync(path.join(context, 'Dockerfile'), fixesTo('runs-as-root', text));
      const tag = `multistage-test/runs-as-root-${tags.length}:latest`;
      tags.push(tag);
      const build = await runDocker(['build', '--quiet', '--tag', tag, context], { dockerPath: DOCKER, env: { DOCKER_BUILDKIT: '1' }, timeoutMs: 300_000 });
      assert.equal(build.code, 0, build.stderr);
      const run = await runDocker(['run', '--rm', '--network', 'none', tag], { dockerPath: DOCKER, timeoutMs: 60_000 });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout.trim(), uid, `${base}: expected uid ${uid}`);
    }
  } finally {
    for (const tag of tags) await runDocker(['image', 'rm', '--force', tag], { dockerPath: DOCKER });
  }
});
