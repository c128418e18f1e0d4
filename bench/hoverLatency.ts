// Hover and diagnostics latency with image sizes in play, through the bundled server
// over stdio, as an editor sees it. Wall time: waiting is what a user feels here.
//   cold hover   – first hover of an image: registry on loopback (real docker-registry), token-free
//   warm hover   – the same hover again: answered from the memory cache
//   peers        – an LSP round trip that does no work (hover on a blank line), and the bare HTTP
//                  requests a cold lookup needs (manifest index, platform manifest, config) with fetch
//   diagnostics  – latency of an edit's diagnostics, idle vs. while a hover waits on a registry that
//                  takes 5 s to answer: hovers must never delay diagnostics.
//
//   node esbuild.config.mjs && npx tsx bench/hoverLatency.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspClient } from '../test/support/lspClient';
import { listen, pushIndex, registryAvailable, startRegistry, HOW_TO_GET_REGISTRY } from '../test/registry/registryHarness';
import { summarize } from './stats';

if (!registryAvailable) {
  console.error(`docker-registry is missing: ${HOW_TO_GET_REGISTRY}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const COLD_IMAGES = 15;
  const WARM_HOVERS = 60;
  const EDITS = 30;
  const temp = mkdtempSync(join(tmpdir(), 'multistage-bench-hover-'));
  const registry = await startRegistry();
  const slowServer = createServer((_req, res) => setTimeout(() => !res.destroyed && res.writeHead(404).end(), 5000).unref());
  const slowHost = `127.0.0.1:${await listen(slowServer)}`;
  const client = new LspClient(['--stdio'], { ...process.env, HOME: temp, DOCKER_CONFIG: join(temp, 'none') });
  client.settings['*'] = { platform: 'linux/amd64', imageSizes: { timeoutMs: 2000 } };

  async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
    const start = performance.now();
    const value = await fn();
    return [performance.now() - start, value];
  }

  try {
    for (let i = 0; i < COLD_IMAGES; i++) {
      await pushIndex(registry, `bench/app${i}`, '1.0', { 'linux/amd64': [200_000, 50_000, 1_000], 'linux/arm64': [190_000] }, i % 2 ? 'oci' : 'docker');
    }
    await client.initialize({ storagePath: join(temp, 'storage') }, { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true } } });
    const uri = 'file:///bench/Dockerfile';
    const lines = Array.from({ length: COLD_IMAGES }, (_, i) => `FROM ${registry.host}/bench/app${i}:1.0 AS s${i}`);
    client.open(uri, `${lines.join('\n')}\n\n`, 1);
    await client.diagnosticsFor(uri, 1);
    const hover = (line: number, character = 8) => client.request('textDocument/hover', { textDocument: { uri }, position: { line, character } });

    const floor: number[] = [];
    for (let i = 0; i < WARM_HOVERS; i++) floor.push((await timed(() => hover(COLD_IMAGES, 0)))[0]);

    const bareHttp: number[] = [];
    for (let i = 0; i < COLD_IMAGES; i++) {
      const [ms] = await timed(async () => {
        const index: any = await (await fetch(`http://${registry.host}/v2/bench/app${i}/manifests/1.0`, { headers: { accept: 'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json' } })).json();
        const entry = index.manifests.find((m: any) => m.platform?.architecture === 'amd64');
        const manifest: any = await (await fetch(`http://${registry.host}/v2/bench/app${i}/manifests/${entry.digest}`, { headers: { accept: entry.mediaType } })).json();
        await (await fetch(`http://${registry.host}/v2/bench/app${i}/blobs/${manifest.config.digest}`)).arrayBuffer();
      });
      bareHttp.push(ms);
    }

    const cold: number[] = [];
    for (let i = 0; i < COLD_IMAGES; i++) {
      const [ms, result] = await timed(() => hover(i));
      if (!/\(251,000 bytes\)/.test(result?.contents?.value ?? '')) throw new Error(`cold hover ${i} did not show the size: ${JSON.stringify(result)}`);
      cold.push(ms);
    }
    const warm: number[] = [];
    for (let i = 0; i < WARM_HOVERS; i++) warm.push((await timed(() => hover(i % COLD_IMAGES)))[0]);

    // Diagnostics latency per edit: idle, then while a hover waits on the 5 s registry.
    let version = 1;
    const editLatency = async (extra: string): Promise<number> => {
      version++;
      const v = version;
      const start = performance.now();
      client.change(uri, v, `${lines.join('\n')}\n${extra}\nRUN echo ${v}\n`);
      await client.diagnosticsFor(uri, v, 10_000);
      return performance.now() - start;
    };
    const idle: number[] = [];
    for (let i = 0; i < EDITS; i++) idle.push(await editLatency(''));
    const slowLine = `FROM ${slowHost}/slow/app:1`;
    await editLatency(slowLine);
    const pendingHover = client.request('textDocument/hover', { textDocument: { uri }, position: { line: COLD_IMAGES, character: 8 } }, 20_000);
    const busy: number[] = [];
    for (let i = 0; i < EDITS; i++) busy.push(await editLatency(slowLine));
    const [slowHoverMs] = await timed(() => pendingHover);

    const rows: [string, number[]][] = [
      ['LSP round trip, no work (peer floor)', floor],
      ['bare HTTP: index + manifest + config (peer)', bareHttp],
      ['cold hover (registry on loopback)', cold],
      ['warm hover (memory cache)', warm],
      ['diagnostics per edit, idle', idle],
      ['diagnostics per edit, 5 s registry pending', busy],
    ];
    console.log(`\nhover latency bench — ${new Date().toISOString()} — ${COLD_IMAGES} images, ${WARM_HOVERS} warm hovers, ${EDITS} edits per row\n`);
    console.log('| measurement | p50 ms | p95 ms | max ms |');
    console.log('|---|---:|---:|---:|');
    for (const [label, samples] of rows) {
      const s = summarize(samples);
      console.log(`| ${label} | ${s.p50Ms.toFixed(2)} | ${s.p95Ms.toFixed(2)} | ${s.maxMs.toFixed(2)} |`);
    }
    const p50 = (xs: number[]) => summarize(xs).p50Ms;
    console.log(`\nratios (p50): cold hover / bare HTTP = ${(p50(cold) / p50(bareHttp)).toFixed(2)}; warm hover / LSP floor = ${(p50(warm) / p50(floor)).toFixed(2)}; diagnostics with 5 s registry pending / idle = ${(p50(busy) / p50(idle)).toFixed(2)}`);
    console.log(`hover on the 5 s registry answered after ${slowHoverMs.toFixed(0)} ms (timeout 2000 ms) with what was known`);
  } finally {
    await client.shutdown();
    await registry.stop();
    slowServer.closeAllConnections();
    slowServer.close();
    rmSync(temp, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
