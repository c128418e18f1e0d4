// `multistage xray`'s argument handling and exit codes, with the engine side replaced by a recorder that
// answers with a hand-made report or a failure (the real engine path is test/docker/cliXray.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/tempDir';
import { UsageError } from '../../server/src/cli/args';
import { runXray, type XrayRunners } from '../../server/src/cli/xray';
import { SAMPLE_DOCKERFILE, sampleReport } from '../fixtures/xray-report/sampleReport';

type Outcome = Awaited<ReturnType<XrayRunners['xrayImage']>>;

function harness(outcome: Outcome = { ok: true, report: sampleReport() }) {
  const calls: { fn: string; ref: string; options: Record<string, unknown> }[] = [];
  const runners: XrayRunners = {
    xrayImage: async (ref, options) => {
      calls.push({ fn: 'image', ref, options: options as Record<string, unknown> });
      return outcome;
    },
    xrayDockerfile: async (ref, options) => {
      calls.push({ fn: 'dockerfile', ref, options: options as Record<string, unknown> });
      return outcome;
    },
  };
  const out = { stdout: '', stderr: '' };
  const io = { stdout: (t: string) => (out.stdout += t), stderr: (t: string) => (out.stderr += t), version: '0.0.0-test', showProgress: false, report: { cwd: dir() } };
  return { calls, runners, out, io };
}

// Made at the top level, so it lives until the file's last test (a tempDir made inside a test goes with it).
const shared = tempDir('multistage-xray-cmd-');
let sharedReady = false;
/** A checkout with app/Dockerfile, filled once. */
function dir(): string {
  if (sharedReady) return shared;
  sharedReady = true;
  mkdirSync(join(shared, '.git'));
  mkdirSync(join(shared, 'app'));
  writeFileSync(join(shared, 'app', 'Dockerfile'), SAMPLE_DOCKERFILE);
  return shared;
}

test('IMAGE: x-rays the image by name, maps to --dockerfile\'s text, prints the table, exit 0 without budgets', async () => {
  const h = harness();
  const code = await runXray(['my/image:1', '--dockerfile', join(dir(), 'app', 'Dockerfile'), '--no-config'], h.io, h.runners);
  assert.equal(code, 0);
  assert.equal(h.calls.length, 1);
  assert.equal(h.calls[0].fn, 'image');
  assert.equal(h.calls[0].ref, 'my/image:1');
  assert.equal(h.calls[0].options.dockerfileText, SAMPLE_DOCKERFILE);
  assert.equal(h.calls[0].options.engine, 'docker');
  assert.match(h.out.stdout, /^ +2 +42\.1 MB +0 B +RUN apt-get update && apt-get install -y curl$/m);
});

test('--build: builds the file with its folder as context by default, build args and target passed on', async () => {
  const h = harness();
  const file = join(dir(), 'app', 'Dockerfile');
  process.env.MULTISTAGE_TEST_XRAY_ARG = 'from-env';
  const code = await runXray(['--build', file, '--target', 'runtime', '--build-arg', 'A=1', '--build-arg=MULTISTAGE_TEST_XRAY_ARG', '--engine', 'podman', '--no-config', '--format', 'json'], h.io, h.runners);
  assert.equal(code, 0);
  assert.equal(h.calls[0].fn, 'dockerfile');
  assert.equal(h.calls[0].ref, file);
  assert.equal(h.calls[0].options.context, join(dir(), 'app'));
  assert.equal(h.calls[0].options.target, 'runtime');
  assert.equal(h.calls[0].options.engine, 'podman');
  assert.deepEqual(h.calls[0].options.buildArgs, { A: '1', MULTISTAGE_TEST_XRAY_ARG: 'from-env' });
  assert.deepEqual(JSON.parse(h.out.stdout), sampleReport(), 'JSON is the XrayReport itself when no budget is set');
});

test('budgets: exit 1 over budget, with the verdicts in JSON and on stderr; exit 0 within', async () => {
  let h = harness();
  assert.equal(await runXray(['img', '--no-config', '--format', 'json', '--max-wasted', '5MB', '--max-size', '1GB'], h.io, h.runners), 1);
  const printed = JSON.parse(h.out.stdout);
  assert.deepEqual(printed.budgets.map((b: { budget: string; passed: boolean }) => [b.budget, b.passed]), [['max-size', true], ['max-wasted', false]]);
  assert.equal(h.out.stderr, 'multistage xray: over budget: wasted 10.0 MB > 5.0 MB\n');
  h = harness();
  assert.equal(await runXray(['img', '--no-config', '--max-wasted', '10MB', '--min-efficiency', '90%'], h.io, h.runners), 0);
  assert.match(h.out.stdout, /✔ wasted 10,000,000 B ≤ 10,000,000 B/);
});

