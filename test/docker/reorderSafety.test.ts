// "Reorder for layer cache" on the installs that read more than their manifests, proven on a real engine:
// a Node CLI whose `prepare` script bundles src/ during npm ci (split: npm ci --ignore-scripts, then
// npm rebuild && npm run prepare after the sources), an API with a local `file:` package (its folder is
// copied ahead), and a Python package installed with `pip install .` (its declared dependencies are
// installed ahead from pyproject.toml). For each: the original and the reordered file build, run and give
// the same answers (a write included), and after a one-line source edit the reordered file's dependency
// step comes from the cache while the original's runs again. The prepare sample also shows the trap is
// real: the plain reorder (npm ci moved as it is) fails to build.
// `npm test` (CI) runs the prepare and pip samples; `npm run test:reorder-samples` runs all of them
// (MULTISTAGE_REORDER_SAMPLES=all, or a comma-separated list of names).
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requirePart } from '../support/requirements';
import { runDocker } from '../../server/src/docker/runner';
import { buildModel } from '../../server/src/analysis/model';
import { applyTextEdits, refactorActions, REORDER_TITLE } from '../../server/src/analysis/rewrite';
import { DEFAULT_SETTINGS } from '../../server/src/analysis/types';
import { ContextFilesCache } from '../../server/src/workspace/contextFiles';
import { DOCKER, engineAvailable, imagesAvailable, SETUP_HINT } from './dockerTestSupport';
import { buildImage, packageReposAvailable, removeImages } from './rewriteSamples';

const TAG_PREFIX = `multistage-test/reorder-safety-${process.pid}`;
const SAMPLES_DIR = join(__dirname, 'samples');

interface SafetySample {
  name: string;
  /** In the fast subset `npm test` runs. */
  ci: boolean;
  images: string[];
  needsMirror?: boolean;
  /** What the reordered file must look like (the chosen strategy). */
  shape: RegExp[];
  /** The source file the edit touches. */
  sourceFile: string;
  /** The dependency step of the reordered file that must be CACHED after the edit. */
  cachedStep: RegExp;
  /** The install step of the original file, which runs again. */
  originalInstall: RegExp;
  /** Answers of a built image: the same for the original and the reordered one. */
  answers(tag: string): Promise<string[]>;
}

const SAMPLES: SafetySample[] = [
  {
    name: 'reorder-node-prepare',
    ci: true,
    images: ['node:20-slim'],
    shape: [/^COPY package\.json package-lock\.json \.\/\nRUN npm ci --ignore-scripts\nCOPY \. \.\nRUN npm rebuild && npm run prepare$/m],
    sourceFile: 'src/words.js',
    cachedStep: /^RUN npm ci --ignore-scripts$/,
    originalInstall: /^RUN npm ci$/,
    answers: async (tag) => [
      await runCli(tag, ['count', 'the cat and the hat and the bat']),
      // A write: the note is appended to a file, which is printed back.
      await runCli(tag, ['note', '/tmp/notes.txt', 'buy milk']),
      await runCli(tag, []),
    ],
  },
  {
    name: 'reorder-node-file-dep',
    ci: false,
    images: ['node:20-slim'],
    shape: [/^COPY package\.json package-lock\.json \.\/\nCOPY packages\/notes-store \.\/packages\/notes-store\/\nRUN npm ci --omit=dev\nCOPY \. \.$/m],
    sourceFile: 'server.js',
    cachedStep: /^RUN npm ci --omit=dev$/,
    originalInstall: /^RUN npm ci --omit=dev$/,
    answers: (tag) => httpAnswers(tag, 3000, [['GET', '/'], ['POST', '/notes', 'first'], ['POST', '/notes', 'second'], ['GET', '/notes'], ['GET', '/ttl'], ['GET', '/missing']]),
  },
  {
    name: 'reorder-python-project',
    ci: true,
    images: ['python:3.11-slim'],
    needsMirror: true,
    shape: [/^COPY pyproject\.toml \.\/\nRUN python3 -c "import tomllib;.*" > \/tmp\/project-requirements\.txt && pip install --no-cache-dir -r \/tmp\/project-requirements\.txt && rm \/tmp\/project-requirements\.txt\nCOPY \. \.\nRUN pip install --no-cache-dir \.$/m],
    sourceFile: 'notes/__init__.py',
    cachedStep: /^RUN python3 -c .*pip install --no-cache-dir -r \/tmp\/project-requirements\.txt/,
    originalInstall: /^RUN pip install --no-cache-dir \.$/,
    answers: (tag) => httpAnswers(tag, 5000, [['GET', '/'], ['POST', '/notes', 'first'], ['POST', '/notes', 'second'], ['GET', '/notes'], ['GET', '/missing']]),
  },
];

