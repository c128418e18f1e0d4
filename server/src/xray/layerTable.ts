// One layer's tar turned into a table of paths as it streams by: kind, bytes, and a sha256 of each
// regular file's content (hashed chunk by chunk, never held). Whiteouts become entries of their own, so
// the analysis can replay the layers in the image's order once the manifest (last in `docker save`) says
// what that order is.
import { createHash, type Hash } from 'node:crypto';
import { TarReader, type TarEntry, type TarEntrySink } from './tarStream';

export type LayerEntryKind = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other' | 'whiteout' | 'opaque';

export interface LayerEntry {
  /** Absolute and normalised (`/usr/bin/x`). For a whiteout: the path it deletes; for an opaque marker: its folder. */
  path: string;
  kind: LayerEntryKind;
  /** A regular file's size, a symlink's target length (what Docker's own layer size counts); 0 otherwise. */
  bytes: number;
  /** sha256 (hex) of a regular file's content, for files with content. */
  digest?: string;
  linkPath?: string;
}

export interface LayerTable {
  entries: LayerEntry[];
  /** Σ bytes: regular files and symlink texts; hard links add nothing. */
  addedBytes: number;
  whiteouts: number;
  /** package.json files outside node_modules, by path: their devDependencies name what a production image need not hold. */
  manifests: Map<string, string>;
}

const WHITEOUT = '.wh.';
/** A path that needs the careful normalisation: a leading slash, `//`, or a `.` or `..` segment. */
const ODD_PATH = /^\/|\/\/|(?:^|\/)\.\.?(?:\/|$)/;
const OPAQUE = '.wh..wh..opq';
/** A package.json bigger than this is not an app's manifest worth reading. */
const MAX_MANIFEST_BYTES = 512 * 1024;
/** All package.json texts one layer keeps: an app has a few; a layer with thousands is not worth reading all. */
const MAX_MANIFESTS_PER_LAYER = 4 * 1024 * 1024;

/** `./usr//bin/x/` → `/usr/bin/x`; undefined for the root itself and for paths that climb out (`..`). */
export function normaliseLayerPath(raw: string): string | undefined {
  // Engines write `./usr/bin/x`, `usr/bin/x` or `usr/lib/`: strip those without splitting (the common case).
  const plain = raw.startsWith('./') ? raw.slice(2) : raw;
  if (plain !== '' && !ODD_PATH.test(plain)) return `/${plain.endsWith('/') ? plain.slice(0, -1) : plain}`;
  const parts: string[] = [];
  for (const part of raw.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') return undefined;
    parts.push(part);
  }
  return parts.length === 0 ? undefined : `/${parts.join('/')}`;
}

export function emptyLayerTable(): LayerTable {
  return { entries: [], addedBytes: 0, whiteouts: 0, manifests: new Map() };
}

/** A tar reader that fills `table` with the entries of the layer written into it. */
export function layerTableReader(label: string): { reader: TarReader; table: LayerTable } {
  const table = emptyLayerTable();
  const budget = { manifestBytes: 0 };
  const reader = new TarReader((entry) => addEntry(table, entry, budget), label);
  return { reader, table };
}

function addEntry(table: LayerTable, entry: TarEntry, budget: { manifestBytes: number }): TarEntrySink | undefined {
  const path = normaliseLayerPath(entry.path);
  if (path === undefined) return undefined;
  const slash = path.lastIndexOf('/');
  const name = path.slice(slash + 1);
  if (name.startsWith(WHITEOUT)) {
    const folder = path.slice(0, slash) || '/';
    if (name === OPAQUE) {
      table.entries.push({ path: folder, kind: 'opaque', bytes: 0 });
      table.whiteouts++;
    } else if (!name.startsWith(`${WHITEOUT}${WHITEOUT}`)) {
      // Other `.wh..wh.` names (aufs' hard-link folder) are the storage driver's bookkeeping, not files.
      table.entries.push({ path: `${slash === 0 ? '' : folder}/${name.slice(WHITEOUT.length)}`, kind: 'whiteout', bytes: 0 });
      table.whiteouts++;
    }
    return undefined;
  }
  switch (entry.type) {
    case 'directory':
      table.entries.push({ path, kind: 'directory', bytes: 0 });
      return undefined;
    case 'symlink': {
      const bytes = Buffer.byteLength(entry.linkPath);
      table.entries.push({ path, kind: 'symlink', bytes, linkPath: entry.linkPath });
      table.addedBytes += bytes;
      return undefined;
    }
    case 'hardlink':
      table.entries.push({ path, kind: 'hardlink', bytes: 0, linkPath: normaliseLayerPath(entry.linkPath) ?? entry.linkPath });
      return undefined;
    case 'other':
      table.entries.push({ path, kind: 'other', bytes: 0 });
      return undefined;
    case 'file':
      return fileSink(table, path, name, entry.size, budget);
  }
}

function fileSink(table: LayerTable, path: string, name: string, size: number, budget: { manifestBytes: number }): TarEntrySink | undefined {
  const record: LayerEntry = { path, kind: 'file', bytes: size };
  table.entries.push(record);
  table.addedBytes += size;
  if (size === 0) return undefined;
  const hash: Hash = createHash('sha256');
  const wanted = name === 'package.json' && size <= MAX_MANIFEST_BYTES && budget.manifestBytes + size <= MAX_MANIFESTS_PER_LAYER && !path.includes('/node_modules/');
  if (wanted) budget.manifestBytes += size;
  const keep = wanted ? ([] as Buffer[]) : undefined;
  return {
    data(chunk) {
      hash.update(chunk);
      // Chunks are views into the reader's input: copy the few bytes kept past this call.
      keep?.push(Buffer.from(chunk));
    },
    end() {
      record.digest = hash.digest('hex');
      if (keep) table.manifests.set(path, Buffer.concat(keep).toString('utf8'));
    },
  };
}
