// Fix all over the protocol on a large file while the user keeps working: a hover sent during a running
// fix-all must be answered long before the fix-all ends (it ran as one block, and a hover waited 19.9 s),
// the fix-all must still produce its edit, and a fix-all whose document changed meanwhile stops.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { LspClient, SERVER_BUNDLE } from '../support/lspClient';
import { fixableDockerfile } from '../../bench/syntheticDockerfile';
import { requirePart } from '../support/requirements';

const clients: LspClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.shutdown()));
});

const FIX_ALL = { only: ['source.fixAll.multistage'], diagnostics: [] };
// The fix-all runs in a worker thread: hovers meanwhile took 2-40 ms here (load average above 20 on 2
// cores). The bound is loose for such a machine; the old, blocking fix-all made the hover wait for all
// of it (19.9 s at 1,000 lines), and running it in steps on the main thread still let one wait 2.3 s.
const HOVER_BOUND_MS = 750;

/** A started server with a generated file of `lines` fixable lines open at `uri` and analysed. */
async function openedFixable(uri: string, lines: number): Promise<{ client: LspClient; text: string }> {
  const client = await LspClient.start();
  clients.push(client);
  const text = fixableDockerfile(lines);
  const published = client.waitForDiagnostics(uri, 60_000);
  client.open(uri, text);
  await published;
  return { client, text };
}

/** The fix-all code action request for a whole document. */
const fixAllOf = (client: LspClient, uri: string) =>
  client.request('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: FIX_ALL }, 120_000);

test('server: a hover sent during a fix-all of 3,000 fixable lines is answered promptly, long before the fix-all ends', async (t) => {
  if (!requirePart(t, 'the bundled server', existsSync(SERVER_BUNDLE), 'run `node esbuild.config.mjs`')) return;
  const uri = 'file:///fixall/Dockerfile';
  const { client } = await openedFixable(uri, 3000);
  // A hover on an instruction (not an image: that may wait for a registry). The first one of a version
  // parses the file for hovers, its own cost, paid here before the fix-all starts.
  const HOVER = { textDocument: { uri }, position: { line: 1, character: 1 } };
  await client.request('textDocument/hover', HOVER);

  const started = performance.now();
  let fixAllEnded = 0;
  const fixAll = fixAllOf(client, uri).then((actions: any[]) => ((fixAllEnded = performance.now()), actions));
  const latencies: number[] = [];
  let hoversDuring = 0;
  // Hovers every 50 ms until the fix-all is done: each must be answered promptly.
  while (!fixAllEnded) {
    await new Promise((r) => setTimeout(r, 50));
    if (fixAllEnded) break;
    const sent = performance.now();
    await client.request('textDocument/hover', HOVER);
    latencies.push(performance.now() - sent);
    if (!fixAllEnded) hoversDuring++;
  }
  const actions = await fixAll;
  const total = fixAllEnded - started;
  process.stdout.write(`fix-all of 3,000 lines: ${total.toFixed(0)} ms; ${latencies.length} hovers meanwhile, slowest ${Math.max(...latencies).toFixed(0)} ms, median ${latencies.sort((a, b) => a - b)[latencies.length >> 1]?.toFixed(0)} ms\n`);
  assert.equal(actions.length, 1, 'the fix-all still produced its edit');
  assert.ok(actions[0].edit.documentChanges[0].edits[0].newText.includes('COPY file0.txt /app/'));
  assert.ok(hoversDuring >= 2, `only ${hoversDuring} hovers were answered while the fix-all ran (${total.toFixed(0)} ms): it blocked the server`);
  assert.ok(Math.max(...latencies) < HOVER_BOUND_MS, `slowest hover ${Math.max(...latencies).toFixed(0)} ms`);
});

test('server: a fix-all whose document changes while it runs stops and offers nothing (its edit would be stale)', async (t) => {
  if (!requirePart(t, 'the bundled server', existsSync(SERVER_BUNDLE), 'run `node esbuild.config.mjs`')) return;
  const uri = 'file:///fixall-stale/Dockerfile';
  const { client, text } = await openedFixable(uri, 2000);
  const fixAll = fixAllOf(client, uri);
  await new Promise((r) => setTimeout(r, 30));
  client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: `${text}# edited\n` }] });
  assert.deepEqual(await fixAll, []);
});
