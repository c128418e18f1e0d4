// xrayImage's handling of a CLI that misbehaves, with a stand-in CLI (a node script) so the cases are
// exact: an export that is not an image archive (the endless CLI is stopped, not waited for), a save that
// dies halfway (the CLI's own failure wins over the analysis' complaint), and a cancelled run.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { xrayImage } from '../../server/src/xray/xray';
import { processAlive } from '../support/processAlive';

const dir = mkdtempSync(join(tmpdir(), 'multistage-xray-fake-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const CLI = join(dir, 'fake-docker');
writeFileSync(
  CLI,
  `#!${process.execPath}
const fs = require('node:fs');
const [verb, sub] = process.argv.slice(2);
if (verb === 'image' && sub === 'inspect') { process.stdout.write('sha256:' + 'ab'.repeat(32) + '\\n'); process.exit(0); }
if (verb !== 'image' || sub !== 'save') process.exit(2);
fs.writeFileSync(process.env.FAKE_PID_FILE, String(process.pid));
const mode = process.env.FAKE_MODE;
if (mode === 'die-halfway') {
  // A valid first tar header would be too kind: half a block, then the daemon's complaint.
  fs.writeSync(1, Buffer.alloc(256, 0x61));
  fs.writeSync(2, 'Error response from daemon: layer does not exist\\n');
  process.exit(1);
}
if (mode === 'endless') {
  // A well-formed tar entry of 8 GiB that never finishes arriving: only cancelling ends it.
  const h = Buffer.alloc(512);
  h.write('padding.bin', 0); h.write('0000644\0', 100); h.write('0000000\0', 108); h.write('0000000\0', 116);
  h.write('77777777777\0', 124); h.write('00000000000\0', 136); h.write('        ', 148); h.write('0', 156);
  h.write('ustar\0', 257); h.write('00', 263);
  let sum = 0; for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  fs.writeSync(1, h);
}
// Not a tar at all (or, after that header, its endless content).
const junk = Buffer.alloc(1 << 16, 0x7a);
(function loop() { if (process.stdout.write(junk)) setImmediate(loop); else process.stdout.once('drain', loop); })();
`,
);
chmodSync(CLI, 0o755);

const alive = processAlive;

test('xrayImage: an export that is not an image archive is unreadable-archive, and the endless CLI is stopped', async () => {
  const pidFile = join(dir, 'garbage.pid');
  const started = Date.now();
  const outcome = await xrayImage('some/image:tag', { enginePath: CLI, env: { FAKE_MODE: 'garbage', FAKE_PID_FILE: pidFile } });
  assert.ok(!outcome.ok);
  assert.equal(outcome.failure.kind, 'unreadable-archive');
  assert.match(outcome.failure.message, /some\/image:tag/);
  assert.ok(Date.now() - started < 10_000);
  const pid = Number(readFileSync(pidFile, 'utf8'));
  assert.equal(alive(pid), false, 'the save CLI was stopped');
});

test('xrayImage: a save that dies halfway reports the CLI failure with its last words', async () => {
  const outcome = await xrayImage('some/image:tag', { enginePath: CLI, env: { FAKE_MODE: 'die-halfway', FAKE_PID_FILE: join(dir, 'die.pid') } });
  assert.ok(!outcome.ok);
  assert.equal(outcome.failure.kind, 'docker-error');
  assert.deepEqual(outcome.failure.lastLines, ['Error response from daemon: layer does not exist']);
});

test('xrayImage: cancelled while the export flows, the CLI is stopped and the outcome says cancelled', async () => {
  const pidFile = join(dir, 'cancel.pid');
  const controller = new AbortController();
  const outcome = await xrayImage('some/image:tag', {
    enginePath: CLI,
    env: { FAKE_MODE: 'endless', FAKE_PID_FILE: pidFile },
    signal: controller.signal,
    onProgress: (line) => {
      if (!line.startsWith('Reading the export')) return;
      // Abort once the CLI is running and writing.
      const poll = setInterval(() => {
        if (!existsSync(pidFile)) return;
        clearInterval(poll);
        setTimeout(() => controller.abort(), 50);
      }, 10);
    },
  });
  assert.ok(!outcome.ok);
  assert.equal(outcome.failure.kind, 'cancelled');
  assert.equal(alive(Number(readFileSync(pidFile, 'utf8'))), false, 'the save CLI was stopped');
});
