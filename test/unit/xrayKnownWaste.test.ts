// Known waste in the final filesystem: every kind the report names is found where its tools leave it,
// measured from the bytes written, attributed to the layer that wrote most of it, tied to the static rule
// whose fix removes it; and what is not waste (a JRE, a deleted cache, a base image's own files) is not reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseImageArchive } from '../../server/src/xray/archive';
import { matchKnownWaste } from '../../server/src/xray/knownWaste';
import { WASTE_LABELS, WASTE_RULES } from '../../server/src/xray/findings';
import { allRules } from '../../server/src/analysis/rules/index';
import type { KnownWasteKind, XrayFinding } from '../../server/src/xray/types';
import { chunked, dockerArchive, type TestImage } from '../support/imageArchive';
import type { TarItem } from '../support/tarWriter';

/** One file per kind (path in the image, bytes), each with distinct content. */
const KINDS: [KnownWasteKind, string, string, number][] = [
  ['apt-lists', '/var/lib/apt/lists', 'var/lib/apt/lists/deb_InRelease', 2001],
  ['apt-cache', '/var/cache/apt', 'var/cache/apt/pkgcache.bin', 2002],
  ['apk-cache', '/var/cache/apk', 'var/cache/apk/APKINDEX.tar.gz', 2003],
  ['dnf-cache', '/var/cache/dnf', 'var/cache/dnf/repodata.xml', 2004],
  ['pip-cache', '/root/.cache/pip', 'root/.cache/pip/wheels/ab/x.whl', 2005],
  ['npm-cache', '/home/node/.npm', 'home/node/.npm/_cacache/index-v5/aa', 2006],
  ['yarn-cache', '/usr/local/share/.cache/yarn', 'usr/local/share/.cache/yarn/v6/pkg.tgz', 2007],
  ['pnpm-store', '/root/.local/share/pnpm/store', 'root/.local/share/pnpm/store/v3/files/aa', 2008],
  ['go-build-cache', '/root/.cache/go-build', 'root/.cache/go-build/aa/bb-d', 2009],
  ['go-mod-cache', '/go/pkg/mod', 'go/pkg/mod/cache/download/x.zip', 2010],
  ['maven-repository', '/root/.m2/repository', 'root/.m2/repository/org/x/x.jar', 2011],
  ['gradle-cache', '/home/gradle/.gradle/caches', 'home/gradle/.gradle/caches/modules-2/x.jar', 2012],
  ['cargo-registry', '/usr/local/cargo/registry', 'usr/local/cargo/registry/cache/x.crate', 2013],
  ['pycache', '/app/pkg/__pycache__', 'app/pkg/__pycache__/mod.cpython-312.pyc', 2014],
  ['git-folder', '/app/.git', 'app/.git/objects/pack/pack-1.pack', 2015],
  ['test-folders', '/app/node_modules/lib/test', 'app/node_modules/lib/test/spec.js', 2016],
  ['source-maps', '/app/dist/main.js.map', 'app/dist/main.js.map', 2017],
  ['toolchain', '/usr/local/go', 'usr/local/go/bin/go', 2018],
  ['node-dev-dependencies', '/app/node_modules', 'app/node_modules/jest/index.js', 2019],
];

const payload = (n: number, seed: string) => {
  const b = Buffer.alloc(n, seed);
  b.write(seed, 0);
  return b;
};

const appManifest = JSON.stringify({ name: 'app', dependencies: { lib: '1' }, devDependencies: { jest: '29', typescript: '5' } });

function image(): TestImage {
  const userLayer: TarItem[] = KINDS.map(([, , path, size]) => ({ path, content: payload(size, path) }));
  userLayer.push({ path: 'app/package.json', content: appManifest });
  userLayer.push({ path: 'app/node_modules/lib/index.js', content: payload(500, 'lib') });
  return {
    layers: [
      // Base image: its own test folder, pycache and a JRE are not the Dockerfile's doing.
      [
        { path: 'usr/lib/python3.11/test/test_x.py', content: payload(40_000, 'basetest') },
        { path: 'usr/lib/python3.11/__pycache__/os.pyc', content: payload(30_000, 'basepyc') },
        { path: 'usr/lib/jvm/java-17-openjdk/lib/modules', content: payload(50_000, 'jre') },
      ],
      userLayer,
      // A later layer deletes a cache that an earlier layer left: gone from the final filesystem.
      [{ path: 'var/cache/yum/leftover', content: payload(5000, 'yum') }],
      [{ path: 'var/cache/.wh.yum' }],
    ],
    history: [{ createdBy: 'ADD base /' }, { createdBy: 'RUN install everything' }, { createdBy: 'RUN yum' }, { createdBy: 'RUN rm -rf /var/cache/yum' }],
  };
}

const dockerfile = 'FROM python:3.11\nRUN install everything\nRUN yum\nRUN rm -rf /var/cache/yum\n';

test('known waste: every kind is found, measured from the bytes written and tied to its line and rule', async () => {
  const r = await analyseImageArchive(chunked(dockerArchive(image()).archive), { dockerfileText: dockerfile, minFindingBytes: 0 });
  const waste = r.findings.filter((f): f is Extract<XrayFinding, { kind: 'known-waste' }> => f.kind === 'known-waste');
  const found = new Map(waste.map((f) => [f.waste, f]));
  for (const [kind, root, , size] of KINDS) {
    const f = found.get(kind);
    assert.ok(f, `${kind} found`);
    assert.equal(f.path, root, kind);
    assert.equal(f.bytes, size, kind);
    assert.equal(f.files, 1, kind);
    assert.equal(f.layerIndex, 1, kind);
    assert.equal(f.line, 2, kind);
    assert.equal(f.ruleId, WASTE_RULES[kind], kind);
    assert.ok(f.message.startsWith(`${(size / 1000).toFixed(1)} kB of ${WASTE_LABELS[kind]}`), f.message);
  }
  // Nothing from the base image, nothing deleted later, no JRE (it has no javac), no production dependency.
  assert.deepEqual(waste.map((f) => f.waste).sort(), KINDS.map(([k]) => k).sort());
});

