// dive's efficiency score and wasted bytes, computed the way dive's filetree/efficiency.go does, quirks
// included, so a CI budget moved from dive gives the same verdict:
// - each layer is a tree of its tar's paths (parents it only implies are nodes too); only its leaves are
//   visited, so a folder with children counts nothing of its own;
// - a leaf's size is its tar header size (files: content size; links and folders: 0), except a whiteout,
//   whose size is what it deletes in the stack of the layers below, but only when that is a folder
//   (dive sums the folder's subtree; a deleted file counts 0, so the file's own entry carries the waste);
//   a whiteout of a path the layers below lack counts 0 (as earlier dive versions did; later ones give up on the
//   rest of that layer, which no export made by an engine triggers);
// - opaque markers (`.wh..wh..opq`) are ignored, as dive's tree refuses `.wh..wh.` names;
// - per path: cumulative size over the layers it appears in, and the smallest size seen;
//   efficiency = Σ smallest ÷ Σ cumulative (1 when nothing), wasted = Σ cumulative of paths seen twice or more.
// The stack used for whiteout sizes follows dive's Stack(): every node of the upper tree, implied parents
// included, overwrites the lower node's info (an implied parent is "not a folder" to dive).
import type { LayerEntry, LayerTable } from './layerTable';

export interface DiveEfficiency {
  efficiency: number;
  wastedBytes: number;
  /** Paths seen in two layers or more, biggest cumulative size first. */
  inefficientPaths: { path: string; cumulativeBytes: number; layers: number }[];
}

interface Info {
  size: number;
  isDir: boolean;
}

interface TreeNode {
  info: Info;
  whiteout: boolean;
  children: Map<string, TreeNode>;
}

const NO_INFO: Info = { size: 0, isDir: false };
const WHITEOUT_PREFIX = '.wh.';

export function diveEfficiency(layers: readonly LayerTable[]): DiveEfficiency {
  const paths = new Map<string, { cumulative: number; min: number; count: number }>();
  const stacked = newNode(NO_INFO, false);
  for (const table of layers) {
    const tree = layerTree(table.entries);
    visitChildFirst(tree, '', (node, path, name) => {
      if (node.children.size > 0) return;
      const key = node.whiteout ? joinDive(path.slice(0, path.length - name.length - 1), name.slice(WHITEOUT_PREFIX.length)) : path;
      const size = node.whiteout ? deletedFolderSize(stacked, key) : node.info.size;
      const seen = paths.get(key);
      if (!seen) paths.set(key, { cumulative: size, min: size, count: 1 });
      else {
        seen.cumulative += size;
        seen.min = Math.min(seen.min, size);
        seen.count++;
      }
    });
    stack(stacked, tree);
  }
  let minimum = 0;
  let cumulative = 0;
  let wastedBytes = 0;
  const inefficientPaths: DiveEfficiency['inefficientPaths'] = [];
  for (const [path, data] of paths) {
    minimum += data.min;
    cumulative += data.cumulative;
    if (data.count >= 2) {
      wastedBytes += data.cumulative;
      inefficientPaths.push({ path, cumulativeBytes: data.cumulative, layers: data.count });
    }
  }
  inefficientPaths.sort((a, b) => b.cumulativeBytes - a.cumulativeBytes || a.path.localeCompare(b.path));
  return { efficiency: cumulative === 0 ? 1 : minimum / cumulative, wastedBytes, inefficientPaths };
}

function newNode(info: Info, whiteout: boolean): TreeNode {
  return { info, whiteout, children: new Map() };
}

/** One layer as dive's tree: whiteouts keep their `.wh.` name (distinct from a same-named file), opaque markers only imply their folder. */
function layerTree(entries: readonly LayerEntry[]): TreeNode {
  const root = newNode(NO_INFO, false);
  for (const entry of entries) {
    const parts = entry.path.split('/').filter(Boolean);
    if (entry.kind === 'opaque') {
      addPath(root, parts, undefined, false);
      continue;
    }
    if (entry.kind === 'whiteout') {
      parts[parts.length - 1] = WHITEOUT_PREFIX + parts[parts.length - 1];
      addPath(root, parts, NO_INFO, true);
      continue;
    }
    addPath(root, parts, { size: entry.kind === 'file' ? entry.bytes : 0, isDir: entry.kind === 'directory' }, false);
  }
  return root;
}

/** dive's AddPath: missing parents are created with no info; the last node's info is replaced. */
function addPath(root: TreeNode, parts: readonly string[], info: Info | undefined, whiteout: boolean): TreeNode {
  let node = root;
  parts.forEach((name, i) => {
    let child = node.children.get(name);
    if (!child) {
      child = newNode(NO_INFO, name.startsWith(WHITEOUT_PREFIX));
      node.children.set(name, child);
    }
    if (i === parts.length - 1 && info) {
      child.info = info;
      child.whiteout = whiteout;
    }
    node = child;
  });
  return node;
}

/** Every node below `node`, children before their parent (dive's order; the sums here do not depend on it). */
function visitChildFirst(node: TreeNode, path: string, visit: (node: TreeNode, path: string, name: string) => void): void {
  for (const [name, child] of node.children) {
    const childPath = joinDive(path, name);
    visitChildFirst(child, childPath, visit);
    visit(child, childPath, name);
  }
}

function joinDive(folder: string, name: string): string {
  return folder === '' || folder === '/' ? `/${name}` : `${folder}/${name}`;
}

function deletedFolderSize(stacked: TreeNode, path: string): number {
  const node = find(stacked, path);
  if (!node || !node.info.isDir) return 0;
  let size = node.info.size;
  visitChildFirst(node, path, (n) => {
    size += n.info.size;
  });
  return size;
}

function find(root: TreeNode, path: string): TreeNode | undefined {
  let node: TreeNode | undefined = root;
  for (const part of path.split('/')) {
    if (part === '') continue;
    node = node.children.get(part);
    if (!node) return undefined;
  }
  return node === root ? undefined : node;
}

/**
 * dive's Stack(): every node of the upper tree, children before their parent, in name order; a whiteout
 * removes its path below, any other node is added with its info (AddPath). Walking both trees together
 * gives the same result without rebuilding paths; name order only matters between a whiteout and a
 * sibling it names, so only folders holding a whiteout are sorted.
 */
function stack(lower: TreeNode, upper: TreeNode): void {
  let names: Iterable<string> = upper.children.keys();
  for (const child of upper.children.values()) {
    if (child.whiteout) {
      names = [...upper.children.keys()].sort();
      break;
    }
  }
  for (const name of names) {
    const child = upper.children.get(name)!;
    if (child.whiteout) {
      lower.children.delete(name.slice(WHITEOUT_PREFIX.length));
      continue;
    }
    let target = lower.children.get(name);
    if (!target) {
      target = newNode(NO_INFO, false);
      lower.children.set(name, target);
    }
    stack(target, child);
    target.info = child.info;
  }
}
