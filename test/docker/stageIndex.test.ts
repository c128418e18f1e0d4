// What the builder does with stage numbers, checked on the real engine, next to what
// unknown-stage-reference says: COPY --from past the last stage is rejected ("invalid stage index"),
// and a number in RUN --mount from= is taken for an image name, even when that stage exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDocker } from '../../server/src/docker/runner';
import { findings } from '../support/analysis';
import { requirePart } from '../support/requirements';
import { DOCKER, engineAvailable, imagesAvailable, SETUP_HINT } from './dockerTestSupport';

const BASE = 'debian:bookworm-slim';

async function buildError(t: import('node:test').TestContext, dockerfile: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'multistage-stage-index-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  const r = await runDocker(['build', '--no-cache', '-t', 'multistage-test/rules/stage-index:never', dir], { dockerPath: DOCKER, env: { DOCKER_BUILDKIT: '1' }, timeoutMs: 120_000 });
  assert.notEqual(r.code, 0, `the builder accepted:\n${dockerfile}`);
  return r.stderr + r.stdout;
}

test('stage numbers on a real engine: the builder rejects what unknown-stage-reference reports as errors', { timeout: 240_000 }, async (t) => {
  if (!requirePart(t, 'a Docker engine', await engineAvailable(), SETUP_HINT)) return;
  if (!requirePart(t, `the base image ${BASE}`, await imagesAvailable([BASE]), SETUP_HINT)) return;

  const pastEnd = `FROM ${BASE}\nCOPY --from=1 /etc/hostname /x\n`;
  assert.match(await buildError(t, pastEnd), /invalid stage index 1/);
  assert.equal(findings(pastEnd, 'unknown-stage-reference')[0]?.severity, 'error');

  // Stage 0 exists, yet BuildKit looks for an image called `0`.
  const mount = `FROM ${BASE} AS a\nRUN true\nFROM ${BASE}\nRUN --mount=from=0,target=/m ls /m/etc/hostname\n`;
  assert.match(await buildError(t, mount), /library\/0\b|\b0:latest\b/);
  assert.equal(findings(mount, 'unknown-stage-reference')[0]?.severity, 'error');
});
