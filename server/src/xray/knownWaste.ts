// Known waste in the final filesystem: package-manager caches and lists, bytecode caches, VCS folders,
// tests, source maps, toolchains and Node dev dependencies. Each path of the final tree is matched once
// (first kind wins); bytes are summed per folder found and attributed to the layer that wrote most of them.
// Pure: the final tree and the layers' package.json texts in, measurements out.
import type { KnownWasteKind } from './types';
import { forEachNode, type FsNode } from './layerStack';

export interface WasteMeasure {
  waste: KnownWasteKind;
  /** The folder (or, for kinds found in many places, the pattern) in the image. */
  path: string;
  bytes: number;
  files: number;
  /** Layer that wrote most of these bytes. */
  layerIndex: number;
}

interface Match {
  waste: KnownWasteKind;
  /** The matched folder or file: the unit that is summed. */
  root: string;
}

/** Fixed cache folders, by absolute prefix. */
const FIXED_ROOTS: readonly [string, KnownWasteKind][] = [
  ['/var/lib/apt/lists', 'apt-lists'],
  ['/var/cache/apt', 'apt-cache'],
  ['/var/cache/apk', 'apk-cache'],
  ['/etc/apk/cache', 'apk-cache'],
  ['/var/cache/dnf', 'dnf-cache'],
  ['/var/cache/yum', 'dnf-cache'],
  ['/var/cache/libdnf5', 'dnf-cache'],
  ['/var/cache/zypp', 'dnf-cache'],
  ['/usr/local/share/.cache/yarn', 'yarn-cache'],
  ['/usr/local/cargo/registry', 'cargo-registry'],
  ['/usr/local/cargo/git', 'cargo-registry'],
  ['/pnpm/store', 'pnpm-store'],
  ['/go/pkg/mod', 'go-mod-cache'],
  ['/usr/lib/gcc', 'toolchain'],
  ['/usr/libexec/gcc', 'toolchain'],
  ['/usr/local/go', 'toolchain'],
  ['/usr/local/rustup', 'toolchain'],
];

/** Cache folders relative to any home folder (`/root`, `/home/<user>`, a service user's home…): segment sequences. */
const HOME_RELATIVE: readonly [readonly string[], KnownWasteKind][] = [
  [['.cache', 'pip'], 'pip-cache'],
  [['.npm'], 'npm-cache'],
  [['.cache', 'yarn'], 'yarn-cache'],
  [['.yarn', 'berry', 'cache'], 'yarn-cache'],
  [['.local', 'share', 'pnpm', 'store'], 'pnpm-store'],
  [['.pnpm-store'], 'pnpm-store'],
  [['.cache', 'pnpm'], 'pnpm-store'],
  [['.cache', 'go-build'], 'go-build-cache'],
  [['go', 'pkg', 'mod'], 'go-mod-cache'],
  [['.m2', 'repository'], 'maven-repository'],
  [['.gradle', 'caches'], 'gradle-cache'],
  [['.cargo', 'registry'], 'cargo-registry'],
  [['.cargo', 'git'], 'cargo-registry'],
  [['.rustup', 'toolchains'], 'toolchain'],
];

const TEST_FOLDERS = new Set(['test', 'tests', '__tests__']);
/** Every folder name the matchers below look for (first segments of HOME_RELATIVE, the scattered kinds), and the JDK and map checks. */
const MAYBE_WASTE = /\/(?:\.cache|\.npm|\.yarn|\.local|\.pnpm-store|go|\.m2|\.gradle|\.cargo|\.rustup|\.git|__pycache__|tests?|__tests__)\/|^\/usr\/lib\/jvm\/|^\/opt\/java\/openjdk\/|\.map$/;
const SOURCE_MAP = /\.(?:js|mjs|cjs|css)\.map$/;
/** Kinds found in many places at once: reported per layer with a pattern, not per folder. */
const SCATTERED: ReadonlySet<KnownWasteKind> = new Set(['pycache', 'test-folders', 'source-maps']);

export function matchKnownWaste(path: string): Match | undefined {
  for (const [prefix, waste] of FIXED_ROOTS) {
    if (path.startsWith(prefix) && (path.length === prefix.length || path[prefix.length] === '/')) return { waste, root: prefix };
  }
  // Most paths of an image hold none of the folder names below: one regular expression says so quickly.
  if (!MAYBE_WASTE.test(path)) return undefined;
  const parts = path.split('/');
  // parts[0] is '' (paths are absolute); the last part is the file itself.
  for (let i = 1; i < parts.length - 1; i++) {
    for (const [sequence, waste] of HOME_RELATIVE) {
      if (sequence.every((s, k) => parts[i + k] === s) && i + sequence.length < parts.length) {
        return { waste, root: parts.slice(0, i + sequence.length).join('/') };
      }
    }
  }
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i];
    if (part === '.git') return { waste: 'git-folder', root: parts.slice(0, i + 1).join('/') };
    if (part === '__pycache__') return { waste: 'pycache', root: parts.slice(0, i + 1).join('/') };
    if (TEST_FOLDERS.has(part)) return { waste: 'test-folders', root: parts.slice(0, i + 1).join('/') };
  }
  const jdk = /^(\/usr\/lib\/jvm\/[^/]+|\/opt\/java\/openjdk)\//.exec(path);
  if (jdk) return { waste: 'toolchain', root: jdk[1] };
  if (SOURCE_MAP.test(path)) return { waste: 'source-maps', root: path };
  return undefined;
}

