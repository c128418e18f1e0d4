// The pure half of the behaviour check: probe parsing (CLI and setting), the request plan from exposed
// ports and HEALTHCHECKs, and the comparison with its verdict. (Running real images: test/docker/compareBehaviour.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compareBehaviour,
  healthcheckProbes,
  parseProbe,
  planProbes,
  probesFromSetting,
} from '../../server/src/docker/pure/behaviourPlan';
import type { HttpAnswer, ImageBehaviour, RunAnswer } from '../../server/src/docker/pure/behaviourTypes';

test('parseProbe: METHOD PATH [BODY], an optional :PORT, and clear messages for anything else', () => {
  assert.deepEqual(parseProbe('GET /jobs'), { method: 'GET', path: '/jobs', source: 'user' });
  assert.deepEqual(parseProbe('post /auth/register username=a&password=b'), {
    method: 'POST', path: '/auth/register', body: 'username=a&password=b', source: 'user',
  });
  assert.deepEqual(parseProbe('PUT :3000/api/x {"a": 1}'), { method: 'PUT', path: '/api/x', port: 3000, body: '{"a": 1}', source: 'user' });
  assert.deepEqual(parseProbe('GET :8080'), { method: 'GET', path: '/', port: 8080, source: 'user' });
  assert.match(parseProbe('GET jobs') as string, /must start with \//);
  assert.match(parseProbe('/jobs') as string, /METHOD PATH/);
  assert.match(parseProbe('G*T /x') as string, /not an HTTP method/);
  assert.match(parseProbe('GET :70000/x') as string, /out of range/);
});

test('probesFromSetting: strings and objects; a non-string body is sent as JSON; bad entries are reported, not dropped silently', () => {
  const { probes, errors } = probesFromSetting([
    'GET /a',
    { method: 'post', path: '/b', body: { name: 'x' } },
    { path: '/c', port: 81, headers: { 'x-test': '1', bad: 2 } },
    { method: 'GET' },
    42,
    'nonsense',
  ]);
  assert.deepEqual(probes, [
    { method: 'GET', path: '/a', source: 'user' },
    { method: 'POST', path: '/b', body: '{"name":"x"}', headers: { 'content-type': 'application/json' }, source: 'user' },
    { method: 'GET', path: '/c', port: 81, headers: { 'x-test': '1' }, source: 'user' },
  ]);
  assert.equal(errors.length, 3);
  assert.deepEqual(probesFromSetting(undefined), { probes: [], errors: [] });
  assert.match(probesFromSetting('GET /').errors[0], /must be an array/);
});

test('healthcheckProbes: local URLs of curl/wget healthchecks become GETs on their port; remote URLs and NONE do not', () => {
  assert.deepEqual(healthcheckProbes(['CMD-SHELL', 'curl -f http://localhost:3000/health || exit 1']), [
    { method: 'GET', path: '/health', port: 3000, source: 'healthcheck' },
  ]);
  assert.deepEqual(healthcheckProbes(['CMD', 'wget', '-q', '--spider', 'http://127.0.0.1/ready?x=1']), [
    { method: 'GET', path: '/ready?x=1', port: 80, source: 'healthcheck' },
  ]);
  assert.deepEqual(healthcheckProbes(['CMD-SHELL', 'curl -f https://example.com/health']), []);
  assert.deepEqual(healthcheckProbes(['NONE']), []);
  assert.deepEqual(healthcheckProbes(undefined), []);
});

test('planProbes: / on every port of either image, then HEALTHCHECK URLs, then user probes on the first port; reads once, writes as listed', () => {
  const plan = planProbes(
    { exposedPorts: [3000], healthcheck: ['CMD-SHELL', 'curl -f http://localhost:3000/health'] },
    { exposedPorts: [80], healthcheck: ['CMD-SHELL', 'curl -f http://localhost:3000/health'] },
    [
      { method: 'GET', path: '/', source: 'user' },
      { method: 'POST', path: '/items', body: 'a=1', source: 'user' },
      { method: 'POST', path: '/items', body: 'a=1', source: 'user' },
      { method: 'GET', path: '/metrics', port: 9100, source: 'user' },
    ],
  );
  assert.deepEqual(plan.ports, [3000, 80, 9100]);
  assert.deepEqual(plan.probes.map((p) => `${p.method} ${p.port}${p.path} ${p.source}`), [
    'GET 3000/ default',
    'GET 80/ default',
    'GET 3000/health healthcheck',
    'POST 3000/items user',
    'POST 3000/items user',
    'GET 9100/metrics user',
  ]);
});

test('planProbes: no port anywhere gives an empty plan (run mode) and says which user probes could not be sent', () => {
  const plan = planProbes({ exposedPorts: [] }, { exposedPorts: [] }, [{ method: 'GET', path: '/x', source: 'user' }]);
  assert.deepEqual(plan.probes, []);
  assert.deepEqual(plan.ports, []);
  assert.match(plan.notes[0], /GET \/x was not sent.*GET :PORT\/x/);
});

const ok = (status: number, body = 'same'): HttpAnswer => ({ status, bodySha256: body });
const image = (answers: HttpAnswer[], extra: Partial<ImageBehaviour> = {}): ImageBehaviour => ({ image: 'x', ports: [80], answers, logTail: [], ...extra });
const probes = [
  { method: 'GET', path: '/', port: 80, source: 'default' as const },
  { method: 'GET', path: '/jobs', port: 80, source: 'user' as const },
  { method: 'POST', path: '/register', port: 80, body: 'u=1', source: 'user' as const },
];

test('compareBehaviour: identical statuses give "After behaves like Before on N of N requests"', () => {
  const report = compareBehaviour(image([ok(200), ok(200), ok(302)]), image([ok(200), ok(200), ok(302)]), probes);
  assert.equal(report.kind, 'http');
  assert.equal(report.alike, true);
  assert.equal(report.matched, 3);
  assert.equal(report.verdict, 'After behaves like Before on 3 of 3 requests.');
  assert.deepEqual(report.requests.map((r) => [r.method, r.path, r.before.status, r.after.status]), [
    ['GET', '/', 200, 200], ['GET', '/jobs', 200, 200], ['POST', '/register', 302, 302],
  ]);
  assert.equal(report.requests[2].hasBody, true);
});

test('compareBehaviour: a changed status is a difference named in the verdict; a changed body with the same status is a note', () => {
  const report = compareBehaviour(
    image([ok(200, 'a'), ok(200), ok(302)]),
    image([ok(200, 'b'), ok(404), { error: 'connection refused' }]),
    probes,
  );
  assert.equal(report.alike, false);
  assert.equal(report.matched, 1);
  assert.equal(report.verdict, 'After differs from Before on 2 of 3 requests: GET /jobs 200 → 404, POST /register 302 → no answer (connection refused).');
  assert.equal(report.requests[0].bodiesDiffer, true);
  assert.ok(report.notes.some((n) => /Same status but different bodies: GET \//.test(n)), report.notes.join('\n'));
});

test('compareBehaviour: an image that could not be started is never "alike"', () => {
  const report = compareBehaviour(image([ok(200)]), image([], { startError: 'port is already allocated' }), probes.slice(0, 1));
  assert.equal(report.alike, false);
  assert.match(report.verdict, /After could not be started: port is already allocated/);
});

const ran = (exitCode: number | undefined, stdout: string): RunAnswer =>
  exitCode === undefined ? { stillRunning: true, seconds: 10, stdout, stderr: '' } : { exitCode, seconds: 0.4, stdout, stderr: '' };

test('compareBehaviour (run mode): exit code and output decide; the verdict says which differed', () => {
  const same = compareBehaviour(image([], { run: ran(0, 'hello\n') }), image([], { run: ran(0, 'hello\n') }), []);
  assert.equal(same.kind, 'run');
  assert.equal(same.alike, true);
  assert.equal(same.verdict, 'After behaves like Before: both exited 0 with the same output.');
  const output = compareBehaviour(image([], { run: ran(0, 'hello\n') }), image([], { run: ran(0, 'bye\n') }), []);
  assert.equal(output.alike, false);
  assert.match(output.verdict, /differs from Before in its output \(both exited 0\)/);
  const code = compareBehaviour(image([], { run: ran(0, 'x') }), image([], { run: ran(3, 'x') }), []);
  assert.equal(code.verdict, 'After differs from Before: exited 0 after 0.4 s → exited 3 after 0.4 s.');
  const servers = compareBehaviour(image([], { run: ran(undefined, 'listening') }), image([], { run: ran(undefined, 'listening') }), []);
  assert.equal(servers.verdict, 'After behaves like Before: both still running after 10 s with the same output.');
});
