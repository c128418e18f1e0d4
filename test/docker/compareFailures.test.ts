// Build and compare when things go wrong: a failing build, a cancelled comparison, no Docker CLI, no daemon.
// Each case must end with a clear failure and leave no image, container, temp file or process behind.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runComparison, type CompareSideInput } from '../../server/src/docker/compare';
import { runCompare } from '../../server/src/cli/compare';
import { runDocker } from '../../server/src/docker/runner';
import { requirePart } from '../support/requirements';
import {
  DOCKER,
  FIXTURES,
  SETUP_HINT,
  compareTags,
  containersRunning,
  engineAvailable,
  entriesIn,
  freshTempRoot,
  imagesAvailable,
} from './dockerTestSupport';

const GO = join(FIXTURES, 'compare-go');
const BUSYBOX = join(FIXTURES, 'compare-busybox');

/** Tags of Dockerfile.slow builds: what the cancellation tests must leave no trace of (other work may be
 * using multistage-compare/ tags on the same engine at the same time). */
const SLOW_TAG = 'multistage-compare/dockerfile-slow:';
const slowTags = async () => (await compareTags()).filter((t) => t.startsWith(SLOW_TAG));

const side = (dir: string, file: string): CompareSideInput => ({ label: file, dockerfilePath: join(dir, file), context: dir });

let busybox = false;
before(async () => {
  busybox = (await engineAvailable()) && (await imagesAvailable(['busybox:latest']));
});

/** Processes whose command line holds one of this run's temporary tags (docker CLI children). */
function processesMentioning(text: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes(text) && !l.includes('ps -eo'));
}