const choice = process.env.MULTISTAGE_REORDER_SAMPLES;
const selected = SAMPLES.filter((s) => (choice === 'all' ? true : choice ? choice.split(',').includes(s.name) : s.ci));
const tags: string[] = [];
const contexts = new ContextFilesCache();

/** The reordered Dockerfile of a sample, by the real rewrite engine with the sample folder as context. */
function reorderedDockerfile(name: string): string {
  const dir = join(SAMPLES_DIR, name);
  const model = buildModel(readFileSync(join(dir, 'Dockerfile'), 'utf8'));
  const action = refactorActions(model, { settings: DEFAULT_SETTINGS, context: contexts.contextFor(dir, join(dir, 'Dockerfile')) }).find((a) => a.title === REORDER_TITLE);
  if (!action) throw new Error(`"${REORDER_TITLE}" is not offered for ${name}`);
  return applyTextEdits(model, action.edits);
}

/** A copy of the sample in a temporary folder, for the edit the repository must not see. */
function copySample(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `multistage-${name}-`));
  cpSync(join(SAMPLES_DIR, name), dir, { recursive: true });
  return dir;
}
let engine = false;
let mirror = false;

before(async () => {
  engine = await engineAvailable();
  mirror = engine && (await packageReposAvailable());
});

after(async () => {
  if (engine) await removeImages(tags);
});

async function ready(t: TestContext, sample: SafetySample): Promise<boolean> {
  if (!requirePart(t, 'Docker engine', engine, SETUP_HINT)) return false;
  if (!requirePart(t, `base images ${sample.images.join(', ')}`, await imagesAvailable(sample.images), SETUP_HINT)) return false;
  if (sample.needsMirror && !requirePart(t, 'pip package repository (the local mirror on 172.17.0.1:8765 on offline machines)', mirror, 'run test/setup/mirrors.sh')) return false;
  return true;
}

async function mustBuild(text: string, dir: string, tag: string) {
  const outcome = await buildImage(text, dir, tag);
  if (!tags.includes(tag)) tags.push(tag);
  assert.equal(outcome.code, 0, `build of ${tag} failed:\n${outcome.output.slice(-3000)}`);
  return outcome;
}

async function runCli(tag: string, args: string[]): Promise<string> {
  const r = await runDocker(['run', '--rm', '--network', 'none', tag, ...args], { dockerPath: DOCKER, timeoutMs: 60_000 });
  return `exit ${r.code}: ${r.stdout}${r.stderr}`;
}

