// Files in the final filesystem whose content (size and sha256) is already stored at another path: the
// oldest copy (lowest layer, then path order) is the original, every other copy is counted against the
// layer that wrote it. Hard links share their target's storage and are not copies.
import { forEachNode, type FsNode } from './layerStack';

export interface DuplicateGroup {
  /** The layer holding the extra copies. */
  layer: number;
  bytes: number;
  files: number;
  /** Up to 5 of the largest copies, each with the path it repeats. */
  examples: { path: string; sameAs: string; bytes: number }[];
}

export function findDuplicates(root: FsNode): DuplicateGroup[] {
  const byContent = new Map<string, { path: string; layer: number; bytes: number }[]>();
  forEachNode(root, '', (node, path) => {
    const entry = node.entry;
    if (entry?.kind !== 'file' || entry.digest === undefined || entry.bytes === 0) return;
    const key = `${entry.digest}:${entry.bytes}`;
    const copies = byContent.get(key);
    if (copies) copies.push({ path, layer: node.layer, bytes: entry.bytes });
    else byContent.set(key, [{ path, layer: node.layer, bytes: entry.bytes }]);
  });
  const groups = new Map<number, DuplicateGroup>();
  for (const copies of byContent.values()) {
    if (copies.length < 2) continue;
    copies.sort((a, b) => a.layer - b.layer || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const original = copies[0];
    for (const copy of copies.slice(1)) {
      let group = groups.get(copy.layer);
      if (!group) groups.set(copy.layer, (group = { layer: copy.layer, bytes: 0, files: 0, examples: [] }));
      group.bytes += copy.bytes;
      group.files++;
      group.examples.push({ path: copy.path, sameAs: original.path, bytes: copy.bytes });
      group.examples.sort((a, b) => b.bytes - a.bytes);
      if (group.examples.length > 5) group.examples.pop();
    }
  }
  return [...groups.values()].sort((a, b) => b.bytes - a.bytes || a.layer - b.layer);
}
