// streamDocker with a stand-in CLI (node running a small script): the stdout stream applies backpressure,
// stop / abort / timeout end the whole process group, argv reaches the CLI verbatim, the environment
// passes through, stderr is captured within its bound, and a missing CLI is a value, not an exception.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { streamDocker, runDocker } from '../../server/src/docker/runner';
import { processAlive } from '../support/processAlive';

const NODE = process.execPath;

function script(source: string): string[] {
  return ['-e', source];
}

async function readAll(stream: NodeJS.ReadableStream): Promise<number> {
  let bytes = 0;
  for await (const chunk of stream) bytes += (chunk as Buffer).length;
  return bytes;
}

const alive = processAlive;

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

// Writes `total` MiB in 1 MiB chunks, waiting for each to drain, and reports on stderr what it has handed
// to the pipe so far: with nobody reading, that number must stall.
const WRITER = (total: number) => `
  const chunk = Buffer.alloc(1 << 20, 120);
  let written = 0;
  function next() {
    if (written === ${total}) return;
    written++;
    const ok = process.stdout.write(chunk);
    process.stderr.write('written ' + written + '\\n');
    if (ok) setImmediate(next); else process.stdout.once('drain', next);
  }
  next();`;

test('streamDocker: stdout applies backpressure (an unread stream stalls the CLI) and then delivers every byte', async () => {
  const progress: number[] = [];
  const run = streamDocker(script(WRITER(64)), {
    dockerPath: NODE,
    onLine: (line, stream) => {
      assert.equal(stream, 'stderr');
      const n = /^written (\d+)$/.exec(line);
      if (n) progress.push(Number(n[1]));
    },
  });
  run.stdout.pause();
  await new Promise((r) => setTimeout(r, 1500));
  const stalledAt = progress.at(-1) ?? 0;
  // Kernel pipe buffer + the stream's high-water mark + the CLI's own chunk: a few MiB at most, not 64.
  assert.ok(stalledAt > 0 && stalledAt <= 4, `the CLI handed ${stalledAt} MiB to an unread pipe`);
  const bytes = await readAll(run.stdout);
  const result = await run.done;
  assert.equal(result.code, 0);
  assert.equal(bytes, 64 << 20);
  assert.equal(progress.at(-1), 64);
  assert.equal(result.stdout, '', 'streamed output is not also captured');
});

test('streamDocker: stop() ends the process group (CLI and its child) even while the stream is unread', async () => {
  // The CLI starts a grandchild that would outlive it, prints its pid, then floods stdout.
  const source = `
    const { spawn } = require('node:child_process');
    const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    process.stderr.write('grandchild ' + g.pid + '\\n');
    const chunk = Buffer.alloc(1 << 16);
    (function loop() { if (process.stdout.write(chunk)) setImmediate(loop); else process.stdout.once('drain', loop); })();`;
  let grandchild = 0;
  const run = streamDocker(script(source), {
    dockerPath: NODE,
    onLine: (line) => {
      const m = /^grandchild (\d+)$/.exec(line);
      if (m) grandchild = Number(m[1]);
    },
  });
  run.stdout.pause();
  assert.ok(await waitFor(() => grandchild > 0, 5000), 'the CLI reported its child');
  const started = Date.now();
  run.stop();
  const result = await run.done;
  assert.equal(result.code, 130);
  assert.equal(result.cancelled, true);
  assert.ok(Date.now() - started < 2500, 'SIGTERM was enough, no wait for the SIGKILL grace');
  assert.ok(await waitFor(() => !alive(grandchild), 2000), 'the grandchild is gone too');
});

test('streamDocker: the abort signal and the timeout stop the run; an already aborted signal starts nothing', async () => {
  const forever = script('setInterval(() => process.stdout.write("x"), 10)');
  const controller = new AbortController();
  const aborted = streamDocker(forever, { dockerPath: NODE, signal: controller.signal });
  setTimeout(() => controller.abort(), 200);
  const a = await aborted.done;
  assert.equal(a.code, 130);
  assert.equal(a.cancelled, true);

  const timed = streamDocker(forever, { dockerPath: NODE, timeoutMs: 300 });
  timed.stdout.resume();
  const t = await timed.done;
  assert.equal(t.timedOut, true);
  assert.notEqual(t.code, 0);

  const before = new AbortController();
  before.abort();
  const never = streamDocker(forever, { dockerPath: NODE, signal: before.signal });
  assert.equal(await readAll(never.stdout), 0);
  assert.deepEqual(await never.done, { code: 130, stdout: '', stderr: '', cancelled: true });
});

test('streamDocker: argv arrives verbatim (no shell) and the environment passes through (DOCKER_HOST, DOCKER_CONTEXT)', async () => {
  const tricky = ['$(echo no)', 'a; rm -rf /', '*', "it's \"quoted\"", ''];
  const saved = process.env.DOCKER_CONTEXT;
  process.env.DOCKER_CONTEXT = 'from-parent';
  try {
    const run = streamDocker(
      script('process.stdout.write(JSON.stringify({ argv: process.argv.slice(1), host: process.env.DOCKER_HOST, context: process.env.DOCKER_CONTEXT }))').concat(tricky),
      { dockerPath: NODE, env: { DOCKER_HOST: 'tcp://10.0.0.9:2376' } },
    );
    let text = '';
    for await (const chunk of run.stdout) text += (chunk as Buffer).toString();
    assert.equal((await run.done).code, 0);
    assert.deepEqual(JSON.parse(text), { argv: tricky, host: 'tcp://10.0.0.9:2376', context: 'from-parent' });
  } finally {
    if (saved === undefined) delete process.env.DOCKER_CONTEXT;
    else process.env.DOCKER_CONTEXT = saved;
  }
});

test('streamDocker: stderr is captured for the message, keeping the newest text within its bound', async () => {
  const run = streamDocker(script('const fs = require("node:fs"); for (let i = 0; i < 5000; i++) fs.writeSync(2, "line " + i + "\\n"); fs.writeSync(2, "Error: no such image"); process.exit(3)'), {
    dockerPath: NODE,
    maxCapturedChars: 1000,
  });
  run.stdout.resume();
  const result = await run.done;
  assert.equal(result.code, 3);
  assert.ok(result.stderr.length <= 1000);
  assert.ok(result.stderr.endsWith('line 4999\nError: no such image'));
});

test('streamDocker / runDocker: a CLI that does not exist is exit code 127 with an ended stream, never a throw', async () => {
  const run = streamDocker(['save', 'x'], { dockerPath: '/nonexistent/docker-cli' });
  assert.equal(await readAll(run.stdout), 0);
  assert.equal((await run.done).code, 127);
  const r = await runDocker(['version'], { dockerPath: '/nonexistent/docker-cli' });
  assert.equal(r.code, 127);
});

test('runDocker: built on the stream, still returns stdout text and reports complete lines of both streams', async () => {
  const lines: string[] = [];
  const r = await runDocker(script('process.stdout.write("a\\nb"); process.stderr.write("e1\\ne2")'), {
    dockerPath: NODE,
    onLine: (line, stream) => lines.push(`${stream}:${line}`),
  });
  assert.equal(r.code, 0);
  assert.equal(r.stdout, 'a\nb');
  assert.equal(r.stderr, 'e1\ne2');
  assert.deepEqual(lines.sort(), ['stderr:e1', 'stderr:e2', 'stdout:a', 'stdout:b']);
});
