// Build progress from `docker build` output, the text renderings of a result, and `multistage compare`
// argument handling (the parts that need no Docker engine).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BuildProgress, describeStep, parseStepLine } from '../../server/src/docker/pure/buildProgress';
import { buildArgv } from '../../server/src/docker/build';
import { compareToMarkdown, formatSaving, shortCreatedBy } from '../../server/src/docker/pure/compareMarkdown';
import { formatBytes } from '../../server/src/analysis/bytes';
import { savings } from '../../server/src/docker/pure/compareTypes';
import { tagFor } from '../../server/src/docker/compare';
import { runCompare } from '../../server/src/cli/compare';
import { classifyDockerFailure } from '../../server/src/docker/runner';
import { sampleResult } from '../fixtures/compare-panel/sampleResult';

test('build progress: reads BuildKit plain steps with stage names', () => {
  assert.deepEqual(parseStepLine('#9 [builder 3/5] RUN CGO_ENABLED=0 go build -o /out/app .'), {
    stage: 'builder', current: 3, total: 5, text: 'RUN CGO_ENABLED=0 go build -o /out/app .',
  });
  assert.deepEqual(parseStepLine('#4 [2/2] COPY --from=builder /out/app /app'), {
    stage: undefined, current: 2, total: 2, text: 'COPY --from=builder /out/app /app',
  });
  assert.deepEqual(parseStepLine('#1 [internal] load build definition from Dockerfile'), {
    stage: 'internal', text: 'load build definition from Dockerfile',
  });
  assert.equal(parseStepLine('#9 0.512 go: downloading'), undefined);
  assert.equal(parseStepLine('#9 DONE 1.2s'), undefined);
});

test('build progress: reads legacy builder steps', () => {
  assert.deepEqual(parseStepLine('Step 3/6 : RUN make'), { current: 3, total: 6, text: 'RUN make' });
  assert.equal(describeStep({ current: 3, total: 6, text: 'RUN make' }), '[3/6] RUN make');
  assert.equal(describeStep({ stage: 'builder', current: 1, total: 4, text: 'FROM golang' }), '[builder 1/4] FROM golang');
  assert.equal(describeStep(undefined), 'starting');
});

test('build progress: a repeated BuildKit vertex is not a new step; last lines skip DONE/CACHED noise', () => {
  const progress = new BuildProgress();
  assert.ok(progress.push('#5 [2/3] RUN make'));
  assert.equal(progress.push('#5 [2/3] RUN make'), undefined);
  progress.push('#5 0.2 cc: error: x.c: No such file');
  progress.push('#5 DONE 0.3s');
  progress.push('#5 ERROR: process "/bin/sh -c make" did not complete successfully: exit code: 2');
  assert.equal(progress.current?.text, 'RUN make');
  assert.deepEqual(progress.lastLines(2), [
    '#5 0.2 cc: error: x.c: No such file',
    '#5 ERROR: process "/bin/sh -c make" did not complete successfully: exit code: 2',
  ]);
});

test('build argv: BuildKit gets --progress=plain and --iidfile; legacy gets --force-rm; build args and target pass through', () => {
  const request = { dockerfilePath: '/tmp/x/Dockerfile', context: '/ctx', tag: 'multistage-compare/a:before-1', target: 'rt', buildArgs: { A: '1 2' }, platform: 'linux/arm64', workDir: '/tmp/x' };
  assert.deepEqual(buildArgv(request, 'buildkit', '/tmp/x/iid'), [
    'build', '--progress=plain', '--iidfile', '/tmp/x/iid', '-f', '/tmp/x/Dockerfile', '-t', 'multistage-compare/a:before-1',
    '--target', 'rt', '--platform', 'linux/arm64', '--build-arg', 'A=1 2', '/ctx',
  ]);
  assert.deepEqual(buildArgv(request, 'legacy', '/i').slice(0, 2), ['build', '--force-rm']);
  assert.deepEqual(buildArgv(request, 'buildx-load', '/i').slice(0, 4), ['buildx', 'build', '--load', '--progress=plain']);
});

