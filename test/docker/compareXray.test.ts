// Build and Compare with an X-ray of both sides: the X-ray runs while both built images still exist, its
// reports land on each side, a failing X-ray is named without failing the comparison, and cancelling
// during the X-ray still removes both images and the temp folder (real engine, busybox builds).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runComparison, type CompareOptions } from '../../server/src/docker/compare';
import { runDocker } from '../../server/src/docker/runner';
import type { XrayReport } from '../../server/src/xray/types';
import type { ImageReport } from '../../server/src/docker/pure/compareTypes';
import { requirePart } from '../support/requirements';
import { DOCKER, SETUP_HINT, engineAvailable, entriesIn, freshTempRoot, imagesAvailable } from './dockerTestSupport';

const run = { dockerPath: DOCKER };
const need = 'Docker engine with busybox:latest';
let ready = false;
before(async () => {
  ready = (await engineAvailable()) && (await imagesAvailable(['busybox:latest']));
});

/** Two Dockerfiles whose images exist nowhere else (a fresh token in a layer), so "gone" is checkable by id. */
function sides(t: { after: (fn: () => void) => void }) {
  const dir = mkdtempSync(join(tmpdir(), 'multistage-compare-xray-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const token = randomBytes(6).toString('hex');
  writeFileSync(join(dir, 'Dockerfile.before'), `FROM busybox:latest\nRUN echo ${token} > /token && head -c 200000 /dev/zero > /blob\nRUN rm /blob\n`);
  writeFileSync(join(dir, 'Dockerfile.after'), `FROM busybox:latest\nRUN echo ${token} > /token\n`);
  return {
    before: { label: 'Dockerfile.before', dockerfilePath: join(dir, 'Dockerfile.before'), context: dir },
    after: { label: 'Dockerfile.after', dockerfilePath: join(dir, 'Dockerfile.after'), context: dir },
  };
}

const exists = async (id: string) => (await runDocker(['image', 'inspect', '--format', '{{.Id}}', id], run)).code === 0;

function reportFor(imageId: string, dockerfileText: string): XrayReport {
  return {
    image: imageId, imageId, engine: 'docker', layout: 'docker-archive', totalBytes: dockerfileText.length, wastedBytes: 0, userWastedRatio: 0,
    finalBytes: 0, efficiency: 1, diveWastedBytes: 0, layers: [], lines: [], findings: [], analysedAt: new Date().toISOString(), seconds: 0,
  };
}

describe('build and compare: X-ray of both sides (real engine)', () => {
  test('the X-ray sees both images while they exist; its reports land on each side; afterwards both images and the temp folder are gone', async (t) => {
    if (!requirePart(t, need, ready, SETUP_HINT)) return;
    const { before: b, after: a } = sides(t);
    const seen: { side: string; id: string; existed: boolean; text: string }[] = [];
    const xray: CompareOptions['xray'] = async (id, about) => {
      seen.push({ side: about.side, id, existed: await exists(id), text: about.dockerfileText });
      return reportFor(id, about.dockerfileText);
    };
    const tempRoot = freshTempRoot(t);
    const outcome = await runComparison(b, a, { ...run, tempRoot, xray });
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.failure.message);
    assert.deepEqual(seen.map((s) => [s.side, s.existed]).sort(), [['after', true], ['before', true]]);
    for (const side of ['before', 'after'] as const) {
      const report: ImageReport = outcome.result[side];
      assert.equal(report.xray?.imageId, report.imageId);
      assert.match(seen.find((s) => s.side === side)!.text, side === 'before' ? /RUN rm \/blob/ : /^FROM busybox:latest\nRUN echo [0-9a-f]+ > \/token\n$/);
      assert.equal(await exists(report.imageId), false, `${side} image ${report.imageId} left behind`);
    }
    assert.deepEqual(entriesIn(tempRoot), []);
  });

  test('an X-ray that fails (or throws) is named on its side; the comparison still succeeds and cleans up', async (t) => {
    if (!requirePart(t, need, ready, SETUP_HINT)) return;
    const { before: b, after: a } = sides(t);
    const outcome = await runComparison(b, a, {
      ...run,
      tempRoot: freshTempRoot(t),
      xray: async (id, about) => {
        if (about.side === 'before') throw new Error('archive ended early');
        return { error: `docker save ${id} failed` };
      },
    });
    assert.ok(outcome.ok);
    assert.equal(outcome.result.before.xrayError, 'archive ended early');
    assert.match(outcome.result.after.xrayError ?? '', /^docker save sha256:[0-9a-f]+ failed$/);
    assert.equal(outcome.result.before.xray, undefined);
    for (const side of ['before', 'after'] as const) assert.equal(await exists(outcome.result[side].imageId), false);
  });

  test('cancelling during the X-ray: cancelled, both images and the temp folder removed', async (t) => {
    if (!requirePart(t, need, ready, SETUP_HINT)) return;
    const { before: b, after: a } = sides(t);
    const cancel = new AbortController();
    const ids: string[] = [];
    const tempRoot = freshTempRoot(t);
    const outcome = await runComparison(b, a, {
      ...run,
      tempRoot,
      signal: cancel.signal,
      xray: (id, about) => {
        ids.push(id);
        cancel.abort();
        // As a real X-ray does: it stops when its signal says so.
        return new Promise((resolve) => {
          if (about.signal.aborted) resolve({ error: 'cancelled' });
          else about.signal.addEventListener('abort', () => resolve({ error: 'cancelled' }), { once: true });
        });
      },
    });
    assert.ok(!outcome.ok);
    assert.equal(outcome.failure.kind, 'cancelled');
    assert.match(outcome.failure.message, /during the X-ray/);
    assert.equal(ids.length, 1, "the second side is not X-rayed once cancelled");
    for (const id of ids) assert.equal(await exists(id), false, `image ${id} left behind`);
    assert.deepEqual(entriesIn(tempRoot), []);
  });
});
