// When the diagnostics service analyses: an edit after a pause at once (a debounce there only adds its
// delay to what the user waits), edits in a burst once, after the burst. Run with a long delay so that
// the two cases cannot be confused on a slow machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticsService } from '../../server/src/handlers/diagnostics';
import { DEFAULT_SETTINGS } from '../../server/src/analysis/types';

function service(delayMs: number) {
  const uri = 'file:///sched/Dockerfile';
  let document = TextDocument.create(uri, 'dockerfile', 1, 'FROM debian:12\n');
  const published: { version: number; at: number }[] = [];
  const connection = { sendDiagnostics: async (p: { version: number }) => void published.push({ version: p.version, at: performance.now() }), console: { error() {}, warn() {} } };
  const documents = { get: (u: string) => (u === uri ? document : undefined), all: () => [document] };
  const settings = { forDocument: async () => ({ analysis: DEFAULT_SETTINGS }), serverOptions: { docsUrl: 'https://example.test/rules' } };
  const svc = new DiagnosticsService(connection as never, documents as never, settings as never, {}, delayMs);
  const edit = (text: string) => {
    document = TextDocument.create(uri, 'dockerfile', document.version + 1, text);
    svc.schedule(uri);
  };
  return { uri, svc, edit, published };
}

const until = async (done: () => boolean, ms: number) => {
  const end = performance.now() + ms;
  while (!done() && performance.now() < end) await new Promise((r) => setTimeout(r, 5));
};

test('diagnostics scheduling: a lone edit is analysed at once, without the debounce delay', async () => {
  const { edit, published } = service(3000);
  const sent = performance.now();
  edit('FROM debian:12\nRUN echo hi\n');
  await until(() => published.length > 0, 5000);
  assert.equal(published.length, 1);
  assert.ok(published[0].at - sent < 1500, `${(published[0].at - sent).toFixed(0)} ms (the delay is 3,000 ms)`);
});

test('diagnostics scheduling: a burst of edits is analysed once, after it ends, for its last version', async () => {
  const { svc, edit, published } = service(300);
  edit('FROM debian:12\n# 1\n');
  await until(() => published.length > 0, 5000);
  const before = svc.stats.analysed;
  for (let i = 2; i < 12; i++) edit(`FROM debian:12\n# ${i}\n`);
  await until(() => published.some((p) => p.version === 12), 5000);
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(published[published.length - 1].version, 12);
  assert.ok(svc.stats.analysed - before <= 2, `${svc.stats.analysed - before} analyses for 10 quick edits`);
});
