// Per-object caches for facts derived from one parse (a RUN's shell commands, a stage's environment).
//
// Why not WeakMap: with these caches in module-level WeakMaps, each file's analysis survived V8's
// young-generation collections and was copied into the old generation. Measured over the corpus: about
// 3 MB promoted and 4–6 ms per scavenge, 0.24 s of scavenges per pass; with the caches on the objects,
// 0.4 ms per scavenge, nothing promoted, 0.015 s per pass. A symbol-keyed property on the key object
// dies with it.

export interface Memo<K extends object, V> {
  get(owner: K): V | undefined;
  has(owner: K): boolean;
  set(owner: K, value: V): void;
}

/** A cache stored on each key object under a private symbol (invisible to JSON, Object.keys, for…in). */
export function memo<K extends object, V>(description: string): Memo<K, V> {
  const slot = Symbol(description);
  return {
    get: (owner) => (owner as Record<symbol, V | undefined>)[slot],
    has: (owner) => slot in owner,
    set: (owner, value) => {
      (owner as Record<symbol, V>)[slot] = value;
    },
  };
}