describe('build and compare: failures', () => {
  test('compare: a failing build names its side, shows its last lines and cleans up', async (t) => {
    if (!requirePart(t, 'Docker engine with busybox:latest', busybox, SETUP_HINT)) return;
    const tempRoot = freshTempRoot(t);
    // A label of its own gives the after side a tag slug no other test or user shares.
    const label = `failing-side-test-${Date.now()}`;
    const ours = async () => (await compareTags()).filter((t) => t.includes('/dockerfile-broken:') || t.includes(`/${label}:`));
    const outcome = await runComparison(
      side(GO, 'Dockerfile.broken'),
      { label, dockerfileText: readFileSync(join(BUSYBOX, 'Dockerfile.after'), 'utf8'), context: BUSYBOX },
      { dockerPath: DOCKER, tempRoot },
    );
    assert.equal(outcome.ok, false);
    assert.ok(!outcome.ok);
    assert.equal(outcome.failure.kind, 'build-failed');
    assert.equal(outcome.failure.side, 'before');
    assert.match(outcome.failure.message, /before build \(Dockerfile\.broken\) failed/);
    assert.ok(outcome.failure.lastLines.some((l) => /about to fail|exit code: 3/.test(l)), outcome.failure.lastLines.join('\n'));
    assert.deepEqual(entriesIn(tempRoot), []);
    assert.deepEqual(await ours(), []);
  });

  test('multistage compare: a failing build exits 1 and says which side failed', async (t) => {
    if (!requirePart(t, 'Docker engine with busybox:latest', busybox, SETUP_HINT)) return;
    let stderr = '';
    const code = await runCompare(
      [join(BUSYBOX, 'Dockerfile.after'), join(GO, 'Dockerfile.broken'), '--docker', DOCKER],
      { stdout: () => undefined, stderr: (s) => (stderr += s), showProgress: false },
    );
    assert.equal(code, 1);
    assert.match(stderr, /after build .*Dockerfile\.broken.* failed/);
  });

  for (const legacyBuilder of [false, true]) {
    const builder = legacyBuilder ? 'legacy builder' : 'BuildKit';
    test(`compare: cancelling stops both builds and leaves no container, image, temp file or process (${builder})`, async (t) => {
      if (!requirePart(t, 'Docker engine with busybox:latest', busybox, SETUP_HINT)) return;
      const tempRoot = freshTempRoot(t);
      const cancel = new AbortController();
      let whileRunning: Promise<string[]> | undefined;
      const sleeping = new Set<string>();
      const started = performance.now();
      // Build args unique to this run: BuildKit can neither merge the two sleeps nor answer from its cache.
      const slow = (n: string): CompareSideInput => ({ ...side(GO, 'Dockerfile.slow'), buildArgs: { N: `${Date.now()}-${n}` } });
      const outcome = await runComparison(slow('1'), slow('2'), {
        dockerPath: DOCKER,
        legacyBuilder,
        tempRoot,
        signal: cancel.signal,
        onOutput: (s, line) => {
          if (/^(#\d+ [\d.]+ )?sleeping/.test(line.trim())) sleeping.add(s);
          if (sleeping.size === 2 && whileRunning === undefined) {
            // What ran at the moment of cancelling: the legacy builder's step containers, so that the
            // "none left" check below is checking something.
            whileRunning = containersRunning('sleeping').then((ids) => {
              cancel.abort();
              return ids;
            });
          }
        },
      });
      const runningAtCancel = (await whileRunning) ?? [];
      const seconds = (performance.now() - started) / 1000;
      assert.equal(sleeping.size, 2, 'both builds had reached the slow step');
      assert.ok(!outcome.ok);
      assert.equal(outcome.failure.kind, 'cancelled');
      assert.ok(seconds < 45, `stopped long before the 60 s sleep ended (${seconds.toFixed(1)} s)`);
      assert.deepEqual(entriesIn(tempRoot), [], 'temp files removed');
      assert.deepEqual(await slowTags(), [], 'no multistage-compare image left');
      assert.deepEqual(processesMentioning(SLOW_TAG), [], 'no docker build process left');
      // The legacy builder removes its step container asynchronously after the client goes away.
      const deadline = Date.now() + 20_000;
      // Containers of this fixture's RUN step (its command prints "sleeping").
      let leftover = await containersRunning('sleeping');
      while (leftover.length > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 500));
        leftover = await containersRunning('sleeping');
      }
      assert.deepEqual(leftover, [], 'no container left');
      if (legacyBuilder) assert.equal(runningAtCancel.length, 2, 'each legacy build ran its step in a container');
    });
  }

  test('multistage compare: Ctrl-C (SIGINT) stops both builds, removes what was made and exits 130', async (t) => {
    if (!requirePart(t, 'Docker engine with busybox:latest', busybox, SETUP_HINT)) return;
    const slow = join(GO, 'Dockerfile.slow');
    const cli = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, '..', '..', 'server', 'src', 'cli.ts'), 'compare', slow, slow,
        '--build-arg', `N=${Date.now()}`, '--docker', DOCKER, '--verbose'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => cli.on('close', (code) => resolve(code)));
    cli.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      // Both sides print "sleeping <N>" once their RUN has started (the same N: BuildKit may run it once).
      if (/sleeping/.test(stderr) && !cli.killed) cli.kill('SIGINT');
    });
    // The timer is cleared: left running, it would keep the test process alive for its whole length.
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([exited, new Promise<string>((r) => (timer = setTimeout(() => r('timeout'), 50_000)))]);
    clearTimeout(timer);
    if (code === 'timeout') cli.kill('SIGKILL');
    assert.equal(code, 130, stderr.slice(-2000));
    assert.match(stderr, /cancelled/);
    assert.deepEqual(await slowTags(), []);
    assert.deepEqual(processesMentioning(SLOW_TAG), []);
  });

  test('compare: a missing Docker CLI is reported as such, and the CLI exits 3', async () => {
    const outcome = await runComparison(side(BUSYBOX, 'Dockerfile.before'), side(BUSYBOX, 'Dockerfile.after'), {
      dockerPath: '/nonexistent/bin/docker',
    });
    assert.ok(!outcome.ok);
    assert.equal(outcome.failure.kind, 'cli-missing');
    assert.match(outcome.failure.message, /"\/nonexistent\/bin\/docker" was not found.*multistage\.docker\.path/);
    let stderr = '';
    const code = await runCompare(
      [join(BUSYBOX, 'Dockerfile.before'), join(BUSYBOX, 'Dockerfile.after'), '--docker', '/nonexistent/bin/docker'],
      { stdout: () => undefined, stderr: (s) => (stderr += s), showProgress: false },
    );
    assert.equal(code, 3);
    assert.match(stderr, /was not found/);
  });

  test('runDocker: a missing CLI resolves with code 127 instead of throwing', async () => {
    const result = await runDocker(['version'], { dockerPath: '/nonexistent/bin/docker' });
    assert.equal(result.code, 127);
  });

  test('compare: an unreachable daemon (DOCKER_HOST on a closed socket) is reported as such', async (t) => {
    const cliThere = (await runDocker(['--version'], { dockerPath: DOCKER })).code === 0;
    if (!requirePart(t, 'the Docker CLI', cliThere, SETUP_HINT)) return;
    const outcome = await runComparison(side(BUSYBOX, 'Dockerfile.before'), side(BUSYBOX, 'Dockerfile.after'), {
      dockerPath: DOCKER,
      env: { DOCKER_HOST: 'unix:///nonexistent.sock', DOCKER_CONTEXT: undefined },
    });
    assert.ok(!outcome.ok);
    assert.equal(outcome.failure.kind, 'daemon-unreachable');
    assert.match(outcome.failure.message, /daemon is not reachable/);
    assert.ok(outcome.failure.lastLines.some((l) => l.includes('nonexistent.sock')), outcome.failure.lastLines.join('\n'));
  });
});
