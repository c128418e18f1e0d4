// A tiny tar writer for tests: ustar headers, pax records or GNU `L`/`K` records for long names, and the
// two zero blocks at the end. Independent of the reader under test (server/src/xray/tarStream.ts), so a
// test that reads what this wrote checks the reader against the format, not against itself.

export type TarType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'fifo';

export interface TarItem {
  path: string;
  type?: TarType;
  content?: Buffer | string;
  linkPath?: string;
}

/** How names longer than ustar's 100 bytes are written. */
export type LongNames = 'pax' | 'gnu';

const BLOCK = 512;
const TYPEFLAG: Record<TarType, string> = { file: '0', dir: '5', symlink: '2', hardlink: '1', fifo: '6' };

export function body(item: TarItem): Buffer {
  const c = item.content ?? '';
  return typeof c === 'string' ? Buffer.from(c) : c;
}

/** Zero bytes that round `size` up to a whole block. */
export function padding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

export const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);

/** The header block(s) of one entry: long-name records first when needed. */
export function headerBlocks(item: { path: string; type?: TarType; size: number; linkPath?: string }, longNames: LongNames = 'pax'): Buffer {
  const type = item.type ?? 'file';
  const blocks: Buffer[] = [];
  const name = type === 'dir' && !item.path.endsWith('/') ? `${item.path}/` : item.path;
  const link = item.linkPath ?? '';
  const longName = Buffer.byteLength(name) > 100;
  const longLink = Buffer.byteLength(link) > 100;
  if (longName || longLink) {
    if (longNames === 'pax') {
      const records = [longName ? paxRecord('path', name) : '', longLink ? paxRecord('linkpath', link) : ''].join('');
      const data = Buffer.from(records);
      blocks.push(ustarHeader('PaxHeaders/x', 'x', data.length, ''), data, padding(data.length));
    } else {
      if (longLink) {
        const data = Buffer.from(`${link}\0`);
        blocks.push(ustarHeader('././@LongLink', 'K', data.length, '', true), data, padding(data.length));
      }
      if (longName) {
        const data = Buffer.from(`${name}\0`);
        blocks.push(ustarHeader('././@LongLink', 'L', data.length, '', true), data, padding(data.length));
      }
    }
  }
  blocks.push(ustarHeader(truncate(name, 100), TYPEFLAG[type], item.size, truncate(link, 100), longNames === 'gnu'));
  return Buffer.concat(blocks);
}

/** A whole archive in memory (small test archives only). */
export function tarArchive(items: readonly TarItem[], longNames: LongNames = 'pax'): Buffer {
  const parts: Buffer[] = [];
  for (const item of items) {
    const content = item.type === undefined || item.type === 'file' ? body(item) : Buffer.alloc(0);
    parts.push(headerBlocks({ ...item, size: content.length }, longNames), content, padding(content.length));
  }
  parts.push(END_OF_ARCHIVE);
  return Buffer.concat(parts);
}

/** "<length> <key>=<value>\n" where length counts the whole record, its own digits included. */
function paxRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(rest) + 1;
  while (String(length).length + Buffer.byteLength(rest) !== length) length = String(length).length + Buffer.byteLength(rest);
  return `${length}${rest}`;
}

function truncate(text: string, bytes: number): string {
  const b = Buffer.from(text);
  return b.length <= bytes ? text : b.subarray(0, bytes).toString('latin1');
}

function ustarHeader(name: string, typeflag: string, size: number, linkName: string, gnu = false): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(typeflag === '5' ? 0o755 : 0o644, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  if (size > 0o77777777777) {
    // GNU base-256 for sizes beyond 8 GiB - 1.
    h[124] = 0x80;
    let v = size;
    for (let i = 135; i > 124; i--) {
      h[i] = v % 256;
      v = Math.floor(v / 256);
    }
  } else h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(1_700_000_000, 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write(typeflag, 156, 'ascii');
  h.write(linkName, 157, 100, 'utf8');
  if (gnu) h.write('ustar  \0', 257, 'latin1');
  else {
    h.write('ustar\0', 257, 'latin1');
    h.write('00', 263, 'latin1');
  }
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

function octal(value: number, field: number): string {
  return `${value.toString(8).padStart(field - 1, '0')}\0`;
}
