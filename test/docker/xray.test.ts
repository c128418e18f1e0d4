// The image X-ray against the real Docker engine: images built here with known waste, read through
// `docker image save` streamed into the analysis; the expected numbers come from the bytes the test wrote.
// Also: the temporary tag of xrayDockerfile is gone afterwards, DOCKER_CONTEXT / DOCKER_HOST reach the CLI,
// and every failure is a value with the right kind.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { runDocker } from '../../server/src/docker/runner';
import { xrayDockerfile, xrayImage, XRAY_TAG_REPOSITORY } from '../../server/src/xray/xray';
import { requirePart } from '../support/requirements';
import { DOCKER, SETUP_HINT, engineAvailable, imagesAvailable } from './dockerTestSupport';
import { WASTE_DOCKERFILE, assertWasteReport, writeWasteContext } from './xrayWaste';

const RUN_ID = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
const TAG = `multistage-test/xray-waste:${RUN_ID}`;
const docker = (argv: string[], env?: Record<string, string>) => runDocker(argv, { dockerPath: DOCKER, env: { DOCKER_BUILDKIT: '1', ...env } });

let ready = false;
let busyboxBytes = 0;
let imageId = '';
const work = mkdtempSync(join(tmpdir(), 'multistage-xray-test-'));
const wasteDir = join(work, 'waste');
const tagsMade: string[] = [];

before(async () => {
  ready = (await engineAvailable()) && (await imagesAvailable(['busybox:latest', 'debian:bookworm-slim']));
  if (!ready) return;
  mkdirSync(wasteDir);
  writeWasteContext(wasteDir);
  const build = await docker(['build', '-q', '-t', TAG, wasteDir]);
  assert.equal(build.code, 0, build.stderr);
  tagsMade.push(TAG);
  imageId = (await docker(['image', 'inspect', '--format', '{{.Id}}', TAG])).stdout.trim();
  const size = await docker(['run', '--rm', '--network', 'none', 'busybox:latest', 'stat', '-c', '%s', '/bin/busybox']);
  busyboxBytes = Number(size.stdout.trim());
  assert.ok(busyboxBytes > 0, size.stderr);
});

after(async () => {
  if (tagsMade.length > 0) await docker(['image', 'rm', ...tagsMade]);
  rmSync(work, { recursive: true, force: true });
});

/**
 * Temporary tags still on the image (other work on the shared engine may hold multistage-xray/ tags of its
 * own at the same time, so only this image's tags are looked at), or, without an image, those of a slug.
 */
const xrayTagsOn = async (imageId: string) =>
  JSON.parse((await docker(['image', 'inspect', '--format', '{{json .RepoTags}}', imageId])).stdout.trim() || '[]').filter((t: string) => t.startsWith(`${XRAY_TAG_REPOSITORY}/`));
