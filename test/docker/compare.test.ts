import { spawnSync } from 'node:child_process';
// Build and compare against a real Docker engine: real builds, sizes checked against `docker image inspect`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runComparison } from '../../server/src/docker/compare';
import { runCompare } from '../../server/src/cli/compare';
import type { CompareResult } from '../../server/src/docker/pure/compareTypes';
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
  imageSize,
  imagesAvailable,
  removeTags,
} from './dockerTestSupport';

const GO = join(FIXTURES, 'compare-go');
const BUSYBOX = join(FIXTURES, 'compare-busybox');
const GO_IMAGES = ['golang:1.23', 'gcr.io/distroless/static-debian12:nonroot'];

let engine = false;
let goImages = false;
let busybox = false;
before(async () => {
  engine = await engineAvailable();
  goImages = engine && (await imagesAvailable(GO_IMAGES));
  busybox = engine && (await imagesAvailable(['busybox:latest']));
});

describe('build and compare: Go app, single-stage vs multi-stage (BuildKit)', () => {
  let kept: CompareResult | undefined;
  after(async () => {
    if (kept?.before.keptTag && kept.after.keptTag) await removeTags([kept.before.keptTag, kept.after.keptTag]);
  });

  test('compare: sizes are what docker image inspect reports and the saving is their difference', async (t) => {
    if (!requirePart(t, 'Docker engine with golang:1.23 and distroless/static', goImages, SETUP_HINT)) return;
    const tempRoot = freshTempRoot(t);
    const outcome = await runComparison(
      { label: 'Dockerfile.single', dockerfilePath: join(GO, 'Dockerfile.single'), context: GO },
      { label: 'Dockerfile', dockerfilePath: join(GO, 'Dockerfile'), context: GO },
      { dockerPath: DOCKER, keepImages: true, tempRoot },
    );
    assert.ok(outcome.ok, JSON.stringify(!outcome.ok && outcome.failure));
    const result = outcome.result;
    kept = result;
    assert.match(result.before.keptTag!, /^multistage-compare\/dockerfile-single:before-[0-9a-f]{8}$/);
    assert.match(result.after.keptTag!, /^multistage-compare\/dockerfile:after-[0-9a-f]{8}$/);
    assert.equal(result.before.sizeBytes, await imageSize(result.before.keptTag!));
    assert.equal(result.after.sizeBytes, await imageSize(result.after.keptTag!));
    assert.equal(result.before.sizeBytes, await imageSize(result.before.imageId));
    assert.equal(result.savedBytes, result.before.sizeBytes - result.after.sizeBytes);
    assert.equal(result.savedPercent, Math.round((result.savedBytes / result.before.sizeBytes) * 1000) / 10);
    assert.ok(result.before.sizeBytes > 500_000_000, `the toolchain image is large: ${result.before.sizeBytes}`);
    assert.ok(result.after.sizeBytes < 20_000_000, `the static binary image is small: ${result.after.sizeBytes}`);
    assert.ok(result.savedPercent > 95);
    assert.equal(result.builder, 'buildkit');
    assert.ok(result.before.layers > result.after.layers);
    assert.ok(result.before.buildSeconds > 0 && result.after.buildSeconds > 0);
    assert.deepEqual(entriesIn(tempRoot), [], 'the private temp dir is removed');
  });

  test('compare: each layer of the built stage is mapped to its Dockerfile line', async (t) => {
    if (!requirePart(t, 'the kept Go comparison', kept !== undefined, 'the previous test must have run')) return;
    const goBuild = kept!.before.history.find((r) => r.line === 6);
    assert.equal(goBuild?.instruction, 'RUN');
    assert.match(goBuild!.createdBy, /go build/);
    assert.ok(goBuild!.sizeBytes > 1_000_000, 'the go build layer holds the binary and the build cache');
    const copied = kept!.after.history.find((r) => r.line === 9);
    assert.equal(copied?.instruction, 'COPY');
    assert.ok(copied!.sizeBytes > 500_000 && copied!.sizeBytes < 10_000_000);
    const base = kept!.after.history.filter((r) => r.fromBaseImage);
    assert.ok(base.length > 0 && base.every((r) => r.line === 8), 'base layers point at the runtime FROM (line 8)');
    const sumOfLayers = kept!.after.history.reduce((sum, r) => sum + r.sizeBytes, 0);
    assert.equal(sumOfLayers, kept!.after.sizeBytes, 'history sizes add up to the image size');
  });

  test('compare: without keepImages the multistage-compare tags are gone afterwards', async (t) => {
    if (!requirePart(t, 'Docker engine with golang:1.23 and distroless/static', goImages, SETUP_HINT)) return;
    // Labels of their own give this run tag slugs that no other test (or user) shares.
    const label = `tags-removed-test-${Date.now()}`;
    const text = (file: string) => readFileSync(join(GO, file), 'utf8');
    const outcome = await runComparison(
      { label: `${label}-a`, dockerfileText: text('Dockerfile.single'), context: GO },
      { label: `${label}-b`, dockerfileText: text('Dockerfile'), context: GO },
      { dockerPath: DOCKER },
    );
    assert.ok(outcome.ok);
    assert.equal(outcome.result.before.keptTag, undefined);
    assert.deepEqual((await compareTags()).filter((t) => t.includes(label)), []);
  });

  test('multistage compare --json prints the SPEC §6 shape with inspect sizes', async (t) => {
    if (!requirePart(t, 'Docker engine with golang:1.23 and distroless/static', goImages, SETUP_HINT)) return;
    let stdout = '';
    let stderr = '';
    const code = await runCompare(
      [join(GO, 'Dockerfile.single'), join(GO, 'Dockerfile'), '--context', GO, '--json', '--keep-images', '--docker', DOCKER],
      { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), showProgress: false },
    );
    assert.equal(code, 0, stderr);
    const json = JSON.parse(stdout);
    t.after(() => removeTags([json.before.keptTag, json.after.keptTag]));
    for (const side of ['before', 'after']) {
      for (const key of ['dockerfile', 'imageId', 'sizeBytes', 'layers', 'buildSeconds']) {
        assert.ok(key in json[side], `${side}.${key}`);
      }
      assert.equal(json[side].sizeBytes, await imageSize(json[side].keptTag));
      assert.equal(json[side].sizeBytes, await imageSize(json[side].imageId));
    }
    assert.equal(json.savedBytes, json.before.sizeBytes - json.after.sizeBytes);
    assert.equal(typeof json.savedPercent, 'number');
  });
});

