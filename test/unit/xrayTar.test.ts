// The streaming tar reader against the format: ustar prefix names, pax records (path, linkpath, size),
// GNU long names and links, base-256 sizes, global headers, and bodies split at every possible byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TarReader, type TarEntry } from '../../server/src/xray/tarStream';
import { tarArchive, type TarItem } from '../support/tarWriter';

interface Read {
  entry: TarEntry;
  body: string;
}

async function readAll(archive: Buffer, chunkSize: number): Promise<Read[]> {
  const out: Read[] = [];
  const reader = new TarReader((entry) => {
    const parts: Buffer[] = [];
    const read = { entry, body: '' };
    out.push(read);
    return {
      data: (c) => void parts.push(Buffer.from(c)),
      end: () => void (read.body = Buffer.concat(parts).toString('latin1')),
    };
  }, 'test archive');
  for (let at = 0; at < archive.length; at += chunkSize) await reader.write(archive.subarray(at, at + chunkSize));
  await reader.end();
  return out;
}

const long = `usr/share/${'a-rather-long-folder-name/'.repeat(8)}the-file.txt`;
const items: TarItem[] = [
  { path: 'etc', type: 'dir' },
  { path: 'etc/hostname', content: 'box\n' },
  { path: long, content: 'long body' },
  { path: 'usr/lib/libx.so', type: 'symlink', linkPath: `/${long}` },
  { path: 'usr/lib/hard', type: 'hardlink', linkPath: long },
  { path: 'dev/pipe', type: 'fifo' },
  { path: 'big', content: Buffer.alloc(1500, 'b') },
];

test('tar reader: pax and GNU long names and links read back, whatever the chunk size', async () => {
  for (const longNames of ['pax', 'gnu'] as const) {
    const archive = tarArchive(items, longNames);
    for (const chunkSize of [1, 7, 511, 512, 513, 4096, archive.length]) {
      const read = await readAll(archive, chunkSize);
      assert.deepEqual(
        read.map((r) => [r.entry.path, r.entry.type, r.entry.size, r.entry.linkPath, r.body]),
        [
          ['etc/', 'directory', 0, '', ''],
          ['etc/hostname', 'file', 4, '', 'box\n'],
          [long, 'file', 9, '', 'long body'],
          ['usr/lib/libx.so', 'symlink', 0, `/${long}`, ''],
          ['usr/lib/hard', 'hardlink', 0, long, ''],
          ['dev/pipe', 'other', 0, '', ''],
          ['big', 'file', 1500, '', 'b'.repeat(1500)],
        ],
        `${longNames}, chunks of ${chunkSize}`,
      );
    }
  }
});

/** Rewrites a header block in place (fn edits it), then fixes its checksum. */
function patchHeader(archive: Buffer, at: number, fn: (h: Buffer) => void): void {
  const h = archive.subarray(at, at + 512);
  fn(h);
  h.write('        ', 148, 'latin1');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
}

test('tar reader: ustar prefix + name, and a base-256 size field', async () => {
  const archive = tarArchive([{ path: 'name.txt', content: 'x'.repeat(600) }, { path: 'after', content: 'ok' }]);
  patchHeader(archive, 0, (h) => {
    h.write('some/prefix/folder\0', 345, 'latin1');
    h.fill(0, 124, 136);
    h[124] = 0x80;
    h.writeUInt16BE(600, 134);
  });
  const read = await readAll(archive, 100);
  assert.deepEqual(read.map((r) => [r.entry.path, r.entry.size, r.body.length]), [['some/prefix/folder/name.txt', 600, 600], ['after', 2, 2]]);
});

test('tar reader: a pax size overrides the header, a global pax header is skipped, a hard link body is skipped', async () => {
  const paxData = Buffer.from('12 size=700\n');
  const global = Buffer.from('16 comment=hey\n');
  const header = (name: string, type: string, size: number): Buffer => {
    const h = Buffer.alloc(512);
    h.write(name, 0, 'latin1');
    h.write('0000644\0', 100, 'latin1');
    h.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
    h.write(type, 156, 'latin1');
    h.write('ustar\0' + '00', 257, 'latin1');
    patchHeader(h, 0, () => undefined);
    return h;
  };
  const pad = (n: number) => Buffer.alloc((512 - (n % 512)) % 512);
  const archive = Buffer.concat([
    header('global', 'g', global.length), global, pad(global.length),
    header('pax', 'x', paxData.length), paxData, pad(paxData.length),
    header('file.bin', '0', 0), Buffer.alloc(700, 'p'), pad(700),
    // Some writers give a hard link the size of its target; nothing of it is the link's content.
    header('link', '1', 100), Buffer.alloc(100, 'L'), pad(100),
    header('last', '0', 1), Buffer.from('z'), pad(1),
    Buffer.alloc(1024),
  ]);
  const read = await readAll(archive, 333);
  assert.deepEqual(read.map((r) => [r.entry.path, r.entry.type, r.entry.size, r.body.length]), [
    ['file.bin', 'file', 700, 700],
    ['link', 'hardlink', 0, 0],
    ['last', 'file', 1, 1],
  ]);
});

test('tar reader: trailing zero padding after the end blocks is accepted; data after one end block is not', async () => {
  const archive = Buffer.concat([tarArchive([{ path: 'a', content: 'a' }]), Buffer.alloc(8192)]);
  assert.equal((await readAll(archive, 1000)).length, 1);
  const valid = tarArchive([{ path: 'a', content: 'a' }]);
  const bad = Buffer.concat([valid.subarray(0, 1024 + 512), tarArchive([{ path: 'b', content: 'b' }])]);
  await assert.rejects(readAll(bad, 512), /data after an end-of-archive block/);
});
