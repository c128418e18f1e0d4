// Broken, truncated or foreign input must be rejected with a message that says what is wrong, promptly:
// the analyser reads a pipe from an engine, and a hang there would hang the CLI and the editor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { analyseImageArchive } from '../../server/src/xray/archive';
import { chunked, dockerArchive, ociArchive, type TestImage } from '../support/imageArchive';
import { tarArchive } from '../support/tarWriter';

const image: TestImage = {
  layers: [
    [{ path: 'bin', type: 'dir' }, { path: 'bin/tool', content: Buffer.alloc(9000, 't') }],
    [{ path: 'data', type: 'dir' }, { path: 'data/blob', content: Buffer.alloc(70_000, 'd') }],
  ],
  history: [{ createdBy: 'ADD tool /bin/tool' }, { createdBy: 'COPY blob /data/blob' }],
};

/** Settles within `ms` or fails the test: a rejection that never comes is a hang. */
async function rejectsPromptly(promise: Promise<unknown>, pattern: RegExp, ms = 5000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    await assert.rejects(Promise.race([promise, timeout]), pattern);
  } finally {
    clearTimeout(timer);
  }
}

test('xray errors: garbage bytes are not a tar archive', async () => {
  const garbage = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251));
  await rejectsPromptly(analyseImageArchive(chunked(garbage), {}), /not a tar archive \(header checksum mismatch at byte 0\)/);
});

test('xray errors: an empty input says the save command produced nothing', async () => {
  await rejectsPromptly(analyseImageArchive(chunked(Buffer.alloc(0)), {}), /the image archive is empty/);
});

test('xray errors: an archive cut inside a layer is truncated, at every cut point', async () => {
  const { archive } = dockerArchive(image);
  // Cuts inside the first layer's folder, inside a header, inside a body, and just before the end.
  for (const cut of [700, 1600, 5000, 12_000, 40_000, archive.length - 2000]) {
    await rejectsPromptly(analyseImageArchive(chunked(archive.subarray(0, cut)), {}), /truncated|missing from the archive|neither manifest\.json/);
  }
});

test('xray errors: a truncated gzip layer in an OCI archive names the layer', async () => {
  const layer = tarArchive(image.layers[1]);
  const gz = gzipSync(layer);
  const broken = gz.subarray(0, gz.length - 40);
  const good = ociArchive(image, { gzip: true });
  // Same archive with the second layer's blob replaced by its truncated version, under the same name.
  const digest = (await import('node:crypto')).createHash('sha256').update(gz).digest('hex');
  const members = [
    { path: `blobs/sha256/${digest}`, content: broken },
    ...extractMembers(good.archive).filter((m) => m.path !== `blobs/sha256/${digest}`),
  ];
  await rejectsPromptly(analyseImageArchive(chunked(tarArchive(members)), {}), new RegExp(`cannot read blobs/sha256/${digest}: .*(unexpected end of file|truncated)`));
});

test('xray errors: a tar that is no image export, and a manifest naming a missing layer', async () => {
  await rejectsPromptly(
    analyseImageArchive(chunked(tarArchive([{ path: 'hello.txt', content: 'hi' }])), {}),
    /neither manifest\.json nor index\.json.*hello\.txt/,
  );
  const manifest = JSON.stringify([{ Config: 'c.json', Layers: ['abc/layer.tar'] }]);
  await rejectsPromptly(
    analyseImageArchive(chunked(tarArchive([{ path: 'c.json', content: '{}' }, { path: 'manifest.json', content: manifest }])), {}),
    /layer abc\/layer\.tar is missing from the archive/,
  );
  await rejectsPromptly(analyseImageArchive(chunked(tarArchive([{ path: 'manifest.json', content: '[{"Config": 1}]' }])), {}), /manifest\.json names no image/);
  await rejectsPromptly(analyseImageArchive(chunked(tarArchive([{ path: 'manifest.json', content: '[{"Conf' }])), {}), /manifest\.json is not valid JSON/);
});

test('xray errors: a zstd-compressed layer is reported as such, not as garbage', async () => {
  const zstd = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.alloc(600, 1)]);
  const members = [
    { path: 'blobs/sha256/' + 'a'.repeat(64), content: zstd },
    { path: 'c.json', content: '{"history":[]}' },
    { path: 'manifest.json', content: JSON.stringify([{ Config: 'c.json', Layers: ['blobs/sha256/' + 'a'.repeat(64)] }]) },
  ];
  await rejectsPromptly(analyseImageArchive(chunked(tarArchive(members)), {}), /zstd-compressed/);
});

test('xray errors: a broken pax header inside a layer is rejected with the layer named', async () => {
  const layer = Buffer.from(tarArchive([{ path: `x/${'n'.repeat(120)}`, content: 'data' }]));
  // The pax record length ("NN path=…") is the first bytes of the second block: make it nonsense.
  layer.write('zz', 512, 'latin1');
  const members = [
    { path: 'l/layer.tar', content: layer },
    { path: 'c.json', content: '{}' },
    { path: 'manifest.json', content: JSON.stringify([{ Config: 'c.json', Layers: ['l/layer.tar'] }]) },
  ];
  await rejectsPromptly(analyseImageArchive(chunked(tarArchive(members)), {}), /cannot read l\/layer\.tar: layer l\/layer\.tar: malformed pax header/);
});

test('xray errors: cancelling stops the analysis with an AbortError', async () => {
  const controller = new AbortController();
  const { archive } = dockerArchive(image);
  async function* slow(): AsyncGenerator<Buffer> {
    let sent = 0;
    for await (const chunk of chunked(archive, 1024)) {
      yield chunk;
      sent += chunk.length;
      if (sent > 4096) controller.abort();
    }
  }
  await rejectsPromptly(analyseImageArchive(slow(), { signal: controller.signal }), { name: 'AbortError' } as unknown as RegExp);
});

/** Members of an archive the test wrote (headers are plain ustar: name, size, padding). */
function extractMembers(archive: Buffer): { path: string; content: Buffer }[] {
  const out: { path: string; content: Buffer }[] = [];
  for (let at = 0; at + 512 <= archive.length; ) {
    const name = archive.toString('utf8', at, at + 100).replace(/\0.*$/s, '');
    if (name === '') break;
    const size = parseInt(archive.toString('latin1', at + 124, at + 136).replace(/\0.*$/s, ''), 8);
    const type = String.fromCharCode(archive[at + 156]);
    if (type === '0') out.push({ path: name, content: archive.subarray(at + 512, at + 512 + size) });
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

test('xray errors: a cancel while the input stalls settles at once and stops the source', async () => {
  const controller = new AbortController();
  const { archive } = dockerArchive(image);
  const { Readable } = await import('node:stream');
  // A stream that gives a few kB and then nothing, as a hung engine would.
  const stalled = new Readable({ read() {} });
  stalled.push(archive.subarray(0, 3000));
  setTimeout(() => controller.abort(), 50);
  await rejectsPromptly(analyseImageArchive(stalled, { signal: controller.signal }), { name: 'AbortError' } as unknown as RegExp, 2000);
  assert.equal(stalled.destroyed, true);
});

test('xray errors: an already cancelled signal reads nothing', async () => {
  let pulled = 0;
  async function* source(): AsyncGenerator<Buffer> {
    pulled++;
    yield Buffer.alloc(512);
  }
  await rejectsPromptly(analyseImageArchive(source(), { signal: AbortSignal.abort() }), { name: 'AbortError' } as unknown as RegExp);
  assert.equal(pulled, 0);
});
