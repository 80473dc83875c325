import type { ChangeScope } from './change-scopes.js';
import type { DataVersion } from './data-version.js';

export interface VersionedCacheOptions {
  /** Entries kept at most; the oldest go first. */
  max?: number;
  /**
   * While the data version is unknown, entries are trusted this long instead. Left out, every
   * call reads through then: for reads that must never be stale, such as a track's status.
   */
  fallbackTtlMs?: number;
  /**
   * Entries younger than this are served even after the version moved: bounded staleness, for
   * reads too dear to repeat after every write. Left out, a moved version always reads again.
   */
  graceMs?: number;
  /** Keep `undefined` results too (a miss is as cacheable as a hit). Default true. */
  cacheMisses?: boolean;
  /**
   * What an entry depends on (src/db/change-scopes.ts): it stays valid while only other tables,
   * or other tracks, are written. Left out, any write to the database drops it.
   */
  scope?: (key: string) => ChangeScope;
}

/**
 * Read-through cache whose entries are valid only while the database's data version is the one
 * they were read under, so a hit is never staler than a query. Values are shared between
 * callers and must be treated as read-only.
 */
export function createVersionedCache<V>(version: DataVersion, opts: VersionedCacheOptions = {}) {
  const max = opts.max ?? 5_000;
  const entries = new Map<string, { version: string | null; at: number; value: V }>();
  const versionOf = (key: string) => version(opts.scope?.(key));

  /** Without a data version, entries are kept only when a fallback lifetime was given. */
  const usable = (current: string | null): boolean => current !== null || opts.fallbackTtlMs !== undefined;

  function isFresh(hit: { version: string | null; at: number }, current: string | null): boolean {
    const age = Date.now() - hit.at;
    if (opts.graceMs !== undefined && age < opts.graceMs) return true;
    return current === null ? hit.version === null && age < opts.fallbackTtlMs! : hit.version === current;
  }

  function store(key: string, version: string | null, value: V): void {
    if (value === undefined && opts.cacheMisses === false) return;
    if (!entries.has(key) && entries.size >= max) entries.delete(entries.keys().next().value as string);
    entries.set(key, { version, at: Date.now(), value });
  }

  return {
    async get(key: string, load: () => Promise<V>): Promise<V> {
      // Taken before the read: a write landing during it leaves the entry already out of date.
      const current = versionOf(key);
      if (!usable(current)) return load();
      const hit = entries.get(key);
      if (hit && isFresh(hit, current)) return hit.value;
      const value = await load();
      store(key, current, value);
      return value;
    },
    /**
     * `get` for many keys at once: `load` is called once with the keys that missed and answers
     * a value per key it found (keys it leaves out are misses). Entries are fresh on the same
     * terms as `get`.
     */
    async getMany(keys: readonly string[], load: (missing: string[]) => Promise<Map<string, V>>): Promise<Map<string, V | undefined>> {
      const out = new Map<string, V | undefined>();
      const missing: string[] = [];
      const versions = new Map<string, string | null>();
      for (const key of keys) {
        const current = versionOf(key);
        versions.set(key, current);
        const hit = usable(current) ? entries.get(key) : undefined;
        if (hit && isFresh(hit, current)) out.set(key, hit.value);
        else missing.push(key);
      }
      if (missing.length === 0) return out;
      const loaded = await load(missing);
      for (const key of missing) {
        const value = loaded.get(key);
        out.set(key, value);
        const current = versions.get(key)!;
        if (usable(current)) store(key, current, value as V);
      }
      return out;
    },
    delete: (key: string) => void entries.delete(key),
    clear: () => entries.clear(),
  };
}
export type VersionedCache<V> = ReturnType<typeof createVersionedCache<V>>;
