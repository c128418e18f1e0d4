// The language server on a hostile build context, over the protocol: a FIFO without a writer as
// .dockerignore (the old reader blocked on it forever), package.json → /dev/zero (read to 16 GB), a 64 GB
// sparse file. Diagnostics must still arrive, the server must keep answering, its memory must stay
// small, and the log must say what was left unread.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../support/lspClient';

const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'multistage-hostile-ws-'));
const dockerfile = path.join(ws, 'Dockerfile');
const uri = pathToFileURL(dockerfile).toString();
const TEXT = 'FROM node:20-slim\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci --omit=dev\nCOPY . .\nCMD ["node", "server.js"]\n';
let client: LspClient;

before(async () => {
  fs.writeFileSync(dockerfile, TEXT);
  execFileSync('mkfifo', [path.join(ws, '.dockerignore')]);
  fs.symlinkSync('/dev/zero', path.join(ws, 'package.json'));
  fs.closeSync(fs.openSync(path.join(ws, 'requirements.txt'), 'w'));
  fs.truncateSync(path.join(ws, 'requirements.txt'), 64 * 1024 ** 3);
  client = new LspClient();
  client.settings['*'] = { rules: {}, buildContexts: {} };
  await client.initializeWorkspace(ws);
});

after(async () => {
  await client.shutdown();
  fs.rmSync(ws, { recursive: true, force: true });
});

test('server: diagnostics arrive and requests are answered on a context with a FIFO, /dev/zero and a 64 GB file', async () => {
  const started = Date.now();
  client.open(uri, TEXT, 1);
  const diagnostics = await client.diagnosticsFor(uri, 1, 10_000);
  assert.ok(Date.now() - started < 10_000);
  assert.ok(!diagnostics.some((d) => d.code === 'missing-dockerignore'), 'the FIFO .dockerignore exists: no "create" fix over it');
  const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 1 } }, 5000);
  assert.ok(hover === null || typeof hover === 'object');
  const logs = () => client.notifications.filter((n) => n.method === 'window/logMessage').map((n) => String(n.params.message));
  await client.waitFor((n) => n.method === 'window/logMessage' && /\.dockerignore: a FIFO \(named pipe\), not a regular file; not read/.test(n.params.message), 5000);
  assert.ok(logs().some((m) => /package\.json: a symbolic link that leads out of the build context/.test(m)), logs().join('\n'));
  const rss = client.rssMb() * 1024 * 1024;
  assert.ok(rss < 400 * 1024 * 1024, `server RSS ${rss} bytes`);
});