describe('build and compare: small busybox images', () => {
  test('compare: a cleanup in a later layer costs exactly the bytes it tried to delete (BuildKit)', async (t) => {
    if (!requirePart(t, 'Docker engine with busybox:latest', busybox, SETUP_HINT)) return;
    const outcome = await runComparison(
      { label: 'before', dockerfilePath: join(BUSYBOX, 'Dockerfile.before'), context: BUSYBOX },
      { label: 'after', dockerfilePath: join(BUSYBOX, 'Dockerfile.after'), context: BUSYBOX },
      { dockerPath: DOCKER, smokeSeconds: 5 },
    );
    assert.ok(outcome.ok, JSON.stringify(!outcome.ok && outcome.failure));
    assert.equal(outcome.result.savedBytes, 5_000_000);
    const dd = outcome.result.before.history.find((r) => r.line === 4);
    assert.equal(dd?.sizeBytes, 5_000_000);
    assert.deepEqual(outcome.result.after.smoke?.kind, 'exited');
    assert.equal(outcome.result.after.smoke?.kind === 'exited' && outcome.result.after.smoke.exitCode, 0);
    assert.deepEqual(outcome.result.after.smoke?.kind === 'exited' && outcome.result.after.smoke.logTail, ['hello']);
  });

  test('compare: works with the legacy builder and maps its #(nop) history to lines', async (t) => {
    if (!requirePart(t, 'Docker engine with busybox:latest', busybox, SETUP_HINT)) return;
    const outcome = await runComparison(
      { label: 'before', dockerfilePath: join(BUSYBOX, 'Dockerfile.before'), context: BUSYBOX },
      { label: 'after', dockerfilePath: join(BUSYBOX, 'Dockerfile.after'), context: BUSYBOX },
      { dockerPath: DOCKER, legacyBuilder: true },
    );
    assert.ok(outcome.ok, JSON.stringify(!outcome.ok && outcome.failure));
    assert.equal(outcome.result.builder, 'legacy');
    assert.equal(outcome.result.savedBytes, 5_000_000);
    const lines = outcome.result.before.history.filter((r) => !r.fromBaseImage).map((r) => [r.line, r.instruction]);
    assert.deepEqual(lines, [[3, 'WORKDIR'], [4, 'RUN'], [5, 'RUN'], [6, 'ENV'], [7, 'CMD']]);
    // The legacy builder runs each RUN in a container; /work/blob appears only in this fixture's commands.
    assert.deepEqual(await containersRunning('/work/blob'), [], 'no intermediate containers left');
  });

  test('compare: a Docker 23+ CLI without the buildx plugin falls back to the legacy builder instead of failing', async (t) => {
    if (!requirePart(t, 'Docker engine with busybox:latest', busybox, SETUP_HINT)) return;
    // A CLI of 23 or later whose `docker build` needs buildx: the newer client on this machine has no buildx
    // plugin. Elsewhere the test makes its own: the same CLI with an empty plugin folder.
    const newer = '/usr/local/bin/docker';
    const version = spawnSync(newer, ['version', '--format', '{{.Client.Version}}'], { encoding: 'utf8' });
    const buildx = spawnSync(newer, ['buildx', 'version'], { encoding: 'utf8' });
    const applicable = version.status === 0 && Number(version.stdout.split('.')[0]) >= 23 && buildx.status !== 0;
    if (!applicable) {
      t.skip(`needs a Docker CLI >= 23 without buildx at ${newer} (this machine kind has one; elsewhere not applicable)`);
      return;
    }
    const outcome = await runComparison(
      { label: 'before', dockerfilePath: join(BUSYBOX, 'Dockerfile.before'), context: BUSYBOX },
      { label: 'after', dockerfilePath: join(BUSYBOX, 'Dockerfile.after'), context: BUSYBOX },
      { dockerPath: newer },
    );
    assert.ok(outcome.ok, JSON.stringify(!outcome.ok && outcome.failure));
    assert.equal(outcome.result.builder, 'legacy');
    assert.equal(outcome.result.savedBytes, 5_000_000);
  });
});

