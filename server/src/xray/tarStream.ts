// A streaming tar reader: bytes go in as they arrive, entries come out with their bodies in pieces, and
// nothing but one header (and pax / GNU long-name records, capped) is ever buffered. Image exports nest
// tars (each layer is a tar inside the export's tar), so the reader is push-based: the outer reader's
// entry body can be written straight into an inner reader without a second pass or a temporary file.
//
// Formats: POSIX ustar (name + prefix), pax extended headers (path, linkpath, size), GNU long names
// (`L` / `K` records) and base-256 sizes, which together cover what Docker (Go's archive/tar), BuildKit,
// containerd and Podman (containers/storage) write.

export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

export interface TarEntry {
  /** As stored in the archive (no normalisation): `./usr/bin/x`, `usr/lib/`, `blobs/sha256/…`. */
  path: string;
  type: TarEntryType;
  /** Bytes of the body that follows (0 for links and folders). */
  size: number;
  /** Target of a symlink or hard link. */
  linkPath: string;
}

/** What to do with an entry's body. Omitted callbacks skip the bytes. */
export interface TarEntrySink {
  data?(chunk: Buffer): void | Promise<void>;
  end?(): void | Promise<void>;
}

export class TarFormatError extends Error {
  override name = 'TarFormatError';
}

const BLOCK = 512;
/** pax and GNU long-name records are metadata: a bigger one is a broken or hostile archive. */
const MAX_META_RECORD = 1 << 20;

type State =
  | { kind: 'header' }
  | { kind: 'meta'; record: 'pax' | 'global' | 'longname' | 'longlink'; remaining: number; padding: number; parts: Buffer[] }
  | { kind: 'body'; remaining: number; padding: number; sink: TarEntrySink | undefined }
  | { kind: 'padding'; remaining: number }
  | { kind: 'ended' };

interface Pending {
  path?: string;
  linkPath?: string;
  size?: number;
}

export class TarReader {
  private state: State = { kind: 'header' };
  /** A header being assembled across chunks. */
  private header = Buffer.alloc(BLOCK);
  private headerFill = 0;
  private pending: Pending = {};
  private offset = 0;
  private zeroBlocks = 0;
  entries = 0;

  /**
   * @param onEntry called per entry; the returned sink receives its body. It may return promises: the
   *   reader waits for them, so a slow consumer (a gunzip stream) holds the input back.
   * @param label names the archive in error messages ("layer blobs/sha256/ab12…").
   */
  constructor(
    private readonly onEntry: (entry: TarEntry) => TarEntrySink | undefined,
    private readonly label = 'archive',
  ) {}

  get ended(): boolean {
    return this.state.kind === 'ended';
  }

  async write(chunk: Buffer): Promise<void> {
    let at = 0;
    while (at < chunk.length) {
      const state = this.state;
      switch (state.kind) {
        case 'ended':
          // Trailing zero padding after the end-of-archive marker (tar pads to its record size).
          this.offset += chunk.length - at;
          return;
        case 'header': {
          const take = Math.min(BLOCK - this.headerFill, chunk.length - at);
          chunk.copy(this.header, this.headerFill, at, at + take);
          this.headerFill += take;
          at += take;
          if (this.headerFill === BLOCK) {
            this.headerFill = 0;
            await this.onHeaderBlock();
            this.offset += BLOCK;
          }
          break;
        }
        case 'meta': {
          const take = Math.min(state.remaining, chunk.length - at);
          state.parts.push(chunk.subarray(at, at + take));
          state.remaining -= take;
          at += take;
          this.offset += take;
          if (state.remaining === 0) {
            this.onMetaRecord(state.record, Buffer.concat(state.parts));
            this.state = state.padding > 0 ? { kind: 'padding', remaining: state.padding } : { kind: 'header' };
          }
          break;
        }
        case 'body': {
          const take = Math.min(state.remaining, chunk.length - at);
          if (take > 0) {
            const piece = chunk.subarray(at, at + take);
            state.remaining -= take;
            at += take;
            this.offset += take;
            const r = state.sink?.data?.(piece);
            if (r) await r;
          }
          if (state.remaining === 0) {
            const r = state.sink?.end?.();
            if (r) await r;
            this.state = state.padding > 0 ? { kind: 'padding', remaining: state.padding } : { kind: 'header' };
          }
          break;
        }
        case 'padding': {
          const take = Math.min(state.remaining, chunk.length - at);
          state.remaining -= take;
          at += take;
          this.offset += take;
          if (state.remaining === 0) this.state = { kind: 'header' };
          break;
        }
      }
    }
  }

