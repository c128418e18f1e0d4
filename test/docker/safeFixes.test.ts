// Fix-all on a real engine: a sample that draws every kind of safe fix is built before and after
// `fixAllText`, and the two images' files are compared (path, type, mode, owner, size, SHA-256, link
// target). They must be identical except where a fix's purpose is to remove something: apt's lists
// (apt-lists-not-removed) and npm's cache folder (package-cache-kept). The ADDs of archives (one of
// them quoted) must still extract, and the file must build after the fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDocker } from '../../server/src/docker/runner';
import { fixAllText } from '../../server/src/analysis/fixAll';
import { memoryContext } from '../support/analysis';
import { requirePart } from '../support/requirements';
import { DOCKER, engineAvailable, imagesAvailable, SETUP_HINT } from './dockerTestSupport';
import { packageReposAvailable } from './rewriteSamples';

const BASE = 'node:20-slim';
const TAG = 'multistage-test/rules/safe-fixes';

const DOCKERFILE = [
  'FROM debian:bookworm-slim',
  'RUN echo built > /hello',
  '',
  `FROM ${BASE}`,
  'RUN apt-get update',
  'RUN apt-get install -y --no-install-recommends less',
  'RUN apt-get update && apt-get install -y --no-install-recommends file',
  'ADD app.sh /usr/local/bin/app.sh',
  'ADD conf/ /etc/app/',
  'ADD payload.tar /opt/payload/',
  'ADD "vendor.tar.gz" /opt/vendor/',
  'COPY --from=0 /hello /hello',
  'WORKDIR /srv',
  'COPY package.json ./',
  'RUN npm install --no-audit --no-fund',
  'CMD ["node", "-e", "require(\'is-number\')"]',
  '',
].join('\n');

/** Paths every build writes anew (logs with timestamps, debconf's and dpkg's backups). */
const VOLATILE = /^\/(var\/log\/|var\/cache\/debconf\/|var\/lib\/dpkg\/[^/]*-old$|var\/cache\/ldconfig\/)/;
/** What the applied fixes are for: only these may differ. */
const PURPOSE: Record<string, RegExp> = {
  'apt-lists-not-removed': /^\/var\/lib\/apt\/lists(\/|$)/,
  'package-cache-kept': /^\/root\/\.npm(\/|$)/,
  'pip-cache-kept': /^\/root\/\.cache\/pip(\/|$)/,
};
/** Files the container runtime puts in every container. */
const RUNTIME = new Set(['/etc/hostname', '/etc/hosts', '/etc/resolv.conf', '/.dockerenv']);

async function fileList(image: string): Promise<Map<string, string>> {
  // A .pyc starts with the time its source was written (install time): its body is hashed without
  // that 16-byte header, so two builds of the same install compare equal.
  const prune = 'find / -xdev \\( -path /proc -o -path /sys -o -path /dev \\) -prune -o';
  const script = `${prune} -printf "%p\\t%y\\t%m\\t%U\\t%G\\t%s\\t%l\\n" && `
    + `${prune} -type f ! -name '*.pyc' -exec sha256sum {} + && `
    + `${prune} -type f -name '*.pyc' -exec sh -c 'for f; do printf "%s  %s\\n" "$(tail -c +17 "$f" | sha256sum | cut -c1-64)" "$f"; done' _ {} +`;
  const r = await runDocker(['run', '--rm', '--network', 'none', '--entrypoint', 'sh', image, '-c', script], { dockerPath: DOCKER, timeoutMs: 120_000 });
  assert.equal(r.code, 0, r.stderr);
  const entries = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const meta = line.split('\t');
    if (meta.length === 7) {
      entries.set(meta[0], meta.slice(1).join(' '));
      continue;
    }
    const hash = /^([0-9a-f]{64}) {2}(.*)$/.exec(line);
    if (hash) entries.set(hash[2], `${entries.get(hash[2]) ?? ''} ${hash[1]}`);
  }
  return entries;
}

