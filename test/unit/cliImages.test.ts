// `multistage images` and the image sizes `multistage lint` uses, through the bundled server/out/cli.js:
// figures from the bundled snapshot with no network unless --online, per platform, and the registry's
// figures with --online (Debian's docker-registry on 127.0.0.1).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requirePart } from '../support/requirements';
import { HOW_TO_GET_REGISTRY, listen, pushIndex, registryAvailable, startRegistry, type RunningRegistry } from '../registry/registryHarness';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'server', 'out', 'cli.js');
const SNAPSHOT = JSON.parse(readFileSync(join(ROOT, 'server/src/images/snapshot/snapshot.json'), 'utf8')) as { generatedAt: string; entries: { image: string; platform: string; compressedBytes: number; layers: number; newestLayerAt: string }[] };
const dir = mkdtempSync(join(tmpdir(), 'multistage-cli-images-'));
let registry: RunningRegistry | undefined;

/** Runs the CLI without blocking this process, so servers in this test can answer it. */
function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, HOME: dir, DOCKER_CONFIG: join(dir, 'no-docker-config'), NO_COLOR: '1' } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

function entry(image: string, platform: string) {
  const found = SNAPSHOT.entries.find((e) => e.image === image && e.platform === platform);
  assert.ok(found, `the snapshot has ${image} for ${platform}`);
  return found;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

before(async () => {
  spawnSync(process.execPath, ['esbuild.config.mjs'], { cwd: ROOT });
  writeFileSync(join(dir, 'Dockerfile'), 'ARG V=22\nFROM --platform=linux/arm64 node:${V} AS build\nRUN npm ci\nFROM node:22\nCOPY --from=build /app /app\nFROM build AS again\nFROM scratch\nFROM ghcr.io/acme/tool:1\n');
  writeFileSync(join(dir, 'runtime.Dockerfile'), 'FROM node:22\nCOPY server.js /app/\nCMD ["node", "/app/server.js"]\n');
  if (registryAvailable) {
    registry = await startRegistry();
    await pushIndex(registry, 'acme/app', 'latest', { 'linux/amd64': [6_000, 300], 'linux/arm64': [5_000] }, 'oci');
  }
});

after(async () => {
  await registry?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('cli images: each FROM image with its snapshot size, layers and build date, and smaller variants with the saving; stages and scratch left out', async () => {
  const r = await cli('images', join(dir, 'Dockerfile'), '--platform', 'linux/amd64');
  assert.equal(r.code, 0, r.stderr);
  const arm = entry('node:22', 'linux/arm64');
  const amd = entry('node:22', 'linux/amd64');
  const slim = entry('node:22-slim', 'linux/amd64');
  const lines = r.stdout.split('\n');
  // FROM --platform wins over --platform; the ARG default is resolved.
  assert.equal(lines[0], `${join(dir, 'Dockerfile')}:2  node:22  linux/arm64`);
  assert.equal(lines[1], `  ${mb(arm.compressedBytes)} compressed (${arm.compressedBytes.toLocaleString('en-US')} bytes) · ${arm.layers} layers · built ${arm.newestLayerAt} · from the bundled snapshot of ${SNAPSHOT.generatedAt}`);
  assert.ok(r.stdout.includes(`${join(dir, 'Dockerfile')}:4  node:22  linux/amd64\n  ${mb(amd.compressedBytes)} compressed`));
  const pct = Math.round(((amd.compressedBytes - slim.compressedBytes) / amd.compressedBytes) * 100);
  assert.ok(r.stdout.includes(`  smaller: node:22-slim  ${mb(slim.compressedBytes)}, saves ${mb(amd.compressedBytes - slim.compressedBytes)} (${pct} %)\n`), r.stdout);
  assert.match(r.stdout, /smaller: node:22-alpine .* — Alpine: musl libc, apk/);
  assert.match(r.stdout, /:8 {2}ghcr\.io\/acme\/tool:1 {2}linux\/amd64\n {2}no size known: not in the bundled snapshot of \d{4}-\d{2}-\d{2}; --online asks the registry/);
  assert.doesNotMatch(r.stdout, /scratch|again/);
});

test('cli images --format json: figures and savings as numbers; a missing file is exit 2', async () => {
  const r = await cli('images', join(dir, 'runtime.Dockerfile'), '--format', 'json', '--platform', 'linux/arm64');
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.snapshotDate, SNAPSHOT.generatedAt);
  assert.equal(out.online, false);
  const [row] = out.images;
  assert.equal(row.compressedBytes, entry('node:22', 'linux/arm64').compressedBytes);
  const slim = row.variants.find((v: any) => v.image === 'node:22-slim');
  assert.equal(slim.savingBytes, row.compressedBytes - entry('node:22-slim', 'linux/arm64').compressedBytes);
  assert.equal((await cli('images', join(dir, 'nope.Dockerfile'))).code, 2);
  assert.equal((await cli('images', join(dir, 'runtime.Dockerfile'), '--format', 'xml')).code, 2);
});

test('cli lint: larger-base-than-needed states the saving from the snapshot for the platform asked, without any network request', async () => {
  const hits: string[] = [];
  const fake = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.writeHead(404).end();
  });
  const port = await listen(fake);
  try {
    writeFileSync(join(dir, 'offline.Dockerfile'), `FROM node:22\nCOPY server.js /app/\nFROM 127.0.0.1:${port}/x/y\nCOPY --from=0 /app /app\n`);
    for (const platform of ['linux/amd64', 'linux/arm64']) {
      const r = await cli('lint', join(dir, 'runtime.Dockerfile'), '--format', 'json', '--platform', platform);
      const message = JSON.parse(r.stdout).find((p: any) => p.rule === 'larger-base-than-needed').message as string;
      const saving = entry('node:22', platform).compressedBytes - entry('node:22-slim', platform).compressedBytes;
      assert.ok(message.includes(`(${mb(saving)} smaller to download, per the bundled image-size snapshot of ${SNAPSHOT.generatedAt})`), message);
    }
    await cli('lint', join(dir, 'offline.Dockerfile'), '--format', 'json');
    await cli('images', join(dir, 'offline.Dockerfile'));
    assert.deepEqual(hits, [], 'without --online nothing asks a registry');
    await cli('images', join(dir, 'offline.Dockerfile'), '--online');
    assert.ok(hits.length > 0, 'with --online the registry is asked');
  } finally {
    fake.closeAllConnections();
    await new Promise((r) => fake.close(r));
  }
});

test('cli images/lint --online: the registry\'s figures and digest', async (t) => {
  if (!requirePart(t, 'docker-registry', registryAvailable, HOW_TO_GET_REGISTRY)) return;
  const file = join(dir, 'registry.Dockerfile');
  writeFileSync(file, `FROM ${registry!.host}/acme/app:latest\nCOPY a /a\n`);
  const images = await cli('images', file, '--online', '--format', 'json', '--platform', 'linux/arm64');
  assert.equal(images.code, 0, images.stderr);
  const [row] = JSON.parse(images.stdout).images;
  assert.equal(row.source, 'registry');
  assert.equal(row.layers, 1);
  assert.equal(row.compressedBytes, 5_000, 'the one layer of the arm64 image');
  const offline = await cli('lint', file);
  assert.doesNotMatch(offline.stdout, /Pin to the digest/);
  const online = await cli('lint', file, '--online');
  assert.match(online.stdout, /fix: Pin to the digest .*\(sha256:[0-9a-f]{12}/);
});
