// The behaviour check against a real engine: a tiny busybox web app (pages, a HEALTHCHECK file, a CGI write
// and a read-back) built three ways, and port-less images compared by exit code and output. Every check
// must leave no container behind and publish nothing beyond 127.0.0.1.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkBehaviour, BEHAVIOUR_LABEL } from '../../server/src/docker/behaviour';
import { parseProbe } from '../../server/src/docker/pure/behaviourPlan';
import type { ProbeSpec } from '../../server/src/docker/pure/behaviourTypes';
import { runDocker } from '../../server/src/docker/runner';
import { requirePart } from '../support/requirements';
import { DOCKER, FIXTURES, SETUP_HINT, engineAvailable, imagesAvailable, removeTags } from './dockerTestSupport';

const HTTP = join(FIXTURES, 'compare-http');
const BUSYBOX = join(FIXTURES, 'compare-busybox');
const PREFIX = `multistage-test/compare/behaviour-${process.pid}`;
const TAGS = {
  web: `${PREFIX}:web`,
  webSplit: `${PREFIX}:web-split`,
  webLostPage: `${PREFIX}:web-lost-page`,
  hello: `${PREFIX}:hello`,
  helloToo: `${PREFIX}:hello-too`,
  bye: `${PREFIX}:bye`,
  silent: `${PREFIX}:silent`,
};
const run = { dockerPath: DOCKER };

let ready = false;
let scratch = '';
before(async () => {
  if (!(await engineAvailable()) || !(await imagesAvailable(['busybox:latest']))) return;
  scratch = mkdtempSync(join(tmpdir(), 'multistage-behaviour-test-'));
  writeFileSync(join(scratch, 'Dockerfile.bye'), 'FROM busybox:latest\nCMD ["sh", "-c", "echo bye; exit 3"]\n');
  const builds: [string, string, string][] = [
    [TAGS.web, join(HTTP, 'Dockerfile.before'), HTTP],
    [TAGS.webSplit, join(HTTP, 'Dockerfile.after'), HTTP],
    [TAGS.webLostPage, join(HTTP, 'Dockerfile.lost-page'), HTTP],
    [TAGS.hello, join(BUSYBOX, 'Dockerfile.before'), BUSYBOX],
    [TAGS.helloToo, join(BUSYBOX, 'Dockerfile.after'), BUSYBOX],
    [TAGS.bye, join(scratch, 'Dockerfile.bye'), scratch],
    [TAGS.silent, join(HTTP, 'Dockerfile.silent'), HTTP],
  ];
  for (const [tag, file, context] of builds) {
    const r = await runDocker(['build', '-q', '-f', file, '-t', tag, context], { ...run, env: { DOCKER_BUILDKIT: '1' } });
    if (r.code !== 0) throw new Error(`building ${tag}: ${r.stderr}`);
  }
  ready = true;
});
after(async () => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  await removeTags(Object.values(TAGS));
});

/** Containers of any behaviour check that run one of this file's images. */
async function leftoverContainers(): Promise<string[]> {
  const r = await runDocker(['container', 'ls', '--all', '--filter', `label=${BEHAVIOUR_LABEL}`, '--format', '{{.ID}} {{.Image}}'], run);
  return r.stdout.split('\n').filter((l) => l.includes(PREFIX));
}

const probes = (...texts: string[]): ProbeSpec[] => texts.map((t) => parseProbe(t) as ProbeSpec);
const USER_PROBES = probes('GET /about/', 'POST /cgi-bin/register name=ann', 'GET /cgi-bin/count');
const need = 'Docker engine with busybox:latest';