async function build(dir: string, dockerfile: string, tag: string): Promise<void> {
  writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  const r = await runDocker(['build', '-q', '-t', tag, dir], { dockerPath: DOCKER, env: { DOCKER_BUILDKIT: '1' }, timeoutMs: 300_000 });
  assert.equal(r.code, 0, `${tag} does not build:\n${r.stderr}`);
}

test('fix-all on a real engine: the image after the safe fixes has the same files, but for what the fixes remove', { timeout: 600_000 }, async (t) => {
  if (!requirePart(t, 'a Docker engine', await engineAvailable(), SETUP_HINT)) return;
  if (!requirePart(t, `the base images ${BASE} and debian:bookworm-slim`, await imagesAvailable([BASE, 'debian:bookworm-slim']), SETUP_HINT)) return;
  const dir = mkdtempSync(join(tmpdir(), 'multistage-safe-fixes-'));
  t.after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await runDocker(['image', 'rm', `${TAG}:before`, `${TAG}:after`, `${TAG}:broken`], { dockerPath: DOCKER });
  });
  writeFileSync(join(dir, 'app.sh'), '#!/bin/sh\necho app\n', { mode: 0o755 });
  mkdirSync(join(dir, 'conf'));
  writeFileSync(join(dir, 'conf', 'app.conf'), 'level=info\n');
  mkdirSync(join(dir, 'tarsrc'));
  writeFileSync(join(dir, 'tarsrc', 'inner.txt'), 'from the archive\n');
  execFileSync('tar', ['-cf', join(dir, 'payload.tar'), '-C', join(dir, 'tarsrc'), 'inner.txt']);
  execFileSync('tar', ['-czf', join(dir, 'vendor.tar.gz'), '-C', join(dir, 'tarsrc'), 'inner.txt']);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'sample', version: '1.0.0', private: true, dependencies: { 'is-number': '7.0.0' } }));
  writeFileSync(join(dir, '.dockerignore'), 'tarsrc\nDockerfile\n');

  const files: Record<string, string> = {};
  for (const name of ['app.sh', 'conf/app.conf', 'package.json', '.dockerignore']) files[name] = readFileSync(join(dir, name), 'utf8');
  for (const name of ['payload.tar', 'vendor.tar.gz']) files[name] = readFileSync(join(dir, name), 'utf8');
  const { text: fixed, applied } = fixAllText(DOCKERFILE, { context: memoryContext(files, dir) });
  const rules = new Set(applied.map((a) => a.rule));
  for (const rule of ['add-instead-of-copy', 'apt-lists-not-removed', 'apt-update-in-separate-layer', 'numeric-stage-reference', 'package-cache-kept']) {
    assert.ok(rules.has(rule), `fix-all did not apply ${rule}: ${JSON.stringify(applied)}\n${fixed}`);
  }
  assert.match(fixed, /^COPY app\.sh /m);
  assert.match(fixed, /^ADD payload\.tar /m, 'a local archive stays ADD');
  assert.match(fixed, /^ADD "vendor\.tar\.gz" /m, 'a quoted archive stays ADD');

  await build(dir, DOCKERFILE, `${TAG}:before`);
  await build(dir, fixed, `${TAG}:after`);
  const before = await fileList(`${TAG}:before`);
  const after = await fileList(`${TAG}:after`);
  assert.ok(before.has('/opt/payload/inner.txt') && before.has('/opt/vendor/inner.txt'), 'the sample extracts its archives');
  assert.ok(after.has('/opt/payload/inner.txt') && after.has('/opt/vendor/inner.txt'), 'the archives are still extracted after the fixes');

  const purposes = [...rules].map((r) => PURPOSE[r]).filter(Boolean);
  const { unexpected, removedOnPurpose } = differences(before, after, purposes);
  assert.deepEqual(unexpected, []);
  assert.ok(removedOnPurpose > 0, 'the fixes removed the lists and the cache');
  assert.ok(![...after.keys()].some((p) => /^\/var\/lib\/apt\/lists\/.+_Packages/.test(p)), 'no package lists left after the fix');

  // The comparison can fail: a fix that turned the quoted archive into COPY (as add-instead-of-copy would
  // if it misread the quotes) leaves the archive unextracted, and the file lists show it.
  await build(dir, fixed.replace('ADD "vendor.tar.gz"', 'COPY "vendor.tar.gz"'), `${TAG}:broken`);
  const broken = differences(after, await fileList(`${TAG}:broken`), []).unexpected;
  assert.ok(broken.some((d) => d.startsWith('/opt/vendor/inner.txt:')), `the comparison missed the unextracted archive: ${broken.join('\n')}`);
});

