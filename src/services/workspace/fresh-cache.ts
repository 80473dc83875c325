/**
 * Per-tenant results that stay valid while the tenant's change fingerprint stays the same
 * (see the change repository), for at most `ttlMs`. Hard deletions made outside this surface
 * do not move the fingerprint, hence the time limit; this surface's own writes clear their
 * tenant's entries at once.
 */
export function createFreshCache(ttlMs = 10_000, maxEntries = 2_000) {
  const entries = new Map<string, { at: number; fingerprint: string; value: unknown }>();
  // Loads in flight: requests that miss together under the same fingerprint share one load.
  const loading = new Map<string, { fingerprint: string; value: Promise<unknown> }>();
  const generations = new Map<string, number>();
  return {
    async get<T>(tenantId: string, key: string, fingerprint: string, load: () => Promise<T>): Promise<T> {
      const full = `${tenantId}\u0000${key}`;
      const hit = entries.get(full);
      if (hit && hit.fingerprint === fingerprint && Date.now() - hit.at < ttlMs) return hit.value as T;
      const inFlight = loading.get(full);
      if (inFlight && inFlight.fingerprint === fingerprint) return inFlight.value as Promise<T>;
      const generation = generations.get(tenantId) ?? 0;
      const value = load();
      loading.set(full, { fingerprint, value });
      try {
        const loaded = await value;
        // Kept only if no write of this surface cleared the tenant while it was read.
        if ((generations.get(tenantId) ?? 0) === generation) {
          if (entries.size >= maxEntries) entries.clear();
          entries.set(full, { at: Date.now(), fingerprint, value: loaded });
        }
        return loaded;
      } finally {
        if (loading.get(full)?.value === value) loading.delete(full);
      }
    },
    invalidate(tenantId: string): void {
      const prefix = `${tenantId}\u0000`;
      if (generations.size >= maxEntries) generations.clear();
      generations.set(tenantId, (generations.get(tenantId) ?? 0) + 1);
      for (const key of entries.keys()) if (key.startsWith(prefix)) entries.delete(key);
      // A load that started before the write may have read what the write replaced.
      for (const key of loading.keys()) if (key.startsWith(prefix)) loading.delete(key);
    },
  };
}
export type FreshCache = ReturnType<typeof createFreshCache>;

/**
 * A tenant's change fingerprint, read at most once per `windowMs`: under a burst of list
 * requests the freshness probe is shared, at the price of up to `windowMs` of delay in
 * noticing changes made elsewhere (this surface's own writes clear the cache directly).
 */
export function recentFingerprints(read: (tenantId: string) => Promise<string>, windowMs = 100) {
  const recent = new Map<string, { at: number; value: Promise<string> }>();
  return {
    get(tenantId: string): Promise<string> {
      const hit = recent.get(tenantId);
      if (hit && Date.now() - hit.at < windowMs) return hit.value;
      if (recent.size > 10_000) recent.clear();
      const value = read(tenantId);
      recent.set(tenantId, { at: Date.now(), value });
      value.catch(() => recent.delete(tenantId));
      return value;
    },
  };
}