test('known waste: a JDK is a toolchain (javac), and a toolchain from the base image is reported on the FROM line', async () => {
  const img: TestImage = {
    layers: [
      [
        { path: 'opt/java/openjdk/bin/javac', content: payload(3000, 'javac') },
        { path: 'opt/java/openjdk/lib/modules', content: payload(70_000, 'mods') },
        { path: 'usr/lib/gcc/x86_64-linux-gnu/12/cc1', content: payload(90_000, 'cc1') },
      ],
      [{ path: 'app/app.jar', content: payload(1000, 'jar') }],
    ],
    history: [{ createdBy: 'ADD jdk /' }, { createdBy: 'COPY app.jar /app/' }],
  };
  const r = await analyseImageArchive(chunked(dockerArchive(img).archive), { dockerfileText: 'FROM eclipse-temurin:17-jdk\nCOPY app.jar /app/\n', minFindingBytes: 0 });
  const tools = r.findings.filter((f) => f.kind === 'known-waste' && f.waste === 'toolchain');
  assert.deepEqual(tools.map((f) => f.kind === 'known-waste' && [f.path, f.bytes, f.layerIndex, f.line, f.ruleId]), [
    ['/usr/lib/gcc', 90_000, 0, 1, 'toolchain-in-final-stage'],
    ['/opt/java/openjdk', 73_000, 0, 1, 'toolchain-in-final-stage'],
  ]);
  assert.match(tools[0].message, /^90\.0 kB of build toolchain \(\/usr\/lib\/gcc\) come with the base image into the final image$/);
});

test('known waste: scattered kinds are reported per layer with a pattern; bytes go to the layer that wrote most', async () => {
  const img: TestImage = {
    layers: [
      [{ path: 'app/a/__pycache__/x.pyc', content: payload(3000, 'a') }, { path: 'app/b/__pycache__/y.pyc', content: payload(4000, 'b') }],
      [{ path: 'root/.cache/pip/one', content: payload(1000, 'p1') }],
      [{ path: 'root/.cache/pip/two', content: payload(9000, 'p2') }],
    ],
    history: [{ createdBy: 'COPY . /app' }, { createdBy: 'RUN pip install a' }, { createdBy: 'RUN pip install b' }],
  };
  const r = await analyseImageArchive(chunked(dockerArchive(img).archive), { dockerfileText: 'FROM scratch\nCOPY . /app\nRUN pip install a\nRUN pip install b\n', minFindingBytes: 0 });
  const waste = r.findings.flatMap((f) => (f.kind === 'known-waste' ? [[f.waste, f.path, f.bytes, f.files, f.layerIndex]] : []));
  assert.deepEqual(waste, [
    ['pip-cache', '/root/.cache/pip', 10_000, 2, 2],
    ['pycache', '/app/**/__pycache__', 7000, 2, 0],
  ]);
});

test('known waste: the matcher leaves ordinary paths alone', () => {
  for (const path of ['/usr/bin/test', '/app/src/index.js', '/app/testdata.json', '/var/lib/apt/extended_states', '/app/.gitignore', '/app/main.js']) {
    assert.equal(matchKnownWaste(path), undefined, path);
  }
  assert.deepEqual(matchKnownWaste('/home/app/.cache/pip/x'), { waste: 'pip-cache', root: '/home/app/.cache/pip' });
});

test('known waste: every rule id a finding names is a real Multistage rule, and every kind has a label', () => {
  const ids = new Set(allRules.map((r) => r.id));
  for (const [kind, id] of Object.entries(WASTE_RULES)) assert.ok(ids.has(id), `${kind} → ${id}`);
  assert.ok(ids.has('cleanup-in-later-layer') && ids.has('chown-in-separate-layer'));
  for (const [kind] of KINDS) assert.ok(WASTE_LABELS[kind]);
});

test('findings: a chown in a later layer names chown-in-separate-layer on the copied files', async () => {
  const img: TestImage = {
    layers: [
      [{ path: 'app', type: 'dir' }, { path: 'app/bundle.js', content: payload(50_000, 'js') }],
      [{ path: 'app', type: 'dir' }, { path: 'app/bundle.js', content: payload(50_000, 'js') }],
    ],
    history: [{ createdBy: 'COPY . /app # buildkit' }, { createdBy: 'RUN /bin/sh -c chown -R node /app # buildkit' }],
  };
  const r = await analyseImageArchive(chunked(dockerArchive(img).archive), { dockerfileText: 'FROM scratch\nCOPY . /app\nRUN chown -R node /app\n' });
  const f = r.findings.find((x) => x.kind === 'overwritten');
  assert.ok(f && f.kind === 'overwritten');
  assert.deepEqual([f.layerIndex, f.line, f.byLine, f.bytes, f.ruleId], [0, 2, 3, 50_000, 'chown-in-separate-layer']);
});

test('docs/xray.md: the known-waste table names every kind with the rule the findings carry', async () => {
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'xray.md'), 'utf8');
  const rows = new Map([...doc.matchAll(/^\| ([a-z-]+) \| .* \| (?:`([a-z-]+)`|—) \|$/gm)].map((m) => [m[1], m[2]]));
  assert.deepEqual([...rows.keys()].sort(), Object.keys(WASTE_LABELS).sort());
  for (const [kind, rule] of rows) assert.equal(rule, WASTE_RULES[kind as KnownWasteKind], kind);
});
