// Memory + disk cache of lookups, keyed by canonical reference and platform. Successful lookups live
// for a day (a tag moves rarely, and an expired entry is revalidated with a cheap HEAD); failures for a
// minute, so a registry that is down is not asked again on every hover. The disk copy lives in the
// extension's storage folder, so sizes survive restarts and show up at once.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CacheEntry<T> {
  value?: T;
  error?: string;
  storedAt: number;
  expiresAt: number;
}

export interface FactsCacheOptions {
  /** Folder for the disk copy; memory only when absent. */
  storagePath?: string;
  successTtlMs?: number;
  failureTtlMs?: number;
  maxEntries?: number;
  now?: () => number;
  /** Called with write errors (the cache keeps working from memory). */
  onError?: (message: string) => void;
}

const FILE_NAME = 'image-sizes.v1.json';

export class FactsCache<T> {
  private readonly entries = new Map<string, CacheEntry<T>>();
  private readonly now: () => number;
  readonly successTtlMs: number;
  readonly failureTtlMs: number;
  private readonly maxEntries: number;
  private writeTimer?: NodeJS.Timeout;

  constructor(private readonly options: FactsCacheOptions = {}) {
    this.now = options.now ?? Date.now;
    this.successTtlMs = options.successTtlMs ?? 24 * 3600_000;
    this.failureTtlMs = options.failureTtlMs ?? 60_000;
    this.maxEntries = options.maxEntries ?? 5000;
    this.loadFromDisk();
  }

  /** The entry, fresh or stale (callers decide: stale successes are still worth showing). */
  get(key: string): CacheEntry<T> | undefined {
    return this.entries.get(key);
  }

  isFresh(entry: CacheEntry<T>): boolean {
    return entry.expiresAt > this.now();
  }

  setValue(key: string, value: T): CacheEntry<T> {
    const storedAt = this.now();
    return this.put(key, { value, storedAt, expiresAt: storedAt + this.successTtlMs }, true);
  }

  /** A failure keeps the last good value (shown as stale) but is not retried before the failure TTL. */
  setError(key: string, error: string): CacheEntry<T> {
    const previous = this.entries.get(key);
    const storedAt = this.now();
    return this.put(key, { value: previous?.value, error, storedAt: previous?.value ? previous.storedAt : storedAt, expiresAt: storedAt + this.failureTtlMs }, false);
  }

  /** A revalidation found the data unchanged: keep it, restart its clock. */
  renew(key: string): void {
    const entry = this.entries.get(key);
    if (!entry?.value) return;
    const storedAt = this.now();
    this.put(key, { value: entry.value, storedAt, expiresAt: storedAt + this.successTtlMs }, true);
  }

  /** Writes any pending change now (tests, shutdown). */
  flush(): void {
    if (this.writeTimer) clearTimeout(this.writeTimer);
    this.writeTimer = undefined;
    this.writeToDisk();
  }

  private put(key: string, entry: CacheEntry<T>, persist: boolean): CacheEntry<T> {
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    if (persist) this.scheduleWrite();
    return entry;
  }

  private scheduleWrite(): void {
    if (!this.options.storagePath || this.writeTimer) return;
    this.writeTimer = setTimeout(() => {
      this.writeTimer = undefined;
      this.writeToDisk();
    }, 500);
    this.writeTimer.unref();
  }

  private writeToDisk(): void {
    if (!this.options.storagePath) return;
    const successes = [...this.entries].filter(([, e]) => e.value !== undefined);
    try {
      mkdirSync(this.options.storagePath, { recursive: true });
      const file = join(this.options.storagePath, FILE_NAME);
      // Write then rename, so a crash mid-write never leaves a truncated cache behind.
      writeFileSync(`${file}.tmp`, JSON.stringify({ version: 1, entries: Object.fromEntries(successes) }));
      renameSync(`${file}.tmp`, file);
    } catch (error) {
      this.options.onError?.(`writing the image size cache failed: ${(error as Error).message}`);
    }
  }

  private loadFromDisk(): void {
    if (!this.options.storagePath) return;
    try {
      const json = JSON.parse(readFileSync(join(this.options.storagePath, FILE_NAME), 'utf8'));
      if (json?.version !== 1 || typeof json.entries !== 'object') return;
      for (const [key, entry] of Object.entries(json.entries as Record<string, CacheEntry<T>>)) {
        if (entry && typeof entry === 'object' && entry.value !== undefined && typeof entry.storedAt === 'number' && typeof entry.expiresAt === 'number') {
          this.entries.set(key, { value: entry.value, storedAt: entry.storedAt, expiresAt: entry.expiresAt });
        }
      }
    } catch {
      // No cache yet, or an unreadable one: start empty; the next write replaces it.
    }
  }
}