describe('behaviour check (real engine)', () => {
  test('identical behaviour: a single-stage app and its two-stage split answer alike, writes included', async (t) => {
    if (!requirePart(t, need, ready, SETUP_HINT)) return;
    const report = await checkBehaviour(TAGS.web, TAGS.webSplit, { probes: USER_PROBES, run });
    assert.equal(report.kind, 'http');
    assert.equal(report.verdict, 'After behaves like Before on 5 of 5 requests.', JSON.stringify(report, null, 1));
    assert.equal(report.alike, true);
    assert.deepEqual(report.requests.map((r) => `${r.method} ${r.path} ${r.source} ${r.before.status} ${r.after.status}`), [
      'GET / default 200 200',
      'GET /health.txt healthcheck 200 200',
      'GET /about/ user 200 200',
      'POST /cgi-bin/register user 201 201',
      'GET /cgi-bin/count user 200 200',
    ]);
    // The read-back sees the write: each container got its own one registration.
    const count = report.requests[4];
    assert.equal(count.before.bodyExcerpt, '1');
    assert.equal(count.after.bodyExcerpt, '1');
    assert.equal(count.bodiesDiffer, undefined);
    assert.deepEqual(await leftoverContainers(), []);
  });

  test('a lost route: the check names it (200 → 404) and counts the rest as alike', async (t) => {
    if (!requirePart(t, need, ready, SETUP_HINT)) return;
    const report = await checkBehaviour(TAGS.web, TAGS.webLostPage, { probes: USER_PROBES, run });
    assert.equal(report.alike, false);
    assert.equal(report.matched, 4);
    assert.equal(report.verdict, 'After differs from Before on 1 of 5 requests: GET /about/ 200 → 404.');
    const about = report.requests.find((r) => r.path === '/about/')!;
    assert.equal(about.before.status, 200);
    assert.equal(about.after.status, 404);
    assert.deepEqual(await leftoverContainers(), []);
  });

  test('no exposed port: the default commands are compared by exit code and output', async (t) => {
    if (!requirePart(t, need, ready, SETUP_HINT)) return;
    const same = await checkBehaviour(TAGS.hello, TAGS.helloToo, { run });
    assert.equal(same.kind, 'run');
    assert.equal(same.verdict, 'After behaves like Before: both exited 0 with the same output.');
    assert.equal(same.run?.before.stdout, 'hello\n');
    const different = await checkBehaviour(TAGS.hello, TAGS.bye, { run });
    assert.equal(different.alike, false);
    assert.equal(different.run?.after.exitCode, 3);
    assert.match(different.verdict, /^After differs from Before: exited 0 after [\d.]+ s → exited 3 after [\d.]+ s, and the output differs\.$/);
    assert.deepEqual(await leftoverContainers(), []);
  });

  test('cancelling while waiting for a port: ports were on 127.0.0.1 only, and the containers are removed', async (t) => {
    if (!requirePart(t, need, ready, SETUP_HINT)) return;
    const cancel = new AbortController();
    const published: string[] = [];
    const watcher = (async () => {
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && published.length < 2) {
        const r = await runDocker(['container', 'ls', '--filter', `label=${BEHAVIOUR_LABEL}`, '--format', '{{.Image}} {{.Ports}}'], run);
        published.splice(0, published.length, ...r.stdout.split('\n').filter((l) => l.startsWith(TAGS.silent) && l.includes('9473')));
        await new Promise((r) => setTimeout(r, 200));
      }
      cancel.abort();
    })();
    const started = performance.now();
    const report = await checkBehaviour(TAGS.silent, TAGS.silent, { run, signal: cancel.signal, readyTimeoutMs: 60_000 });
    await watcher;
    assert.ok(performance.now() - started < 30_000, 'stopped well before the readiness timeout');
    assert.equal(published.length, 2, 'both containers were seen running');
    for (const line of published) {
      assert.match(line, /127\.0\.0\.1:\d+->9473\/tcp/);
      assert.doesNotMatch(line, /0\.0\.0\.0|:::/);
    }
    assert.equal(report.requests[0].before.error, 'cancelled');
    assert.deepEqual(await leftoverContainers(), []);
  });

  test('a port that never answers: the wait ends at the readiness timeout with a reason, not a hang', async (t) => {
    if (!requirePart(t, need, ready, SETUP_HINT)) return;
    const report = await checkBehaviour(TAGS.silent, TAGS.web, { run, readyTimeoutMs: 3_000 });
    const silentPort = report.requests.find((r) => r.port === 9473)!;
    assert.equal(silentPort.before.error, 'nothing answered HTTP on port 9473 within 3 s');
    const web = report.requests.find((r) => r.port === 8080 && r.path === '/')!;
    assert.equal(web.after.status, 200);
    assert.equal(web.before.status, undefined);
    assert.equal(report.alike, false);
    assert.deepEqual(await leftoverContainers(), []);
  });
});
