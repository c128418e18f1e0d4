// Reads an image export (`docker save`, `podman save`, an OCI archive) in one pass. The export's order is
// not the image's (classic `docker save` writes manifest.json last; OCI blobs come sorted by digest), so
// every member is classified as it streams by: a tar (maybe gzip-compressed) becomes a layer table, a
// small JSON document is kept for the manifest walk, anything else is skipped. Only tables and JSON are
// held; file contents pass through a hash and are gone.
import { createGunzip, type Gunzip } from 'node:zlib';
import { once } from 'node:events';
import { Readable, pipeline } from 'node:stream';
import { TarReader, TarFormatError, looksLikeTarHeader, type TarEntry, type TarEntrySink } from './tarStream';
import { emptyLayerTable, layerTableReader, type LayerTable } from './layerTable';

export interface ArchiveContents {
  /** Members that are layer tars, by archive path (`<id>/layer.tar`, `blobs/sha256/<hex>`); an Error when one failed to read. */
  layers: Map<string, LayerTable | Error>;
  /** Small JSON members (manifest.json, index.json, configs, OCI manifests), raw. */
  documents: Map<string, Buffer>;
  /** Symlinks and hard links between members (classic `docker save` links repeated layers): path → target. */
  aliases: Map<string, string>;
  /** Members that are neither, with the reason (for a clear error when one of them is a layer). */
  skipped: Map<string, string>;
  /** Archive paths in the order they came. */
  order: string[];
  budget: { documentBytes: number };
}

/** Manifests, configs and indexes are kilobytes; a bigger "JSON" member is not one of them. */
const MAX_DOCUMENT_BYTES = 8 * 1024 * 1024;
/** All JSON members together: a multi-platform export holds a few dozen; more is not an image export. */
const MAX_DOCUMENTS_TOTAL = 64 * 1024 * 1024;
const SNIFF_BYTES = 512;
const GZIP_OPTIONS = { chunkSize: 256 * 1024 } as const;

export class ArchiveError extends Error {
  override name = 'ArchiveError';
}

export async function readArchive(
  input: AsyncIterable<Buffer | string | Uint8Array> | NodeJS.ReadableStream,
  signal?: AbortSignal,
): Promise<ArchiveContents> {
  const read = await readArchiveContents(input, signal);
  await read.rest;
  return read.contents;
}

/**
 * Like readArchive, but hands the contents over as soon as the archive's end-of-archive blocks have come,
 * while the rest of the input (padding, and the wait for the engine to close its output: `docker save`
 * holds its stdout open a second or more after the last byte) is still being read. `rest` settles when the
 * input is over and rejects as readArchive would (a failed or cancelled input); await it before trusting
 * that the whole input was read.
 */
export async function readArchiveContents(
  input: AsyncIterable<Buffer | string | Uint8Array> | NodeJS.ReadableStream,
  signal?: AbortSignal,
): Promise<{ contents: ArchiveContents; rest: Promise<void> }> {
  const contents: ArchiveContents = { layers: new Map(), documents: new Map(), aliases: new Map(), skipped: new Map(), order: [], budget: { documentBytes: 0 } };
  const outer = new TarReader((entry) => memberSink(entry, contents), 'the image archive');
  const iterator = maybeGunzip(input as AsyncIterable<Buffer | string | Uint8Array>)[Symbol.asyncIterator]();
  // A cancel must not wait for the next chunk: an input that stalls would otherwise hold it forever.
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortError(signal!));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  let bytes = 0;
  /** Reads until the input is over, or (untilArchiveEnd) until the archive's end-of-archive blocks. */
  const pump = async (untilArchiveEnd: boolean): Promise<'archive-ended' | 'input-over'> => {
    try {
      if (signal?.aborted) throw abortError(signal);
      for (;;) {
        if (untilArchiveEnd && outer.ended) return 'archive-ended';
        const next = signal ? await Promise.race([iterator.next(), aborted]) : await iterator.next();
        if (next.done) break;
        if (signal?.aborted) throw abortError(signal);
        bytes += next.value.length;
        // Read to the end even after the end-of-archive blocks: leaving early would destroy the engine's
        // stdout under it, and its exit status would then say broken pipe instead of success.
        await outer.write(next.value);
      }
    } catch (error) {
      // Stop the source (a stream we were reading is destroyed; a pending read settles on its own).
      void iterator.return?.(undefined).catch(() => undefined);
      if (isDestroyable(input)) input.destroy();
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      throw error;
    }
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    if (bytes === 0) throw new ArchiveError('the image archive is empty (did the save command fail?)');
    await outer.end();
    return 'input-over';
  };
  if ((await pump(true)) === 'input-over') return { contents, rest: Promise.resolve() };
  const rest = pump(false).then(() => undefined);
  rest.catch(() => undefined);
  return { contents, rest };
}

