import type { DataVersion } from './data-version.js';

export interface VersionedCacheOptions {
  /** Entries kept at most; the oldest go first. */
  max?: number;
  /**
   * While the data version is unknown, entries are trusted this long instead. Left out, every
   * call reads through then: for reads that must never be stale, such as a track's status.
   */
  fallbackTtlMs?: number;
  /** Keep `undefined` results too (a miss is as cacheable as a hit). Default true. */
  cacheMisses?: boolean;
}

/**
 * Read-through cache whose entries are valid only while the database's data version is the one
 * they were read under, so a hit is never staler than a query. Values are shared between
 * callers and must be treated as read-only.
 */
export function createVersionedCache<V>(version: DataVersion, opts: VersionedCacheOptions = {}) {
  const max = opts.max ?? 5_000;
  const entries = new Map<string, { version: string | null; at: number; value: V }>();

  function store(key: string, version: string | null, value: V): void {
    if (value === undefined && opts.cacheMisses === false) return;
    if (!entries.has(key) && entries.size >= max) entries.delete(entries.keys().next().value as string);
    entries.set(key, { version, at: Date.now(), value });
  }

  return {
    async get(key: string, load: () => Promise<V>): Promise<V> {
      // Taken before the read: a write landing during it leaves the entry already out of date.
      const current = version();
      if (current === null && opts.fallbackTtlMs === undefined) return load();
      const hit = entries.get(key);
      if (hit && (current === null ? hit.version === null && Date.now() - hit.at < opts.fallbackTtlMs! : hit.version === current)) return hit.value;
      const value = await load();
      store(key, current, value);
      return value;
    },
    /**
     * `get` for many keys at once: `load` is called once with the keys that missed and answers
     * a value per key it found (keys it leaves out are misses). Without a data version every key
     * is loaded, whatever the fallback time.
     */
    async getMany(keys: readonly string[], load: (missing: string[]) => Promise<Map<string, V>>): Promise<Map<string, V | undefined>> {
      const current = version();
      const out = new Map<string, V | undefined>();
      const missing: string[] = [];
      for (const key of keys) {
        const hit = current === null ? undefined : entries.get(key);
        if (hit && hit.version === current) out.set(key, hit.value);
        else missing.push(key);
      }
      if (missing.length === 0) return out;
      const loaded = await load(missing);
      for (const key of missing) {
        const value = loaded.get(key);
        out.set(key, value);
        if (current !== null) store(key, current, value as V);
      }
      return out;
    },
    delete: (key: string) => void entries.delete(key),
    clear: () => entries.clear(),
  };
}
export type VersionedCache<V> = ReturnType<typeof createVersionedCache<V>>;