/** Starts the image (published on 127.0.0.1 only), sends the requests in order, stops it. */
async function httpAnswers(tag: string, port: number, requests: Array<[string, string, string?]>): Promise<string[]> {
  const name = `multistage-reorder-safety-${process.pid}-${Date.now()}`;
  const started = await runDocker(['run', '-d', '--rm', '--name', name, '-p', `127.0.0.1::${port}`, tag], { dockerPath: DOCKER });
  if (started.code !== 0) throw new Error(`docker run ${tag}: ${started.stderr}`);
  try {
    const mapped = await runDocker(['port', name, `${port}/tcp`], { dockerPath: DOCKER });
    const hostPort = /127\.0\.0\.1:(\d+)/.exec(mapped.stdout)?.[1];
    if (!hostPort) throw new Error(`no published port for ${tag}: ${mapped.stdout} ${mapped.stderr}`);
    const base = `http://127.0.0.1:${hostPort}`;
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await fetch(`${base}/`, { signal: AbortSignal.timeout(2000) });
        break;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`${tag} did not answer: ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    }
    const out: string[] = [];
    for (const [method, path, body] of requests) {
      const response = await fetch(`${base}${path}`, { method, body, signal: AbortSignal.timeout(5000) });
      out.push(`${method} ${path} -> ${response.status} ${(await response.text()).trim()}`);
    }
    return out;
  } finally {
    await runDocker(['rm', '-f', name], { dockerPath: DOCKER });
  }
}

describe('reorder on a real engine: installs that read more than their manifests', { concurrency: 2 }, () => {
  for (const sample of selected) {
    test(`${sample.name}: the original and the reordered file build and answer alike; after a source edit the reordered dependency step is CACHED, the original's install runs`, async (t) => {
      if (!(await ready(t, sample))) return;
      const dir = copySample(sample.name);
      try {
        const original = readFileSync(join(dir, 'Dockerfile'), 'utf8');
        const reordered = reorderedDockerfile(sample.name);
        for (const shape of sample.shape) assert.match(reordered, shape);
        const originalTag = `${TAG_PREFIX}/${sample.name}:original`;
        const reorderedTag = `${TAG_PREFIX}/${sample.name}:reordered`;
        const reorderedBuild = await mustBuild(reordered, dir, reorderedTag);
        appendFileSync(join(dir, sample.sourceFile), `\n${sample.sourceFile.endsWith('.py') ? '#' : '//'} edited at ${Date.now()}\n`);
        const reorderedRebuild = await mustBuild(reordered, dir, reorderedTag);
        // The original copies the edited sources before its install: the install runs (never CACHED).
        const originalBuild = await mustBuild(original, dir, originalTag);
        const step = (outcome: typeof originalBuild, pattern: RegExp) => outcome.steps.find((s) => pattern.test(s.command));
        assert.equal(step(reorderedRebuild, sample.cachedStep)?.cached, true, `reordered: dependency step CACHED\n${reorderedRebuild.output.slice(-2500)}`);
        assert.equal(step(originalBuild, sample.originalInstall)?.cached, false, `original: install runs\n${originalBuild.output.slice(-2500)}`);
        t.diagnostic(`${sample.name}: reordered build ${reorderedBuild.seconds.toFixed(1)} s, rebuild after the edit ${reorderedRebuild.seconds.toFixed(1)} s; original build ${originalBuild.seconds.toFixed(1)} s`);
        const expected = await sample.answers(originalTag);
        assert.ok(expected.every((a) => !/^exit [1-9]/.test(a)), expected.join('\n'));
        assert.deepEqual(await sample.answers(reorderedTag), expected, 'the reordered image answers like the original');
        t.diagnostic(`${sample.name}: ${expected.join(' | ').slice(0, 300)}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  if (selected.some((s) => s.name === 'reorder-node-prepare')) test('reorder-node-prepare: the plain reorder (npm ci moved above the sources as it is) fails to build, which is why the install is split', async (t) => {
    const sample = SAMPLES[0];
    if (!(await ready(t, sample))) return;
    const reordered = reorderedDockerfile(sample.name);
    const naive = reordered.replace('RUN npm ci --ignore-scripts', 'RUN npm ci').replace(/^RUN npm rebuild && npm run prepare\n/m, '');
    assert.notEqual(naive, reordered);
    const tag = `${TAG_PREFIX}/${sample.name}:naive`;
    tags.push(tag);
    const outcome = await buildImage(naive, join(SAMPLES_DIR, sample.name), tag);
    assert.notEqual(outcome.code, 0, 'the plain reorder must fail: prepare runs before src/ is copied');
    assert.match(outcome.output, /src\/cli\.js/, outcome.output.slice(-2000));
  });
});