function isDestroyable(input: unknown): input is { destroy(): void } {
  return typeof (input as { destroy?: unknown }).destroy === 'function';
}

function abortError(signal: AbortSignal): Error {
  const error = new Error(signal.reason instanceof Error ? signal.reason.message : 'the image analysis was cancelled');
  error.name = 'AbortError';
  return error;
}

/** `docker save IMAGE | gzip` is a common way to keep exports: accept it as well. */
async function* maybeGunzip(input: AsyncIterable<Buffer | string | Uint8Array>): AsyncGenerator<Buffer> {
  const iterator = input[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;
  const head = toBuffer(first.value);
  async function* all(): AsyncGenerator<Buffer> {
    yield head;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield toBuffer(next.value);
    }
  }
  if (!(head[0] === 0x1f && head[1] === 0x8b)) {
    yield* all();
    return;
  }
  const gunzip = createGunzip(GZIP_OPTIONS);
  pipeline(Readable.from(all()), gunzip, () => undefined);
  for await (const chunk of gunzip) yield chunk as Buffer;
}

function toBuffer(chunk: Buffer | string | Uint8Array): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  return typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** Archive paths as manifests name them: no leading `./` or `/`, `..` resolved (links say `../<id>/layer.tar`). */
export function normaliseArchivePath(raw: string): string | undefined {
  const parts: string[] = [];
  for (const part of raw.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.pop() === undefined) return undefined;
    } else parts.push(part);
  }
  return parts.length === 0 ? undefined : parts.join('/');
}

function memberSink(entry: TarEntry, contents: ArchiveContents): TarEntrySink | undefined {
  const path = normaliseArchivePath(entry.path);
  if (path === undefined) return undefined;
  if (entry.type === 'symlink' || entry.type === 'hardlink') {
    const base = entry.type === 'symlink' ? path.split('/').slice(0, -1).join('/') : '';
    const target = normaliseArchivePath(`${base}/${entry.linkPath}`.replace(/^\/+/, ''));
    if (target !== undefined) contents.aliases.set(path, target);
    return undefined;
  }
  if (entry.type !== 'file') return undefined;
  contents.order.push(path);
  if (entry.size === 0) {
    // An empty member named as a layer is an empty layer.
    contents.layers.set(path, emptyLayerTable());
    return undefined;
  }
  return sniffingSink(path, entry.size, contents);
}

/** Holds the first bytes of a member until it can tell what the member is, then hands everything on. */
function sniffingSink(path: string, size: number, contents: ArchiveContents): TarEntrySink {
  const head: Buffer[] = [];
  let headBytes = 0;
  let chosen: TarEntrySink | undefined;
  let decided = false;
  const decide = async (): Promise<void> => {
    decided = true;
    const first = Buffer.concat(head);
    chosen = chooseSink(path, size, first, contents);
    const r = chosen?.data?.(first);
    if (r) await r;
  };
  return {
    data(chunk) {
      if (decided) return chosen?.data?.(chunk);
      head.push(Buffer.from(chunk));
      headBytes += chunk.length;
      return headBytes >= SNIFF_BYTES ? decide() : undefined;
    },
    async end() {
      if (!decided) await decide();
      const r = chosen?.end?.();
      if (r) await r;
    },
  };
}

