/**
 * Per-tenant results that stay valid while the tenant's change fingerprint stays the same
 * (see the change repository), for at most `ttlMs`. Hard deletions made outside this surface
 * do not move the fingerprint, hence the time limit; this surface's own writes clear their
 * tenant's entries at once.
 */
export function createFreshCache(ttlMs = 10_000, maxEntries = 2_000) {
  const entries = new Map<string, { at: number; fingerprint: string; value: unknown }>();
  return {
    async get<T>(tenantId: string, key: string, fingerprint: string, load: () => Promise<T>): Promise<T> {
      const full = `${tenantId}\u0000${key}`;
      const hit = entries.get(full);
      if (hit && hit.fingerprint === fingerprint && Date.now() - hit.at < ttlMs) return hit.value as T;
      const value = await load();
      if (entries.size >= maxEntries) entries.clear();
      entries.set(full, { at: Date.now(), fingerprint, value });
      return value;
    },
    invalidate(tenantId: string): void {
      const prefix = `${tenantId}\u0000`;
      for (const key of entries.keys()) if (key.startsWith(prefix)) entries.delete(key);
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
