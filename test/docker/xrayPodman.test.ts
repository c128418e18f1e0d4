// The image X-ray through Podman: the image with known waste built by `podman build`, read from
// `podman save` in both of its formats (docker-archive and oci-archive), and xrayDockerfile with the
// podman engine. Expected numbers come from the bytes the test wrote (test/docker/xrayWaste.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { runDocker } from '../../server/src/docker/runner';
import { xrayDockerfile, xrayImage, XRAY_TAG_REPOSITORY } from '../../server/src/xray/xray';
import { requirePart } from '../support/requirements';
import { WASTE_DOCKERFILE, assertWasteReport, writeWasteContext } from './xrayWaste';

const PODMAN = process.env.MULTISTAGE_TEST_PODMAN ?? 'podman';
const HINT = 'run test/setup/podman.sh (installs podman, configures it for root without systemd, copies busybox:latest)';
const RUN_ID = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
const TAG = `localhost/multistage-test/xray-waste:${RUN_ID}`;
const podman = (argv: string[]) => runDocker(argv, { dockerPath: PODMAN, timeoutMs: 300_000 });

let ready = false;
let busyboxBytes = 0;
let imageId = '';
const work = mkdtempSync(join(tmpdir(), 'multistage-xray-podman-'));
const wasteDir = join(work, 'waste');

before(async () => {
  ready = (await podman(['version', '--format', '{{.Client.Version}}'])).code === 0 && (await podman(['image', 'exists', 'busybox:latest'])).code === 0;
  if (!ready) return;
  mkdirSync(wasteDir);
  writeWasteContext(wasteDir);
  const build = await podman(['build', '-q', '-t', TAG, wasteDir]);
  assert.equal(build.code, 0, build.stderr);
  imageId = `sha256:${(await podman(['image', 'inspect', '--format', '{{.Id}}', TAG])).stdout.trim()}`;
  const size = await podman(['run', '--rm', '--network', 'none', 'busybox:latest', 'stat', '-c', '%s', '/bin/busybox']);
  busyboxBytes = Number(size.stdout.trim());
  assert.ok(busyboxBytes > 0, size.stderr);
});

after(async () => {
  if (ready) await podman(['image', 'rm', '--force', TAG]);
  rmSync(work, { recursive: true, force: true });
});

describe('image X-ray: Podman', () => {
  for (const format of ['docker-archive', 'oci-archive'] as const) {
    test(`xrayImage via podman save --format ${format}: the written bytes per layer, line and finding`, async (t) => {
      if (!requirePart(t, 'podman', ready, HINT)) return;
      const outcome = await xrayImage(TAG, { engine: 'podman', enginePath: PODMAN, archiveFormat: format, dockerfileText: WASTE_DOCKERFILE });
      assert.ok(outcome.ok, JSON.stringify(!outcome.ok && outcome.failure));
      assert.equal(outcome.report.engine, 'podman');
      assert.equal(outcome.report.layout, format === 'oci-archive' ? 'oci' : 'docker-archive');
      assert.equal(outcome.report.imageId, imageId);
      assertWasteReport(outcome.report, busyboxBytes);
    });
  }

  test('xrayDockerfile with podman: builds, reports, removes its temporary tag; a missing image is named as such', async (t) => {
    if (!requirePart(t, 'podman', ready, HINT)) return;
    const outcome = await xrayDockerfile(join(wasteDir, 'Dockerfile'), { engine: 'podman', enginePath: PODMAN });
    assert.ok(outcome.ok, JSON.stringify(!outcome.ok && outcome.failure));
    assertWasteReport(outcome.report, busyboxBytes);
    // Only this image's tags: other work may hold temporary tags of its own on the same storage.
    const tags = JSON.parse((await podman(['image', 'inspect', '--format', '{{json .RepoTags}}', outcome.report.imageId.replace(/^sha256:/, '')])).stdout.trim() || '[]') as string[];
    assert.deepEqual(tags.filter((t) => t.includes(`/${XRAY_TAG_REPOSITORY}/`) || t.startsWith(`${XRAY_TAG_REPOSITORY}/`)), []);

    const missing = await xrayImage(`localhost/multistage-test/xray-missing:${RUN_ID}`, { engine: 'podman', enginePath: PODMAN });
    assert.ok(!missing.ok);
    assert.equal(missing.failure.kind, 'no-such-image');
  });
});
