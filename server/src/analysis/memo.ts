// Per-object caches for facts derived from one parse (a RUN's shell commands, a stage's environment).
//
// Why not WeakMap: V8's young-generation collector keeps the values of WeakMap entries alive while
// their keys are young, so every cached fact of the file being analysed (and, through it, the whole
// model) survived the next scavenge and was copied into the old generation. Measured over the corpus:
// ~3 MB promoted per scavenge and 4–6 ms per scavenge, against 0.4 ms and nothing promoted when no
// WeakMap held the model. A symbol-keyed property on the key object dies with it and costs the
// collector nothing extra.

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
