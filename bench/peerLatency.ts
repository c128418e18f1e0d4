// Edit → diagnostics, Multistage beside the peer language server (dockerfile-language-server-nodejs,
// the one VS Code's Docker extensions shipped), same edits, same run. Both servers get the same 800-line
// file and the same keystrokes (a RUN line typed character by character, incremental didChange), in
// turns: one keystroke to Multistage, wait for its diagnostics, one to the peer, wait for its, then a
// pause at typing speed. Each edit waits for its own answer, so this measures one edit's latency, not
// how a burst is coalesced (bench/editorLatency.ts does that). Multistage's own analysis time of the
// same texts (in process, bundled as it ships) is printed beside it: the goal is a p95 below the peer's
// and within 20 ms of the analysis.
//
// The peer is not a dependency: install it anywhere and point at it, e.g.
//   npm install --prefix /tmp/peer dockerfile-language-server-nodejs@0.15.0
//   MULTISTAGE_PEER_LSP=/tmp/peer/node_modules/dockerfile-language-server-nodejs/bin/docker-langserver \
//     node --import tsx bench/peerLatency.ts
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { LspClient } from '../test/support/lspClient';
import { loadShipped } from './shippedAnalysis';
import { percentile, round, table } from './stats';
import { syntheticDockerfile } from './syntheticDockerfile';
import { ContextFilesCache } from '../server/src/workspace/contextFiles';

const TYPED = 'RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function peerServer(): string | undefined {
  const candidates = [process.env.MULTISTAGE_PEER_LSP, join(__dirname, '..', 'node_modules', 'dockerfile-language-server-nodejs', 'bin', 'docker-langserver')];
  return candidates.find((c): c is string => !!c && existsSync(c));
}

interface Side {
  name: string;
  client: LspClient;
  uri: string;
  text: string;
  latencies: number[];
}

/** Sends one keystroke and resolves with the time until the first diagnostics published after it. */
async function keystroke(side: Side, version: number, line: number, character: number, ch: string): Promise<number> {
  const sent = performance.now();
  const answered = side.client.waitForDiagnostics(side.uri, 30_000, (d) => d.receivedAt >= sent && (d.version === undefined || d.version >= version));
  side.client.notify('textDocument/didChange', {
    textDocument: { uri: side.uri, version },
    contentChanges: [{ range: { start: { line, character }, end: { line, character } }, text: ch }],
  });
  return (await answered).receivedAt - sent;
}

export async function measurePeerLatency(options: { lines: number; edits: number; pauseMs: number }) {
  const peer = peerServer();
  if (!peer) throw new Error('dockerfile-language-server-nodejs not found: set MULTISTAGE_PEER_LSP (see the top of bench/peerLatency.ts)');
  const text = syntheticDockerfile(options.lines);
  const sides: Side[] = [
    { name: 'Multistage', client: await LspClient.start(), uri: 'file:///bench/peer-latency/ms/Dockerfile', text, latencies: [] },
    { name: 'dockerfile-language-server-nodejs 0.15', client: await LspClient.start({ command: [process.execPath, peer, '--stdio'] }), uri: 'file:///bench/peer-latency/peer/Dockerfile', text, latencies: [] },
  ];
  const shipped = loadShipped();
  const context = new ContextFilesCache().contextFor('/bench/peer-latency/ms', '/bench/peer-latency/ms/Dockerfile');
  const analysisMs: number[] = [];
  try {
    for (const side of sides) {
      const opened = side.client.waitForDiagnostics(side.uri, 30_000);
      side.client.open(side.uri, text, 1);
      await opened;
    }
    const middle = Math.floor(options.lines / 2);
    let current = text;
    let line = middle;
    let character = 0;
    for (let i = 0; i < options.edits; i++) {
      const ch = TYPED[i % TYPED.length];
      // Alternate who goes first, so neither always follows the other's work.
      const order = i % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) side.latencies.push(await keystroke(side, i + 2, line, character, ch));
      const lines = current.split('\n');
      lines[line] = lines[line].slice(0, character) + ch + lines[line].slice(character);
      current = lines.join('\n');
      // Multistage's analysis of the same text, timed in this process, with the build context the
      // server gives it (the Dockerfile's folder: here one that does not exist, read through the cache).
      const t0 = performance.now();
      shipped.analyze(current, { context });
      analysisMs.push(performance.now() - t0);
      if (ch === '\n') {
        line++;
        character = 0;
      } else character++;
      await sleep(options.pauseMs);
    }
  } finally {
    await Promise.all(sides.map((s) => s.client.shutdown()));
  }
  const summary = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { p50: round(percentile(sorted, 50), 1), p95: round(percentile(sorted, 95), 1), max: round(sorted[sorted.length - 1], 1) };
  };
  return {
    lines: options.lines,
    edits: options.edits,
    multistage: summary(sides[0].latencies),
    peer: summary(sides[1].latencies),
    analysis: summary(analysisMs),
    load: loadavg().map((l) => round(l, 1)),
  };
}

if (require.main === module) {
  const edits = Number(process.argv.find((a) => a.startsWith('--edits='))?.slice(8) ?? 300);
  measurePeerLatency({ lines: 800, edits, pauseMs: 40 }).then((r) => {
    console.log(`edit → diagnostics, 800-line file, ${r.edits} keystrokes each, wall ms (load average ${r.load.join(' ')})`);
    console.log(table(['', 'p50', 'p95', 'max'], [
      ['Multistage server', r.multistage.p50, r.multistage.p95, r.multistage.max],
      ['peer server', r.peer.p50, r.peer.p95, r.peer.max],
      ['Multistage analysis alone (in process)', r.analysis.p50, r.analysis.p95, r.analysis.max],
    ]));
    console.log(`Multistage p95 ${r.multistage.p95 < r.peer.p95 ? 'below' : 'NOT below'} the peer's; ${round(r.multistage.p95 - r.analysis.p95, 1)} ms above its own analysis p95 (goal ≤ 20)`);
  }).catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
