// Item 3: the bundled server under typing. Opens an 800-line Dockerfile, then types 500 characters
// into it (a new RUN line, character by character, as incremental didChange notifications) twice:
// once at typing speed and once as fast as the pipe takes them. An edit's latency is the time from
// sending it to the first published diagnostics for that version or a newer one: a dropped version is
// "served" by the newer analysis that replaced it, which is exactly what the user sees.
import { LspClient } from '../test/support/lspClient';
import { round, summarize, type TimingSummary } from './stats';
import { syntheticDockerfile } from './syntheticDockerfile';

export interface TypingRun extends TimingSummary {
  edits: number;
  intervalMs: number;
  /** Analyses the server ran during the run, and versions it skipped because a newer one was waiting. */
  analysed: number;
  droppedStaleVersions: number;
  /** From the last edit sent to the diagnostics for it. */
  lastEditToDiagnosticsMs: number;
}

export interface EditorLatencyResult {
  lines: number;
  typing: TypingRun;
  burst: TypingRun;
}

interface Stats {
  analysed: number;
  droppedStaleVersions: number;
}

const TYPED = 'RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*';

/** The i-th keystroke: characters of TYPED, then Enter, again and again. */
function keystroke(i: number): string {
  const k = i % (TYPED.length + 1);
  return k === TYPED.length ? '\n' : TYPED[k];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function typeInto(client: LspClient, uri: string, startVersion: number, startLine: number, edits: number, intervalMs: number): Promise<TypingRun> {
  const sentAt: number[] = [];
  const servedAt: number[] = new Array(edits).fill(NaN);
  let lastVersionSeen = startVersion;
  const stop = client.onDiagnostics((d) => {
    if (d.uri !== uri || d.version === undefined) return;
    for (let v = lastVersionSeen + 1; v <= d.version; v++) {
      const i = v - startVersion - 1;
      if (i >= 0 && i < edits && Number.isNaN(servedAt[i])) servedAt[i] = d.receivedAt;
    }
    lastVersionSeen = Math.max(lastVersionSeen, d.version);
  });
  const before: Stats = await client.request('multistage/stats', null, 60_000);
  const finalVersion = startVersion + edits;
  const done = client.waitForDiagnostics(uri, 60_000 + edits * intervalMs, (d) => (d.version ?? 0) >= finalVersion);

  let line = startLine;
  let character = 0;
  for (let i = 0; i < edits; i++) {
    const text = keystroke(i);
    client.notify('textDocument/didChange', {
      textDocument: { uri, version: startVersion + i + 1 },
      contentChanges: [{ range: { start: { line, character }, end: { line, character } }, text }],
    });
    sentAt.push(performance.now());
    if (text === '\n') {
      line++;
      character = 0;
    } else {
      character++;
    }
    if (intervalMs > 0) await sleep(intervalMs);
  }
  await done;
  stop();
  const after: Stats = await client.request('multistage/stats', null, 60_000);
  const latencies = sentAt.map((t, i) => servedAt[i] - t);
  const summary = summarize(latencies);
  return {
    ...summary,
    edits,
    intervalMs,
    analysed: after.analysed - before.analysed,
    droppedStaleVersions: after.droppedStaleVersions - before.droppedStaleVersions,
    lastEditToDiagnosticsMs: round(latencies[latencies.length - 1]),
  };
}

export async function measureEditorLatency(options: { lines: number; edits: number; typingIntervalMs: number }): Promise<EditorLatencyResult> {
  const client = await LspClient.start();
  try {
    const uri = 'file:///bench/latency/Dockerfile';
    const text = syntheticDockerfile(options.lines);
    const opened = client.waitForDiagnostics(uri, 30_000);
    client.open(uri, text, 1);
    await opened;
    // Type into a fresh line in the middle of the file, so every edit changes a real instruction.
    const middle = Math.floor(options.lines / 2);
    const typing = await typeInto(client, uri, 1, middle, options.edits, options.typingIntervalMs);
    const burst = await typeInto(client, uri, 1 + options.edits, middle + Math.ceil(options.edits / (TYPED.length + 1)) + 1, options.edits, 0);
    return { lines: options.lines, typing, burst };
  } finally {
    await client.shutdown();
  }
}
