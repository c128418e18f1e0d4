// Replays the layers in order the way an overlay filesystem stacks them, and keeps account of every byte
// that ends up hidden: a file a later layer writes again (overwritten) or deletes (whiteout of it or of a
// parent, opaque folder, or a file replaced by a folder) stays in its own layer but never reaches the
// final filesystem. Its bytes are that layer's wastedBytes and the hiding layer's hidesBytes.
// Pure: tables in, numbers and the final tree out.
import type { LayerEntry, LayerTable } from './layerTable';

export interface FsNode {
  /** The layer entry that made this node; undefined for folders a layer only implies. */
  entry: LayerEntry | undefined;
  /** Index of the layer that wrote it. */
  layer: number;
  children: Map<string, FsNode> | undefined;
}

export interface HiddenGroup {
  kind: 'overwritten' | 'deleted';
  /** The layer whose bytes are hidden. */
  layer: number;
  byLayer: number;
  bytes: number;
  files: number;
  /** The largest hidden paths, biggest first (at most 5). */
  examples: { path: string; bytes: number }[];
}

export interface StackResult {
  wasted: number[];
  hides: number[];
  hidden: HiddenGroup[];
  /** The final filesystem. */
  root: FsNode;
  finalBytes: number;
}

const EXAMPLES = 5;

export function stackLayers(layers: readonly LayerTable[]): StackResult {
  const wasted = layers.map(() => 0);
  const hides = layers.map(() => 0);
  const groups = new Map<string, HiddenGroup>();
  const root: FsNode = { entry: undefined, layer: -1, children: new Map() };

  const hide = (node: FsNode, path: string, byLayer: number, kind: HiddenGroup['kind']): void => {
    forEachNode(node, path, (n, p) => {
      const entry = n.entry;
      if (!entry || (entry.kind !== 'file' && entry.kind !== 'symlink' && entry.kind !== 'hardlink')) return;
      const key = `${kind}:${n.layer}:${byLayer}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { kind, layer: n.layer, byLayer, bytes: 0, files: 0, examples: [] }));
      group.files++;
      if (entry.bytes === 0) return;
      wasted[n.layer] += entry.bytes;
      hides[byLayer] += entry.bytes;
      group.bytes += entry.bytes;
      addExample(group.examples, p, entry.bytes);
    });
  };

  layers.forEach((table, index) => {
    // Whiteouts hide what the layers below hold, never what this layer itself adds: apply them first.
    for (const entry of table.entries) {
      if (entry.kind === 'whiteout') {
        const found = lookup(root, entry.path);
        if (found) {
          found.parent.children!.delete(found.name);
          hide(found.node, entry.path, index, 'deleted');
        }
      } else if (entry.kind === 'opaque') {
        const found = entry.path === '/' ? { node: root } : lookup(root, entry.path);
        if (found?.node.children && found.node.children.size > 0) {
          for (const [name, child] of found.node.children) hide(child, joinPath(entry.path, name), index, 'deleted');
          found.node.children.clear();
        }
      }
    }
    for (const entry of table.entries) {
      if (entry.kind === 'whiteout' || entry.kind === 'opaque') continue;
      const parent = ensureParent(root, entry.path, index, hide);
      const name = entry.path.slice(entry.path.lastIndexOf('/') + 1);
      const existing = parent.children!.get(name);
      const isDir = entry.kind === 'directory';
      if (existing && isDir && isFolder(existing)) {
        // A folder written again (new mode, owner or just a parent of new files) keeps its content.
        existing.entry = entry;
        existing.layer = index;
        continue;
      }
      if (existing) hide(existing, entry.path, index, 'overwritten');
      parent.children!.set(name, { entry, layer: index, children: isDir ? new Map() : undefined });
    }
  });

  let finalBytes = 0;
  forEachNode(root, '', (n) => {
    if (n.entry) finalBytes += n.entry.bytes;
  });
  const hidden = [...groups.values()].filter((g) => g.files > 0).sort((a, b) => b.bytes - a.bytes || a.layer - b.layer);
  return { wasted, hides, hidden, root, finalBytes };
}

function isFolder(node: FsNode): boolean {
  return node.entry === undefined || node.entry.kind === 'directory';
}

/** The folder a path goes in, created (as implied folders) where missing; files in the way are replaced. */
function ensureParent(
  root: FsNode,
  path: string,
  layer: number,
  hide: (node: FsNode, path: string, byLayer: number, kind: HiddenGroup['kind']) => void,
): FsNode {
  let node = root;
  let at = 1;
  for (;;) {
    const slash = path.indexOf('/', at);
    if (slash < 0) return node;
    const name = path.slice(at, slash);
    let child = node.children!.get(name);
    if (child && !child.children) {
      if (child.entry?.kind === 'symlink') {
        // A layer writing below a symlinked folder (usrmerge's /lib → usr/lib) keeps the link; the new
        // entries are accounted under the path the layer names.
        child.children = new Map();
      } else {
        hide(child, path.slice(0, slash), layer, 'overwritten');
        child = undefined;
      }
    }
    if (!child) {
      child = { entry: undefined, layer, children: new Map() };
      node.children!.set(name, child);
    }
    node = child;
    at = slash + 1;
  }
}

function lookup(root: FsNode, path: string): { node: FsNode; parent: FsNode; name: string } | undefined {
  let node = root;
  let parent = root;
  let name = '';
  for (const part of path.split('/')) {
    if (part === '') continue;
    const child = node.children?.get(part);
    if (!child) return undefined;
    parent = node;
    node = child;
    name = part;
  }
  return name === '' ? undefined : { node, parent, name };
}

export function joinPath(folder: string, name: string): string {
  return folder === '/' || folder === '' ? `/${name}` : `${folder}/${name}`;
}

/** Visits a node and everything below it, depth first, with each node's path. */
export function forEachNode(node: FsNode, path: string, visit: (node: FsNode, path: string) => void): void {
  visit(node, path);
  if (!node.children) return;
  for (const [name, child] of node.children) forEachNode(child, joinPath(path, name), visit);
}

function addExample(examples: { path: string; bytes: number }[], path: string, bytes: number): void {
  if (examples.length === EXAMPLES && examples[EXAMPLES - 1].bytes >= bytes) return;
  examples.push({ path, bytes });
  examples.sort((a, b) => b.bytes - a.bytes);
  if (examples.length > EXAMPLES) examples.pop();
}