interface Tally {
  waste: KnownWasteKind;
  roots: Set<string>;
  bytes: number;
  files: number;
  byLayer: Map<number, number>;
}

/**
 * @param manifests per layer, the package.json texts it wrote (path → text); read for the final ones only.
 */
export function measureKnownWaste(root: FsNode, manifests: readonly ReadonlyMap<string, string>[]): WasteMeasure[] {
  const tallies = new Map<string, Tally>();
  const jdkWithCompiler = new Set<string>();
  const packageJsons: { path: string; text: string }[] = [];
  forEachNode(root, '', (node, path) => {
    const entry = node.entry;
    if (!entry || entry.kind === 'directory') return;
    if (entry.kind === 'file' && path.endsWith('/package.json')) {
      const text = manifests[node.layer]?.get(path);
      if (text !== undefined) packageJsons.push({ path, text });
    }
    const match = matchKnownWaste(path);
    if (!match) return;
    if (match.waste === 'toolchain' && path === `${match.root}/bin/javac`) jdkWithCompiler.add(match.root);
    // Scattered kinds are tallied per layer (each layer's copies are one finding); folders per folder.
    const key = SCATTERED.has(match.waste) ? `${match.waste}@${node.layer}` : `${match.waste}:${match.root}`;
    let tally = tallies.get(key);
    if (!tally) tallies.set(key, (tally = { waste: match.waste, roots: new Set(), bytes: 0, files: 0, byLayer: new Map() }));
    tally.roots.add(match.root);
    tally.files++;
    tally.bytes += entry.bytes;
    tally.byLayer.set(node.layer, (tally.byLayer.get(node.layer) ?? 0) + entry.bytes);
  });
  const measures: WasteMeasure[] = [];
  for (const tally of tallies.values()) {
    const [only] = tally.roots;
    // A JVM is a toolchain only when it is a JDK (it has javac); a JRE is what the app runs on.
    if (tally.waste === 'toolchain' && /jvm|openjdk/.test(only) && !jdkWithCompiler.has(only)) continue;
    measures.push({
      waste: tally.waste,
      path: tally.roots.size === 1 ? only : patternOf(tally.waste, [...tally.roots]),
      bytes: tally.bytes,
      files: tally.files,
      layerIndex: heaviestLayer(tally.byLayer),
    });
  }
  measures.push(...devDependencies(root, packageJsons));
  return measures.sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path));
}

/** `/app/**\/__pycache__` from the folders found: their common folder, then the kind's name. */
function patternOf(waste: KnownWasteKind, roots: string[]): string {
  const split = roots.map((r) => r.split('/'));
  const common: string[] = [];
  for (let i = 0; split.every((s) => i < s.length - 1 && s[i] === split[0][i]); i++) common.push(split[0][i]);
  const leaf = waste === 'pycache' ? '__pycache__' : waste === 'source-maps' ? '*.map' : waste === 'test-folders' ? 'test*' : '*';
  const folder = common.join('/');
  return `${folder}/**/${leaf}`;
}

function heaviestLayer(byLayer: ReadonlyMap<number, number>): number {
  let best = -1;
  let bestBytes = -1;
  for (const [layer, bytes] of byLayer) {
    if (bytes > bestBytes || (bytes === bestBytes && layer > best)) {
      best = layer;
      bestBytes = bytes;
    }
  }
  return best;
}

/** Packages a package.json lists as devDependencies that sit in its node_modules in the final image. */
function devDependencies(root: FsNode, packageJsons: readonly { path: string; text: string }[]): WasteMeasure[] {
  const measures: WasteMeasure[] = [];
  for (const { path, text } of packageJsons) {
    let names: string[];
    try {
      const parsed = JSON.parse(text) as { devDependencies?: Record<string, string> };
      names = Object.keys(parsed.devDependencies ?? {});
    } catch {
      continue;
    }
    const folder = path.slice(0, path.lastIndexOf('/'));
    const byLayer = new Map<number, number>();
    let bytes = 0;
    let files = 0;
    for (const name of names) {
      const node = find(root, `${folder}/node_modules/${name}`);
      if (!node) continue;
      forEachNode(node, '', (n) => {
        if (!n.entry || n.entry.kind === 'directory') return;
        files++;
        bytes += n.entry.bytes;
        byLayer.set(n.layer, (byLayer.get(n.layer) ?? 0) + n.entry.bytes);
      });
    }
    if (files > 0) measures.push({ waste: 'node-dev-dependencies', path: `${folder}/node_modules`, bytes, files, layerIndex: heaviestLayer(byLayer) });
  }
  return measures;
}

function find(root: FsNode, path: string): FsNode | undefined {
  let node: FsNode | undefined = root;
  for (const part of path.split('/')) {
    if (part === '') continue;
    node = node.children?.get(part);
    if (!node) return undefined;
  }
  return node;
}
