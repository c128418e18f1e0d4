// Build and compare leaves nothing behind and names failures rightly: a base image that cannot be pulled is a
// failed build of that side (not an unreachable daemon), the legacy builder's untagged builder-stage images
// are removed (but never an image that was there before), and SIGTERM cleans up like Ctrl-C, also while the
// behaviour check's containers run.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runComparison } from '../../server/src/docker/compare';
import { runCompare } from '../../server/src/cli/compare';
import { BEHAVIOUR_LABEL } from '../../server/src/docker/behaviour';
import { runDocker } from '../../server/src/docker/runner';
import { requirePart } from '../support/requirements';
import { DOCKER, FIXTURES, SETUP_HINT, compareTags, engineAvailable, freshTempRoot, entriesIn, imagesAvailable } from './dockerTestSupport';

const HTTP = join(FIXTURES, 'compare-http');
const GO = join(FIXTURES, 'compare-go');
const CLI = join(__dirname, '..', '..', 'server', 'src', 'cli.ts');
const run = { dockerPath: DOCKER };
const need = 'Docker engine with busybox:latest';

let ready = false;
before(async () => {
  ready = (await engineAvailable()) && (await imagesAvailable(['busybox:latest']));
});

function scratchDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'multistage-cleanup-test-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Image ids (hex) carrying the label value. */
async function imagesLabelled(token: string): Promise<string[]> {
  const r = await runDocker(['image', 'ls', '--all', '--quiet', '--no-trunc', '--filter', `label=multistage.test=${token}`], run);
  return r.stdout.split('\n').map((l) => l.trim()).filter(Boolean).sort();
}

