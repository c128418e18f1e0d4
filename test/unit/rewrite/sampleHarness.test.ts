// The sample harness itself (no engine): every sample folder's sample.json is read and checked, a
// malformed one is an error, the comparison of answers catches what it must, and the summary line has
// the agreed shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSample, SAMPLES, selectedSamples, summaryLine, type SplitOutcome } from '../../docker/rewriteSamples';
import { answerDifferences, type Probe, type ProbeAnswer } from '../../docker/sampleProbes';

test('every sample folder has a valid sample.json with probes, and the apps with a write route probe it', () => {
  assert.ok(SAMPLES.length >= 6, `found ${SAMPLES.length} samples`);
  for (const sample of SAMPLES) {
    assert.ok(sample.probes.length > 0, sample.name);
    // A static site has nothing to write to; every server sample has a write route and must probe it.
    const staticSite = sample.images.some((i) => i.startsWith('nginx'));
    // A program without ports (a CLI) is compared on its one run: exit code and output.
    if (sample.ports.length === 0) assert.deepEqual(sample.probes.map((p) => p.method), ['RUN'], sample.name);
    else if (!staticSite) assert.ok(sample.probes.some((p) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(p.method ?? 'GET')), `${sample.name} probes a write`);
  }
  assert.ok(selectedSamples('ci').length >= 2, 'a CI subset exists');
  assert.deepEqual(selectedSamples('node-api').map((s) => s.name), ['node-api']);
  assert.throws(() => selectedSamples('no-such-sample'), /no sample named no-such-sample/);
});

test('a malformed sample.json is an error naming the file and the key', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'multistage-sample-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'bad'));
  writeFileSync(join(dir, 'bad', 'Dockerfile'), 'FROM node:20\n');
  const write = (json: unknown) => writeFileSync(join(dir, 'bad', 'sample.json'), JSON.stringify(json));
  write({ ports: [], images: ['node:20'], probes: [{ path: '/' }] });
  assert.throws(() => loadSample('bad', join(dir, 'bad')), /bad\/sample\.json: "ports"/);
  write({ ports: [], images: ['golang:1.23'] });
  assert.deepEqual(loadSample('bad', join(dir, 'bad')).probes.map((p) => p.method), ['RUN'], 'a program without ports is run once');
  write({ ports: [3000], images: ['node:20'], probes: [] });
  assert.throws(() => loadSample('bad', join(dir, 'bad')), /"probes"/);
  write({ ports: [3000], images: ['node:20'], probes: [{ path: 'no-slash' }] });
  assert.throws(() => loadSample('bad', join(dir, 'bad')), /starting with \//);
  write({ ports: [3000], images: ['node:20'], probes: [{ path: '/', port: 9 }] });
  assert.throws(() => loadSample('bad', join(dir, 'bad')), /port 9/);
  write({ ports: [3000], images: ['node:20'], probes: [{ path: '/' }], reorder: { sourceFile: 'a.js', install: 'RUN npm ci$' } });
  const ok = loadSample('bad', join(dir, 'bad'));
  assert.equal(ok.reorder?.install.test('RUN npm ci'), true);
  assert.equal(ok.ci, false);
});

test('answers: a different status, a different stable body and a missed expected status are differences; an unstable body is not', () => {
  const probes: Probe[] = [
    { path: '/' },
    { method: 'POST', path: '/notes', body: { text: 'x' }, expectStatus: 201 },
    { path: '/time', compareBody: false },
  ];
  const a = (status: number | 'no answer', body: string, probe: string): ProbeAnswer => ({ status, body, probe });
  const original = [a(200, 'hi', 'GET /'), a(201, '{"id":1}', 'POST /notes'), a(200, '10:00', 'GET /time')];
  assert.deepEqual(answerDifferences(probes, original, [a(200, 'hi', ''), a(201, '{"id":1}', ''), a(200, '10:01', '')]), []);
  const split = [a(200, 'hello', ''), a(500, 'attempt to write a readonly database', ''), a('no answer', 'ECONNREFUSED', '')];
  const diffs = answerDifferences(probes, original, split);
  assert.equal(diffs.length, 3);
  assert.match(diffs[0], /GET \/: same status 200, different bodies/);
  assert.match(diffs[1], /POST \/notes: original 201, split 500 .*readonly database/);
  assert.match(diffs[2], /GET \/time: original 200, split no answer/);
  const wrongOriginal = [a(200, 'hi', ''), a(404, '', ''), a(200, '', '')];
  assert.match(answerDifferences(probes, wrongOriginal, wrongOriginal).join('\n'), /ORIGINAL answered 404, the sample expects 201/);
});

test('summary line: "W/N splits build and behave; median reduction P %"', () => {
  const outcome = (behaves: boolean, reductionPercent?: number): SplitOutcome => ({ sample: 's', behaves, differences: [], original: [], split: [], seconds: 1, reductionPercent });
  assert.equal(summaryLine([outcome(true, 90), outcome(true, 80), outcome(false, 70), outcome(false)]), '2/4 splits build and behave; median reduction 80.0 %');
  assert.equal(summaryLine([outcome(true, 90), outcome(true, 80)]), '2/2 splits build and behave; median reduction 85.0 %');
});
