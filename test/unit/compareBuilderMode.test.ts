// How the runner drives the Docker CLI, checked against a stand-in CLI that records every call: the builder
// choice (engine BuildKit, buildx with --load, legacy), DOCKER_BUILDKIT, argv arrays with awkward values
// passed through untouched (no shell), and the cleanup calls. Real builds are in test/docker/.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runComparison } from '../../server/src/docker/compare';

const dir = mkdtempSync(join(tmpdir(), 'multistage-fake-docker-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A POSIX-sh Docker CLI: logs "DOCKER_BUILDKIT|arg|arg|…" per call, answers like an engine would. */
function fakeDocker(buildxDriver: string | undefined): { path: string; calls: () => string[][] } {
  const log = join(dir, `calls-${Math.random().toString(36).slice(2)}.log`);
  const path = join(dir, `docker-${Math.random().toString(36).slice(2)}`);
  writeFileSync(
    path,
    `#!/bin/sh
line="\${DOCKER_BUILDKIT:-unset}"
for a in "$@"; do line="$line|$a"; done
printf '%s\\n' "$line" >> '${log}'
case "$1" in
  version) echo 20.10.24 ;;
  buildx)
    if [ "$2" = inspect ] && [ -n '${buildxDriver ?? ''}' ]; then printf 'Name: b\\nDriver: ${buildxDriver ?? ''}\\n'; exit 0; fi
    if [ "$2" = build ]; then shift 2; else echo "docker: 'buildx' is not a docker command." >&2; exit 1; fi ;;
esac
if [ "$1" = build ] || [ "$1" = buildx ]; then
  while [ $# -gt 0 ]; do
    if [ "$1" = --iidfile ]; then printf 'sha256:%064d' 7 > "$2"; fi
    if [ "$1" = -f ]; then
      ignore=no; [ -f "$2.dockerignore" ] && ignore=yes
      printf 'DOCKERFILE|%s|%s|%s\n' "$2" "$ignore" "$(cat "$2" | head -1)" >> '${log}'
    fi
    shift
  done
  echo '#1 [1/1] FROM busybox' >&2
  exit 0
fi
if [ "$1" = image ] && [ "$2" = inspect ]; then echo '{"Id":"sha256:7","Size":1234,"RootFS":{"Layers":["a","b"]}}'; exit 0; fi
if [ "$1" = history ]; then echo '{"CreatedBy":"RUN /bin/sh -c true # buildkit","Size":"34"}'; echo '{"CreatedBy":"","Size":"1200"}'; exit 0; fi
exit 0
`,
  );
  chmodSync(path, 0o755);
  return { path, calls: () => readFileSync(log, 'utf8').trim().split('\n').map((l) => l.split('|')) };
}

function filesIn(folder: string): string[] {
  return readdirSync(folder).sort();
}

const ctx = dir;
const sides = [
  { label: 'before', dockerfileText: 'FROM busybox\nRUN true\n', context: ctx, buildArgs: { MSG: 'two words; $(rm -rf /) `x`' } },
  { label: 'after', dockerfileText: 'FROM busybox\nRUN true\n', context: ctx },
] as const;

test('runner: the engine\'s own builder gets `docker build` with DOCKER_BUILDKIT=1 and args passed verbatim', async () => {
  const docker = fakeDocker(undefined);
  const outcome = await runComparison(sides[0], sides[1], { dockerPath: docker.path });
  assert.ok(outcome.ok, JSON.stringify(!outcome.ok && outcome.failure));
  const builds = docker.calls().filter((c) => c[1] === 'build');
  assert.equal(builds.length, 2);
  for (const build of builds) {
    assert.equal(build[0], '1', 'DOCKER_BUILDKIT=1');
    assert.deepEqual(build.slice(1, 3), ['build', '--progress=plain']);
  }
  assert.ok(builds.some((b) => b.includes('MSG=two words; $(rm -rf /) `x`')), 'one argv element, no shell');
  assert.equal(outcome.result.before.sizeBytes, 1234);
  assert.equal(outcome.result.before.layers, 2);
  assert.deepEqual(outcome.result.before.history.map((r) => [r.line, r.fromBaseImage]), [[1, true], [2, false]]);
  const removal = docker.calls().find((c) => c[1] === 'image' && c[2] === 'rm');
  assert.ok(removal && removal.length === 6 && removal[3] === '--no-prune' && removal.slice(4).every((t) => t.startsWith('multistage-compare/')), String(removal));
});

test('runner: a buildx builder with its own store (docker-container driver) builds with `buildx build --load`', async () => {
  const docker = fakeDocker('docker-container');
  const outcome = await runComparison(sides[0], sides[1], { dockerPath: docker.path });
  assert.ok(outcome.ok);
  const builds = docker.calls().filter((c) => c[1] === 'buildx' && c[2] === 'build');
  assert.equal(builds.length, 2);
  for (const build of builds) assert.deepEqual(build.slice(1, 5), ['buildx', 'build', '--load', '--progress=plain']);
});

test('runner: the buildx "docker" driver (the engine itself) keeps plain `docker build`', async () => {
  const docker = fakeDocker('docker');
  assert.ok((await runComparison(sides[0], sides[1], { dockerPath: docker.path })).ok);
  assert.equal(docker.calls().filter((c) => c[1] === 'build').length, 2);
});

test('runner: legacy builder on request, or when the environment says DOCKER_BUILDKIT=0', async () => {
  for (const options of [{ legacyBuilder: true }, { env: { DOCKER_BUILDKIT: '0' } }]) {
    const docker = fakeDocker(undefined);
    const outcome = await runComparison(sides[0], sides[1], { dockerPath: docker.path, ...options });
    assert.ok(outcome.ok);
    assert.equal(outcome.result.builder, 'legacy');
    const builds = docker.calls().filter((c) => c[1] === 'build');
    for (const build of builds) assert.deepEqual([build[0], build[2]], ['0', '--force-rm']);
  }
});

test('runner: keepImages skips the removal and reports the kept tags', async () => {
  const docker = fakeDocker(undefined);
  const outcome = await runComparison(sides[0], sides[1], { dockerPath: docker.path, keepImages: true });
  assert.ok(outcome.ok);
  assert.match(outcome.result.before.keptTag ?? '', /^multistage-compare\/before:before-[0-9a-f]{8}$/);
  assert.equal(docker.calls().some((c) => c[1] === 'image' && c[2] === 'rm'), false);
});

test('runner: a baseline text is built from a private temp file (with the <name>.dockerignore), the user\'s folder is untouched', async () => {
  const docker = fakeDocker(undefined);
  const project = join(dir, 'project');
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'api.Dockerfile'), '# working copy\nFROM busybox\n');
  writeFileSync(join(project, 'api.Dockerfile.dockerignore'), 'secrets\n');
  const before = filesIn(project);
  const tempRoot = mkdtempSync(join(dir, 'temp-'));
  const outcome = await runComparison(
    { label: 'api.Dockerfile @ HEAD', dockerfilePath: join(project, 'api.Dockerfile'), dockerfileText: '# at HEAD\nFROM busybox\n', context: project },
    { label: 'api.Dockerfile', dockerfilePath: join(project, 'api.Dockerfile'), context: project },
    { dockerPath: docker.path, tempRoot },
  );
  assert.ok(outcome.ok);
  const used = docker.calls().filter((c) => c[0] === 'DOCKERFILE');
  const head = used.find((c) => c[3] === '# at HEAD');
  const working = used.find((c) => c[3] === '# working copy');
  assert.ok(head && head[1].startsWith(tempRoot) && head[1].endsWith('/api.Dockerfile'), String(head));
  assert.equal(head[2], 'yes', 'the sibling .dockerignore went along');
  assert.equal(working?.[1], join(project, 'api.Dockerfile'), 'the working copy is built where it is');
  assert.equal(existsSync(head[1]), false, 'temp file removed');
  assert.deepEqual(readdirSync(tempRoot), []);
  assert.deepEqual(filesIn(project), before);
  assert.equal(readFileSync(join(project, 'api.Dockerfile'), 'utf8'), '# working copy\nFROM busybox\n');
  assert.equal(outcome.result.before.dockerfilePath, undefined, 'a baseline text has no file to reveal');
  assert.equal(outcome.result.after.dockerfilePath, join(project, 'api.Dockerfile'));
});

test('runner: an unreadable Dockerfile is a failure value, not an exception, and leaves no temp dir', async () => {
  const docker = fakeDocker(undefined);
  const tempRoot = mkdtempSync(join(dir, 'temp-'));
  const outcome = await runComparison(
    { label: 'gone', dockerfilePath: join(dir, 'no-such.Dockerfile'), context: dir },
    sides[1],
    { dockerPath: docker.path, tempRoot },
  );
  assert.ok(!outcome.ok);
  assert.equal(outcome.failure.kind, 'docker-error');
  assert.match(outcome.failure.message, /no-such\.Dockerfile/);
  assert.deepEqual(readdirSync(tempRoot), []);
  assert.equal(docker.calls().some((c) => c[1] === 'build'), false);
});