describe('build and compare: pull failures, leftovers, SIGTERM (real engine)', () => {
  for (const legacy of [false, true]) {
    test(`a base image that cannot be pulled fails that side's build: exit 1, its error, JSON still printed (${legacy ? 'legacy builder' : 'BuildKit'})`, async (t) => {
      if (!requirePart(t, need, ready, SETUP_HINT)) return;
      const dir = scratchDir(t);
      const missing = `multistage-test/compare/no-such-image-${process.pid}:1`;
      writeFileSync(join(dir, 'Dockerfile.gone'), `FROM ${missing}\nRUN true\n`);
      writeFileSync(join(dir, 'Dockerfile.ok'), 'FROM busybox:latest\nCMD ["true"]\n');
      const tempRoot = freshTempRoot(t);
      const outcome = await runComparison(
        { label: 'Dockerfile.ok', dockerfilePath: join(dir, 'Dockerfile.ok'), context: dir },
        { label: 'Dockerfile.gone', dockerfilePath: join(dir, 'Dockerfile.gone'), context: dir },
        { ...run, legacyBuilder: legacy, tempRoot },
      );
      assert.ok(!outcome.ok);
      assert.equal(outcome.failure.kind, 'build-failed');
      assert.equal(outcome.failure.side, 'after');
      assert.match(outcome.failure.message, new RegExp(`after build \\(Dockerfile\\.gone\\) failed .*its base image \\S*no-such-image-${process.pid}:1 could not be pulled`));
      assert.deepEqual(entriesIn(tempRoot), []);

      let stdout = '';
      let stderr = '';
      const code = await runCompare(
        [join(dir, 'Dockerfile.ok'), join(dir, 'Dockerfile.gone'), '--json', '--docker', DOCKER, ...(legacy ? ['--legacy-builder'] : [])],
        { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), showProgress: false },
      );
      assert.equal(code, 1, stderr);
      assert.doesNotMatch(stderr, /not reachable/);
      assert.match(stderr, /could not be pulled/);
      const json = JSON.parse(stdout);
      assert.equal(json.failure.kind, 'build-failed');
      assert.equal(json.failure.side, 'after');
      assert.equal(json.after.build, 'failed');
      assert.equal(json.after.dockerfile, join(dir, 'Dockerfile.gone'));
      assert.ok(['succeeded', 'stopped'].includes(json.before.build), json.before.build);
      assert.ok(json.failure.lastLines.some((l: string) => l.includes('no-such-image')), json.failure.lastLines.join('\n'));
    });
  }

  test('legacy builder: the untagged builder-stage images a comparison made are removed; one that existed before stays', async (t) => {
    if (!requirePart(t, need, ready, SETUP_HINT)) return;
    const token = `cleanup-${process.pid}-${Date.now()}`;
    const dir = scratchDir(t);
    const stages = (page: string) =>
      `FROM busybox:latest AS pages\nLABEL multistage.test=${token}\nRUN mkdir -p /www && echo ${page} > /www/index.html\n\n` +
      `FROM busybox:latest\nLABEL multistage.test=${token}\nCOPY --from=pages /www /www\nCMD ["cat", "/www/index.html"]\n`;
    // The user's own earlier build of the "before" builder stage, left untagged (dangling): the comparison
    // builds on it from the cache and must not remove it.
    const preTag = `multistage-test/compare/pre-${process.pid}:x`;
    writeFileSync(join(dir, 'Dockerfile'), stages('before'));
    writeFileSync(join(dir, 'Dockerfile.other'), 'FROM busybox:latest\nLABEL other=1\n');
    const legacyEnv = { env: { DOCKER_BUILDKIT: '0' } };
    assert.equal((await runDocker(['build', '-q', '--target', 'pages', '-t', preTag, dir], { ...run, ...legacyEnv })).code, 0);
    assert.equal((await runDocker(['build', '-q', '-f', join(dir, 'Dockerfile.other'), '-t', preTag, dir], { ...run, ...legacyEnv })).code, 0);
    const existing = await imagesLabelled(token);
    t.after(async () => {
      await runDocker(['image', 'rm', preTag], run);
      const left = await imagesLabelled(token);
      if (left.length > 0) await runDocker(['image', 'rm', '--force', ...left.reverse()], run);
    });
    assert.equal(existing.length, 2, 'the LABEL and RUN step images of the earlier build, untagged');

    const outcome = await runComparison(
      { label: 'before', dockerfileText: stages('before'), context: dir },
      { label: 'after', dockerfileText: stages('after'), context: dir },
      { ...run, legacyBuilder: true, behaviour: {} },
    );
    assert.ok(outcome.ok, JSON.stringify(!outcome.ok && outcome.failure));
    assert.equal(outcome.result.builder, 'legacy');
    assert.equal(outcome.result.behaviour?.verdict, 'After differs from Before in its output (both exited 0).');
    assert.deepEqual(await imagesLabelled(token), existing, 'everything the comparison made is gone, the earlier images are not');
  });

  test('SIGTERM during the builds: exit 143, no temp folder, image, or build process left', async (t) => {
    if (!requirePart(t, need, ready, SETUP_HINT)) return;
    const tmp = scratchDir(t);
    const slow = join(GO, 'Dockerfile.slow');
    const { code, stderr } = await runCliUntil(
      ['compare', slow, slow, '--build-arg', `N=${Date.now()}`, '--docker', DOCKER, '--verbose'],
      tmp,
      (err) => /sleeping/.test(err),
    );
    assert.equal(code, 143, stderr.slice(-2000));
    assert.match(stderr, /cancelled/);
    assert.deepEqual(readdirSync(tmp).filter((n) => n.startsWith('multistage-compare-')), [], 'no multistage-compare-* folder left in TMPDIR');
    assert.deepEqual((await compareTags()).filter((tag) => tag.startsWith('multistage-compare/dockerfile-slow:')), []);
    const builds = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes('multistage-compare/dockerfile-slow:'));
    assert.deepEqual(builds, [], 'no docker build process left');
  });

  test('SIGTERM during the behaviour check: exit 143, its containers and both images removed', async (t) => {
    if (!requirePart(t, need, ready, SETUP_HINT)) return;
    const tmp = scratchDir(t);
    const silent = join(HTTP, 'Dockerfile.silent');
    let seen: string[] = [];
    const { code, stderr } = await runCliUntil(
      ['compare', silent, silent, '--docker', DOCKER, '--ready-timeout', '120'],
      tmp,
      async () => {
        seen = await silentContainers();
        return seen.length === 2;
      },
    );
    assert.equal(seen.length, 2, 'both containers ran when SIGTERM came');
    assert.equal(code, 143, stderr.slice(-2000));
    assert.deepEqual(await silentContainers(), []);
    assert.deepEqual(readdirSync(tmp).filter((n) => n.startsWith('multistage-compare-')), []);
    assert.deepEqual((await compareTags()).filter((tag) => tag.startsWith('multistage-compare/dockerfile-silent:')), []);
  });
});

/** Behaviour-check containers publishing Dockerfile.silent's port. */
async function silentContainers(): Promise<string[]> {
  const r = await runDocker(['container', 'ls', '--all', '--filter', `label=${BEHAVIOUR_LABEL}`, '--format', '{{.ID}} {{.Ports}}'], run);
  return r.stdout.split('\n').filter((l) => l.includes('9473'));
}

/** Starts the CLI with its own TMPDIR, sends SIGTERM once `when` holds (checked on output and every 300 ms). */
async function runCliUntil(
  args: string[],
  tmp: string,
  when: (stderr: string) => boolean | Promise<boolean>,
): Promise<{ code: number | null | 'timeout'; stderr: string }> {
  const cli = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TMPDIR: tmp },
  });
  let stderr = '';
  let signalled = false;
  cli.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => cli.on('close', (code) => resolve(code)));
  const watch = (async () => {
    const deadline = Date.now() + 60_000;
    while (!signalled && cli.exitCode === null && Date.now() < deadline) {
      if (await when(stderr)) {
        signalled = true;
        cli.kill('SIGTERM');
      } else await new Promise((r) => setTimeout(r, 300));
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([exited, new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), 90_000)))]);
  clearTimeout(timer);
  if (code === 'timeout') cli.kill('SIGKILL');
  await watch;
  return { code, stderr };
}