  /** The input is over: anything but a clean end between entries is a truncated archive. */
  async end(): Promise<void> {
    const state = this.state;
    if (state.kind === 'ended') return;
    if (state.kind === 'header' && this.headerFill === 0) {
      // Go's archive/tar also accepts an archive that stops after an entry without the zero blocks.
      this.state = { kind: 'ended' };
      return;
    }
    if (state.kind === 'padding' && this.headerFill === 0) {
      this.state = { kind: 'ended' };
      return;
    }
    const where = state.kind === 'body' ? `inside an entry (${state.remaining} bytes missing)` : 'inside a header';
    throw new TarFormatError(`${this.label} is truncated: it ends ${where} at byte ${this.offset + this.headerFill}`);
  }

  private async onHeaderBlock(): Promise<void> {
    const h = this.header;
    if (isZeroBlock(h)) {
      // Two zero blocks end the archive; a single one followed by EOF is accepted as well.
      this.zeroBlocks++;
      if (this.zeroBlocks >= 2) this.state = { kind: 'ended' };
      return;
    }
    if (this.zeroBlocks > 0) throw new TarFormatError(`${this.label}: data after an end-of-archive block at byte ${this.offset}`);
    if (!checksumMatches(h)) {
      throw new TarFormatError(`${this.label} is not a tar archive (header checksum mismatch at byte ${this.offset})`);
    }
    const typeflag = h[156];
    // Metadata records describe the next entry; a pax size applies to that entry, not to another record.
    const meta = META_RECORDS[typeflag];
    const headerSize = parseNumber(h, 124, 12, this.label, this.offset);
    const size = meta ? headerSize : this.pending.size ?? headerSize;
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (meta) {
      if (size > MAX_META_RECORD) throw new TarFormatError(`${this.label}: a ${meta} record of ${size} bytes at byte ${this.offset} is too large`);
      this.state = size === 0 ? { kind: 'header' } : { kind: 'meta', record: meta, remaining: size, padding, parts: [] };
      return;
    }
    const entry: TarEntry = {
      path: this.pending.path ?? headerPath(h),
      type: entryType(typeflag),
      size: typeflag === 0x31 || typeflag === 0x32 || typeflag === 0x35 ? 0 : size,
      linkPath: this.pending.linkPath ?? readString(h, 157, 100),
    };
    this.pending = {};
    this.entries++;
    // Links and folders carry no body even when the size field says otherwise: skip what is there.
    const sink = this.onEntry(entry);
    if (entry.size === 0) {
      const r = sink?.end?.();
      if (r) await r;
      const skip = size + padding;
      this.state = skip > 0 ? { kind: 'padding', remaining: skip } : { kind: 'header' };
      return;
    }
    this.state = { kind: 'body', remaining: size, padding, sink };
  }

  private onMetaRecord(record: 'pax' | 'global' | 'longname' | 'longlink', data: Buffer): void {
    if (record === 'longname') this.pending.path = cString(data);
    else if (record === 'longlink') this.pending.linkPath = cString(data);
    else if (record === 'pax') {
      const attrs = parsePax(data, this.label, this.offset);
      if (attrs.path !== undefined) this.pending.path = attrs.path;
      if (attrs.linkpath !== undefined) this.pending.linkPath = attrs.linkpath;
      if (attrs.size !== undefined) {
        const size = Number(attrs.size);
        if (!Number.isSafeInteger(size) || size < 0) throw new TarFormatError(`${this.label}: bad pax size "${attrs.size}" at byte ${this.offset}`);
        this.pending.size = size;
      }
    }
    // Global pax headers (`g`) set defaults nobody relies on in image layers: read and ignored.
  }
}

