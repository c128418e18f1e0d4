// The OCI registry the hover tests and the UI smoke test read image sizes from: Debian's docker-registry
// on 127.0.0.1 with a free port and storage in the scratch folder. The runner owns it (not the extension
// host), so it sits in a process group the runner stops at the end, also on failure or Ctrl+C.
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { spawnGroup } from './processGroup.mjs';

export const REGISTRY_BINARY = process.env.MULTISTAGE_E2E_REGISTRY_BINARY ?? '/usr/bin/docker-registry';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Returns { host, stop } once /v2/ answers, or undefined when docker-registry is not installed. */
export async function startLocalRegistry(scratch) {
  if (!existsSync(REGISTRY_BINARY)) return undefined;
  const port = await freePort();
  const config = join(scratch, 'registry.yml');
  writeFileSync(config, [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(scratch, 'registry-data')}`,
    'http:',
    `  addr: 127.0.0.1:${port}`,
    '',
  ].join('\n'));
  const logFile = join(scratch, 'registry.log');
  const registry = spawnGroup(REGISTRY_BINARY, ['serve', config], { env: process.env, cwd: scratch, logFile });
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/v2/`)).status === 200) break;
    } catch {
      // not listening yet
    }
    const exited = await Promise.race([registry.exited, new Promise((r) => setTimeout(() => r(undefined), 100))]);
    if (exited || Date.now() > deadline) {
      await registry.stop();
      throw new Error(`docker-registry did not start (see ${logFile})`);
    }
  }
  return { host: `127.0.0.1:${port}`, stop: registry.stop };
}