test('config: .multistage.json next to the Dockerfile applies to --build; --config names another; flags win', async () => {
  const root = tempDir('multistage-xray-cfg-');
  mkdirSync(join(root, '.git'));
  mkdirSync(join(root, 'svc'));
  writeFileSync(join(root, 'svc', 'Dockerfile'), SAMPLE_DOCKERFILE);
  writeFileSync(join(root, '.multistage.json'), JSON.stringify({ xray: { maxWasted: '1MB' } }));
  let h = harness();
  assert.equal(await runXray(['--build', join(root, 'svc', 'Dockerfile')], h.io, h.runners), 1, 'found above the Dockerfile');
  h = harness();
  assert.equal(await runXray(['--build', join(root, 'svc', 'Dockerfile'), '--max-wasted', '20MB'], h.io, h.runners), 0, 'the flag wins');
  h = harness();
  assert.equal(await runXray(['--build', join(root, 'svc', 'Dockerfile'), '--no-config'], h.io, h.runners), 0);
  writeFileSync(join(root, 'strict.json'), JSON.stringify({ xray: { minEfficiency: 0.99 } }));
  h = harness();
  assert.equal(await runXray(['--build', join(root, 'svc', 'Dockerfile'), '--config', join(root, 'strict.json')], h.io, h.runners), 1);
  assert.match(h.out.stdout, /✘ efficiency 92\.1% < 99\.0%/);
  assert.doesNotMatch(h.out.stdout, /wasted 10\.0 MB >/, 'an explicit --config replaces the found file');
  // An IMAGE without --dockerfile looks from the working folder (io.report.cwd).
  h = harness();
  h.io.report.cwd = join(root, 'svc');
  assert.equal(await runXray(['img'], h.io, h.runners), 1);
});

test('usage errors: no image, both forms, unknown format or engine, bad sizes, build-only flags on an IMAGE', async () => {
  const h = harness();
  const rejects = async (argv: string[], pattern: RegExp) =>
    assert.rejects(runXray(argv, h.io, h.runners), (e: Error) => e instanceof UsageError && pattern.test(e.message), argv.join(' '));
  await rejects([], /needs one IMAGE, or --build/);
  await rejects(['a', 'b'], /needs one IMAGE/);
  await rejects(['img', '--build', 'Dockerfile'], /not both/);
  await rejects(['img', '--format', 'html'], /--format must be text, json, sarif or markdown/);
  await rejects(['img', '--engine', 'containerd'], /--engine must be docker or podman/);
  await rejects(['img', '--max-size', 'big'], /--max-size needs a size/);
  await rejects(['img', '--context', '.'], /--context and --build-arg go with --build/);
  await rejects(['img', '--config', '/no/such/file.json'], /--config \/no\/such\/file\.json: no such file/);
  await rejects(['img', '--config', 'x.json', '--no-config'], /exclude each other/);
  await rejects(['--build', join(dir(), 'app', 'Dockerfile'), '--dockerfile', 'x'], /with --build the built file is used/);
  assert.equal(h.calls.length, 0, 'nothing ran');
  assert.equal(await runXray(['--build', join(dir(), 'nope', 'Dockerfile')], h.io, h.runners), 2);
  assert.match(h.out.stderr, /nope\/Dockerfile: no such file/);
});

test('failures: engine missing is 3, a failed build or missing image 1, cancelled 130; JSON still printed', async () => {
  const failure = (kind: string): Outcome => ({ ok: false, failure: { kind, message: `it went ${kind}`, lastLines: ['last line'] } as never });
  for (const [kind, code] of [['cli-missing', 3], ['daemon-unreachable', 3], ['build-failed', 1], ['no-such-image', 1], ['unreadable-archive', 1], ['docker-error', 1], ['cancelled', 130]] as const) {
    const h = harness(failure(kind));
    assert.equal(await runXray(['img', '--no-config', '--format', 'json'], h.io, h.runners), code, kind);
    assert.equal(JSON.parse(h.out.stdout).failure.kind, kind);
    assert.equal(h.out.stderr, `multistage xray: it went ${kind}\n  last line\n`);
  }
});