const META_RECORDS: Record<number, 'pax' | 'global' | 'longname' | 'longlink'> = {
  0x78: 'pax', // x
  0x67: 'global', // g
  0x4c: 'longname', // L
  0x4b: 'longlink', // K
};

function entryType(flag: number): TarEntryType {
  switch (flag) {
    case 0:
    case 0x30: // '0'
    case 0x37: // '7' contiguous file
    case 0x53: // 'S' GNU sparse: the stored bytes
      return 'file';
    case 0x31:
      return 'hardlink';
    case 0x32:
      return 'symlink';
    case 0x35:
      return 'directory';
    default:
      return 'other';
  }
}

/** Whether a block is a tar header (valid checksum) or the all-zero block of an empty archive. */
export function looksLikeTarHeader(block: Buffer): boolean {
  return block.length >= BLOCK && (isZeroBlock(block) || checksumMatches(block));
}

function isZeroBlock(h: Buffer): boolean {
  for (let i = 0; i < BLOCK; i++) if (h[i] !== 0) return false;
  return true;
}

/** The checksum is the sum of the header's bytes with its own field read as spaces (some writers sum signed bytes). */
function checksumMatches(h: Buffer): boolean {
  const stored = parseOctal(h, 148, 8);
  if (stored === undefined) return false;
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : h[i];
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return stored === unsigned || stored === signed;
}

function parseOctal(h: Buffer, at: number, length: number): number | undefined {
  let value = 0;
  let digits = 0;
  for (let i = at; i < at + length; i++) {
    const c = h[i];
    if (c === 0 || c === 0x20) {
      if (digits > 0) break;
      continue;
    }
    if (c < 0x30 || c > 0x37) return undefined;
    value = value * 8 + (c - 0x30);
    digits++;
  }
  return digits > 0 ? value : 0;
}

function parseNumber(h: Buffer, at: number, length: number, label: string, offset: number): number {
  if (h[at] & 0x80) {
    // GNU base-256: big-endian, the first byte's top bit is the marker.
    let value = h[at] & 0x7f;
    for (let i = at + 1; i < at + length; i++) value = value * 256 + h[i];
    if (!Number.isSafeInteger(value)) throw new TarFormatError(`${label}: entry size out of range at byte ${offset}`);
    return value;
  }
  const value = parseOctal(h, at, length);
  if (value === undefined) throw new TarFormatError(`${label}: bad size field at byte ${offset}`);
  return value;
}

function readString(h: Buffer, at: number, length: number): string {
  let end = at;
  while (end < at + length && h[end] !== 0) end++;
  return h.toString('utf8', at, end);
}

function cString(data: Buffer): string {
  const nul = data.indexOf(0);
  return data.toString('utf8', 0, nul < 0 ? data.length : nul);
}

function headerPath(h: Buffer): string {
  const name = readString(h, 0, 100);
  // POSIX ustar ("ustar\0") splits long names into prefix + name; GNU ("ustar  ") uses that space otherwise.
  const posix = h[257] === 0x75 && h.toString('latin1', 257, 263) === 'ustar\0';
  if (!posix) return name;
  const prefix = readString(h, 345, 155);
  return prefix ? `${prefix}/${name}` : name;
}

/** pax records: "<length> <key>=<value>\n", length counting the whole record. */
function parsePax(data: Buffer, label: string, offset: number): Record<string, string> {
  const attrs: Record<string, string> = {};
  let at = 0;
  while (at < data.length) {
    if (data[at] === 0) break;
    const space = data.indexOf(0x20, at);
    const length = space < 0 ? NaN : Number(data.toString('latin1', at, space));
    if (!Number.isInteger(length) || length <= 0 || at + length > data.length) {
      throw new TarFormatError(`${label}: malformed pax header before byte ${offset}`);
    }
    const record = data.toString('utf8', space + 1, at + length - 1);
    const eq = record.indexOf('=');
    if (eq > 0) attrs[record.slice(0, eq)] = record.slice(eq + 1);
    at += length;
  }
  return attrs;
}