const xrayTagsOfSlug = async (slug: string) =>
  (await docker(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'])).stdout.split('\n').filter((l) => l.startsWith(`${XRAY_TAG_REPOSITORY}/${slug}:`));

describe('image X-ray: Docker engine', () => {
  test('xrayImage: every layer, line and finding of an image with known waste matches the bytes written', async (t) => {
    if (!requirePart(t, 'Docker engine with busybox:latest', ready, SETUP_HINT)) return;
    const progress: string[] = [];
    const outcome = await xrayImage(TAG, { enginePath: DOCKER, dockerfileText: WASTE_DOCKERFILE, dockerfile: 'Dockerfile', onProgress: (l) => progress.push(l) });
    assert.ok(outcome.ok, JSON.stringify(!outcome.ok && outcome.failure));
    const report = outcome.report;
    assert.equal(report.image, TAG);
    assert.equal(report.imageId, imageId);
    assert.equal(report.engine, 'docker');
    assert.equal(report.dockerfile, 'Dockerfile');
    // Debian's dockerd 20.10 has only the classic store: its save is the docker-archive layout.
    assert.equal(report.layout, 'docker-archive');
    assert.ok(Date.parse(report.analysedAt) > Date.now() - 120_000 && report.seconds > 0);
    assert.ok(progress.some((l) => l.includes('save')), progress.join('\n'));
    assertWasteReport(report, busyboxBytes);

    // The same image by its id gives the same measurements.
    const byId = await xrayImage(imageId, { enginePath: DOCKER, dockerfileText: WASTE_DOCKERFILE });
    assert.ok(byId.ok);
    assert.equal(byId.report.image, imageId);
    assertWasteReport(byId.report, busyboxBytes);
  });

  test('xrayDockerfile: builds under a temporary tag, reports the same numbers, and leaves no tag behind', async (t) => {
    if (!requirePart(t, 'Docker engine with busybox:latest', ready, SETUP_HINT)) return;
    const outcome = await xrayDockerfile(join(wasteDir, 'Dockerfile'), { enginePath: DOCKER, env: { DOCKER_BUILDKIT: '1' } });
    assert.ok(outcome.ok, JSON.stringify(!outcome.ok && outcome.failure));
    // Same context, same BuildKit cache: the very image built in before().
    assert.equal(outcome.report.imageId, imageId);
    assert.equal(outcome.report.image, imageId);
    assert.equal(outcome.report.dockerfile, join(wasteDir, 'Dockerfile'));
    assertWasteReport(outcome.report, busyboxBytes);
    assert.deepEqual(await xrayTagsOn(imageId), [], 'the temporary tag is removed');
    assert.equal((await docker(['image', 'inspect', TAG])).code, 0, 'the image built earlier under its own tag is untouched');
  });

  test('xrayDockerfile with the legacy builder: its history maps to the same lines, and its step images are removed', async (t) => {
    if (!requirePart(t, 'Docker engine with busybox:latest', ready, SETUP_HINT)) return;
    const dir = join(work, 'legacy');
    mkdirSync(dir);
    writeWasteContext(dir);
    const existing = (await docker(['image', 'ls', '--all', '--quiet', '--no-trunc'])).stdout;
    const steps = new Set<string>();
    const outcome = await xrayDockerfile(join(dir, 'Dockerfile'), {
      enginePath: DOCKER,
      env: { DOCKER_BUILDKIT: '0' },
      onProgress: (line) => {
        const id = /^ ---> ([0-9a-f]{12})\s*$/.exec(line)?.[1];
        // FROM busybox:latest prints the base's id as a step too: only images this build made count.
        if (id && !existing.includes(`sha256:${id}`)) steps.add(id);
      },
    });
    assert.ok(outcome.ok, JSON.stringify(!outcome.ok && outcome.failure));
    assert.match(outcome.report.layers[1].createdBy, /#\(nop\) COPY|COPY/);
    assertWasteReport(outcome.report, busyboxBytes);
    assert.ok(steps.size >= 9, `step images seen: ${[...steps].join(' ')}`);
    // The final image is a step image too: with its temporary tag gone, it went with the others.
    const left = await docker(['image', 'inspect', '--format', '{{.Id}}', ...steps]);
    assert.equal(left.stdout.trim(), '', `step images left behind: ${left.stdout}`);
    assert.deepEqual(await xrayTagsOfSlug('legacy'), []);
  });

  test('xrayDockerfile on a Debian base: base layers map to FROM, a deleted base folder is wasted in the base layer', async (t) => {
    if (!requirePart(t, 'Docker engine with debian:bookworm-slim', ready, SETUP_HINT)) return;
    const dir = join(work, 'debian');
    mkdirSync(dir);
    writeFileSync(join(dir, 'app.bin'), randomBytes(70_000));
    writeFileSync(join(dir, 'Dockerfile'), 'FROM debian:bookworm-slim\nRUN rm -rf /usr/share/doc\nCOPY app.bin /app/app.bin\n');
    // What the deletion hides, measured by the engine running the base image: regular files and symlink
    // texts (a symlink's size is its target's length, as in Docker's own layer sizes).
    const find = await docker(['run', '--rm', '--network', 'none', 'debian:bookworm-slim', 'find', '/usr/share/doc', '(', '-type', 'f', '-o', '-type', 'l', ')', '-printf', '%s\\n']);
    const docBytes = find.stdout.split('\n').filter(Boolean).reduce((s, n) => s + Number(n), 0);
    assert.ok(docBytes > 0, find.stderr);
    const baseLayers = Number((await docker(['image', 'inspect', '--format', '{{len .RootFS.Layers}}', 'debian:bookworm-slim'])).stdout.trim());

    const outcome = await xrayDockerfile(join(dir, 'Dockerfile'), { enginePath: DOCKER, env: { DOCKER_BUILDKIT: '1' } });
    assert.ok(outcome.ok, JSON.stringify(!outcome.ok && outcome.failure));
    const { layers } = outcome.report;
    assert.equal(layers.length, baseLayers + 2);
    for (const base of layers.slice(0, baseLayers)) assert.deepEqual([base.fromBaseImage, base.line, base.instruction], [true, 1, 'FROM']);
    const [run, copy] = layers.slice(baseLayers);
    assert.deepEqual([run.line, run.instruction, run.fromBaseImage, run.addedBytes, run.hidesBytes, run.whiteouts], [2, 'RUN', false, 0, docBytes, 1]);
    assert.deepEqual([copy.line, copy.instruction, copy.addedBytes, copy.wastedBytes], [3, 'COPY', 70_000, 0]);
    assert.equal(layers.slice(0, baseLayers).reduce((s, l) => s + l.wastedBytes, 0), docBytes);
    assert.equal(outcome.report.wastedBytes, docBytes);
    assert.equal(outcome.report.userWastedRatio, 0, 'the user layers waste nothing: they hide base bytes');
    assert.equal(outcome.report.totalBytes - outcome.report.finalBytes, docBytes);
    // dive sizes the folder's whiteout by what it hides, but the folder is a leaf in one layer only (in the
    // base it has children), so dive finds no path in two layers: efficiency 1, no dive waste.
    assert.equal(outcome.report.diveWastedBytes, 0);
    assert.equal(outcome.report.efficiency, 1);
    const deleted = outcome.report.findings.find((f) => f.kind === 'deleted');
    assert.ok(deleted && deleted.kind === 'deleted' && deleted.bytes === docBytes && deleted.line === 1 && deleted.byLine === 2, JSON.stringify(outcome.report.findings));
    assert.deepEqual(await xrayTagsOn(outcome.report.imageId), []);
  });

  test('the user\'s Docker context and DOCKER_HOST reach the CLI: a context for the local daemon works, an unreachable one fails as such', async (t) => {
    if (!requirePart(t, 'Docker engine with busybox:latest', ready, SETUP_HINT)) return;
    const config = join(work, 'docker-config');
    mkdirSync(config);
    const host = (await docker(['context', 'inspect', '--format', '{{.Endpoints.docker.Host}}'])).stdout.trim() || 'unix:///var/run/docker.sock';
    for (const [name, endpoint] of [['xray-local', host], ['xray-nowhere', 'tcp://127.0.0.1:9']]) {
      const made = await docker(['context', 'create', name, '--docker', `host=${endpoint}`], { DOCKER_CONFIG: config });
      assert.equal(made.code, 0, made.stderr);
    }
    const viaContext = await xrayImage(TAG, { enginePath: DOCKER, env: { DOCKER_CONFIG: config, DOCKER_CONTEXT: 'xray-local', DOCKER_HOST: undefined } });
    assert.ok(viaContext.ok, JSON.stringify(!viaContext.ok && viaContext.failure));
    assert.equal(viaContext.report.imageId, imageId);

    const nowhere = await xrayImage(TAG, { enginePath: DOCKER, env: { DOCKER_CONFIG: config, DOCKER_CONTEXT: 'xray-nowhere', DOCKER_HOST: undefined } });
    assert.ok(!nowhere.ok);
    assert.equal(nowhere.failure.kind, 'daemon-unreachable');
    const viaHost = await xrayImage(TAG, { enginePath: DOCKER, env: { DOCKER_HOST: 'tcp://127.0.0.1:9' } });
    assert.ok(!viaHost.ok);
    assert.equal(viaHost.failure.kind, 'daemon-unreachable');
    assert.match(viaHost.failure.message, /DOCKER_HOST/);
  });

  test('failures are values: no such image, no CLI, a failing build, a cancelled save (no docker process left)', async (t) => {
    if (!requirePart(t, 'Docker engine with busybox:latest', ready, SETUP_HINT)) return;
    const missing = await xrayImage(`multistage-test/xray-missing:${RUN_ID}`, { enginePath: DOCKER });
    assert.ok(!missing.ok);
    assert.equal(missing.failure.kind, 'no-such-image');
    assert.ok(missing.failure.lastLines.length > 0);

    const noCli = await xrayImage(TAG, { enginePath: join(work, 'no-such-docker') });
    assert.ok(!noCli.ok);
    assert.equal(noCli.failure.kind, 'cli-missing');

    const broken = join(work, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'Dockerfile'), 'FROM busybox:latest\nRUN echo about to fail && exit 3\n');
    const failedBuild = await xrayDockerfile(join(broken, 'Dockerfile'), { enginePath: DOCKER, env: { DOCKER_BUILDKIT: '1' } });
    assert.ok(!failedBuild.ok);
    assert.equal(failedBuild.failure.kind, 'build-failed');
    assert.ok(failedBuild.failure.lastLines.join('\n').includes('exit code: 3') || failedBuild.failure.lastLines.join('\n').includes('3'), failedBuild.failure.lastLines.join('\n'));
    assert.deepEqual(await xrayTagsOfSlug('broken'), []);

    // A 75 MB export stopped as soon as it starts flowing.
    const cancelTag = `multistage-test/xray-cancel:${RUN_ID}`;
    assert.equal((await docker(['tag', 'debian:bookworm-slim', cancelTag])).code, 0);
    tagsMade.push(cancelTag);
    const controller = new AbortController();
    const cancelled = await xrayImage(cancelTag, {
      enginePath: DOCKER,
      signal: controller.signal,
      onProgress: (line) => {
        if (line.startsWith('Reading the export')) setTimeout(() => controller.abort(), 30);
      },
    });
    assert.ok(!cancelled.ok);
    assert.equal(cancelled.failure.kind, 'cancelled');
    const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    assert.ok(!ps.split('\n').some((l) => l.includes(cancelTag)), 'no docker save of the cancelled image is left running');
  });
});