function chooseSink(path: string, size: number, first: Buffer, contents: ArchiveContents): TarEntrySink | undefined {
  if (first[0] === 0x1f && first[1] === 0x8b) return gzipLayerSink(path, contents);
  if (first[0] === 0x28 && first[1] === 0xb5 && first[2] === 0x2f && first[3] === 0xfd) {
    contents.skipped.set(path, 'zstd-compressed (not supported yet: export the image with gzip or uncompressed layers)');
    return undefined;
  }
  // Tar first: a JSON text never carries a valid header checksum, while a tar may start with a `{` name.
  if (looksLikeTarHeader(first)) return layerSink(path, contents);
  if (size <= MAX_DOCUMENT_BYTES && startsLikeJson(first)) {
    if (contents.budget.documentBytes + size > MAX_DOCUMENTS_TOTAL) {
      contents.skipped.set(path, 'a JSON member beyond the 64 MiB the reader keeps for manifests and configs');
      return undefined;
    }
    contents.budget.documentBytes += size;
    return documentSink(path, contents);
  }
  contents.skipped.set(path, first.length < SNIFF_BYTES ? 'too short to be a tar' : 'not a tar, gzip or JSON member');
  return undefined;
}

function startsLikeJson(first: Buffer): boolean {
  for (const byte of first) {
    if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) continue;
    return byte === 0x7b || byte === 0x5b; // { or [
  }
  return false;
}

function documentSink(path: string, contents: ArchiveContents): TarEntrySink {
  const parts: Buffer[] = [];
  return {
    data(chunk) {
      parts.push(Buffer.from(chunk));
    },
    end() {
      contents.documents.set(path, Buffer.concat(parts));
    },
  };
}

/** An uncompressed layer tar: its entries go straight into a table; a broken one is remembered, not fatal yet. */
function layerSink(path: string, contents: ArchiveContents): TarEntrySink {
  const { reader, table } = layerTableReader(`layer ${path}`);
  contents.layers.set(path, table);
  let failed = false;
  const fail = (error: unknown): void => {
    failed = true;
    contents.layers.set(path, asError(error));
  };
  return {
    async data(chunk) {
      if (failed || reader.ended) return;
      try {
        await reader.write(chunk);
      } catch (error) {
        fail(error);
      }
    },
    async end() {
      if (failed) return;
      try {
        await reader.end();
      } catch (error) {
        fail(error);
      }
    },
  };
}

/** A gzip-compressed layer (OCI blobs): inflated by zlib as it streams, the tar read from its output. */
function gzipLayerSink(path: string, contents: ArchiveContents): TarEntrySink {
  const { reader, table } = layerTableReader(`layer ${path}`);
  contents.layers.set(path, table);
  const gunzip: Gunzip = createGunzip(GZIP_OPTIONS);
  let failure: Error | undefined;
  // The tar reader's sinks are synchronous (hashing), so its write settles at once; chain them anyway.
  let tail: Promise<void> = Promise.resolve();
  gunzip.on('data', (out: Buffer) => {
    if (failure || reader.ended) return;
    tail = tail.then(() => (failure ? undefined : reader.write(out))).catch((error: unknown) => {
      failure ??= asError(error);
    });
  });
  gunzip.on('error', (error) => {
    failure ??= new TarFormatError(`layer ${path}: ${error.message} (corrupt gzip data)`);
  });
  const done = (): void => {
    if (failure) contents.layers.set(path, failure);
  };
  return {
    async data(chunk) {
      if (failure) return;
      if (!gunzip.write(chunk)) await drained(gunzip);
    },
    async end() {
      if (!failure) {
        gunzip.end();
        await once(gunzip, 'end').catch(() => undefined);
        if (!gunzip.readableEnded && !failure) await once(gunzip, 'close').catch(() => undefined);
      }
      await tail;
      if (!failure) {
        try {
          await reader.end();
        } catch (error) {
          failure = asError(error);
        }
      }
      gunzip.destroy();
      done();
    },
  };
}

/** Resolves when the stream can take more, or will never (closed, failed); its listeners go away either way. */
function drained(stream: Gunzip): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    stream.on('error', done);
  });
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