function differences(before: Map<string, string>, after: Map<string, string>, purposes: RegExp[]): { unexpected: string[]; removedOnPurpose: number } {
  const unexpected: string[] = [];
  let removedOnPurpose = 0;
  for (const path of new Set([...before.keys(), ...after.keys()])) {
    if (RUNTIME.has(path) || VOLATILE.test(path)) continue;
    if (before.get(path) === after.get(path)) continue;
    if (purposes.some((p) => p.test(path))) {
      // npm writes a log of the clean command itself into ~/.npm/_logs, inside the folder it cleans.
      if (after.has(path) && !before.has(path) && !/^\/root\/\.npm\/_logs\//.test(path)) unexpected.push(`${path}: added by a fix that only removes`);
      else removedOnPurpose++;
      continue;
    }
    unexpected.push(`${path}: ${before.get(path) ?? '(absent)'} → ${after.get(path) ?? '(absent)'}`);
  }
  return { unexpected, removedOnPurpose };
}

test('fix-all on a real engine: pip install --no-cache-dir leaves out pip\'s cache and nothing else', { timeout: 300_000 }, async (t) => {
  const image = 'python:3.11-slim';
  if (!requirePart(t, 'a Docker engine', await engineAvailable(), SETUP_HINT)) return;
  if (!requirePart(t, `the base image ${image}`, await imagesAvailable([image]), SETUP_HINT)) return;
  if (!requirePart(t, 'pip package repositories (the local mirror on 172.17.0.1:8765 on offline machines)', await packageReposAvailable(), 'run test/setup/mirrors.sh')) return;
  const dir = mkdtempSync(join(tmpdir(), 'multistage-safe-fixes-pip-'));
  t.after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await runDocker(['image', 'rm', `${TAG}:pip-before`, `${TAG}:pip-after`], { dockerPath: DOCKER });
  });
  const dockerfile = `FROM ${image}\nRUN pip install six==1.16.0 || pip install six\nRUN pip install idna\nCMD ["python", "-c", "import six, idna"]\n`;
  const { text: fixed, applied } = fixAllText(dockerfile);
  assert.deepEqual([...new Set(applied.map((a) => a.rule))], ['pip-cache-kept'], fixed);
  assert.equal((fixed.match(/--no-cache-dir/g) ?? []).length, 3, fixed);
  await build(dir, dockerfile, `${TAG}:pip-before`);
  await build(dir, fixed, `${TAG}:pip-after`);
  const before = await fileList(`${TAG}:pip-before`);
  const after = await fileList(`${TAG}:pip-after`);
  // Only pip's cache may differ. (Through the offline kit's plain-HTTP mirror, Debian's pip writes no
  // cache at all, so there the images must be identical.)
  const { unexpected } = differences(before, after, [PURPOSE['pip-cache-kept']]);
  assert.deepEqual(unexpected, []);
  assert.ok(after.has('/usr/local/lib/python3.11/dist-packages/idna/__init__.py') || [...after.keys()].some((p) => /\/idna\/__init__\.py$/.test(p)), 'the packages are installed after the fix');
});