test('temporary tags: always under multistage-compare/, lowercase and valid for any file name', () => {
  assert.equal(tagFor({ label: 'x', dockerfilePath: '/a/Dockerfile.Single', context: '/a' }, 'before', 'abcd1234'), 'multistage-compare/dockerfile-single:before-abcd1234');
  assert.equal(tagFor({ label: 'Dockerfile @ HEAD', context: '/a' }, 'after', '00000000'), 'multistage-compare/dockerfile-head:after-00000000');
  assert.equal(tagFor({ label: '!!!', context: '/a' }, 'after', '1'), 'multistage-compare/dockerfile:after-1');
});

test('shortCreatedBy: drops builder noise from both builders\' history text', () => {
  assert.equal(shortCreatedBy('RUN /bin/sh -c go build . # buildkit'), 'RUN go build .');
  assert.equal(shortCreatedBy('RUN |1 N=1 /bin/sh -c echo $N # buildkit'), 'RUN echo $N');
  assert.equal(shortCreatedBy('|2 A=1 B=2 /bin/sh -c make'), 'RUN make');
  assert.equal(shortCreatedBy('/bin/sh -c #(nop)  CMD ["sh"]'), 'CMD ["sh"]');
  assert.equal(shortCreatedBy('x'.repeat(200), 10), `${'x'.repeat(9)}…`);
});

test('sizes: decimal units with one decimal; savings and percent', () => {
  assert.equal(formatBytes(999), '999 B');
  assert.equal(formatBytes(74_879_806), '74.9 MB');
  assert.equal(formatBytes(1_059_544_047), '1.1 GB');
  assert.deepEqual(savings(918_301_222, 5_062_808), { savedBytes: 913_238_414, savedPercent: 99.4 });
  assert.deepEqual(savings(0, 10), { savedBytes: -10, savedPercent: 0 });
  assert.equal(formatSaving({ ...sampleResult, savedBytes: -1_500_000, savedPercent: -12.25 }), 'Grew by 1.5 MB (12.3%)');
});

test('markdown: table with both sides, the saving, and the largest layers with their lines; pipes escaped', () => {
  const md = compareToMarkdown({ ...sampleResult, before: { ...sampleResult.before, dockerfile: 'a|b' } });
  assert.match(md, /\| Dockerfile \| a\\\|b \| Dockerfile \|/);
  assert.match(md, /\| Image size \| 868\.9 MB \| 3\.0 MB \|/);
  assert.match(md, /\*\*Saved 865\.9 MB \(99\.7%\)\*\* \(865,902,440 bytes\)/);
  assert.match(md, /\| 6 \| `RUN go build -o \/usr\/local\/bin\/hello \.` \| 31\.8 MB \|/);
  assert.match(md, /\| Smoke run \| exited 0 after 2 s \| exited 0 after 2\.2 s \|/);
});

test('classifyDockerFailure: tells a missing CLI and an unreachable daemon from other failures', () => {
  assert.equal(classifyDockerFailure({ code: 127, stdout: '', stderr: '' }), 'cli-missing');
  assert.equal(classifyDockerFailure({ code: 1, stdout: '', stderr: 'Cannot connect to the Docker daemon at unix:///x.sock. Is the docker daemon running?' }), 'daemon-unreachable');
  assert.equal(classifyDockerFailure({ code: 1, stdout: '', stderr: 'Error response from daemon: No such image: x' }), undefined);
  assert.equal(classifyDockerFailure({ code: 0, stdout: '', stderr: '' }), undefined);
});

test('multistage compare: usage errors exit 2 before any Docker call', async () => {
  const calls: string[] = [];
  const io = { stdout: () => undefined, stderr: (s: string) => calls.push(s), showProgress: false };
  assert.equal(await runCompare(['only-one'], io), 2);
  assert.match(calls.join(''), /exactly two Dockerfiles/);
  assert.equal(await runCompare(['/nonexistent/a', '/nonexistent/b'], io), 2);
  assert.equal(await runCompare(['a', 'b', '--frobnicate'], io), 2);
  assert.equal(await runCompare(['a', 'b', '--build-arg'], io), 2);
  assert.match(calls.join(''), /--build-arg needs a value/);
});

test('compare: CLIs before 23.0 carry BuildKit themselves, later ones need buildx', async () => {
  const { clientHasBuiltInBuildKit } = await import('../../server/src/docker/build');
  assert.equal(clientHasBuiltInBuildKit('20.10.24 20.10.24'), true);
  assert.equal(clientHasBuiltInBuildKit('28.2.2 20.10.24'), false);
  assert.equal(clientHasBuiltInBuildKit(''), false);
});
