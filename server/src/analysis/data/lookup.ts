// Tables keyed by names that come from the Dockerfile (a command, a package, an image tag) are plain
// objects; indexing one with `constructor` or `toString` would return Object.prototype's function.
// `RUN toString -u x` made 13 rules throw (the wrapper and option tables, now Maps). Small tables that
// stay plain objects are read through here.

/** `table[key]` when the table itself has the key, else undefined. */
export function lookup<V>(table: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}
