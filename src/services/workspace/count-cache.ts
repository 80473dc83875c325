/**
 * Remembers list totals for a few seconds. Counting a large catalog costs far more than reading
 * one page of it; a total may trail writes made through other surfaces by up to `ttlMs`, and
 * this surface's own writes clear their tenant's entries at once.
 */
export function createCountCache(ttlMs = 5_000, maxEntries = 5_000) {
  const entries = new Map<string, { at: number; value: number }>();
  return {
    async get(tenantId: string, key: string, load: () => Promise<number>): Promise<number> {
      const full = `${tenantId}\u0000${key}`;
      const hit = entries.get(full);
      if (hit && Date.now() - hit.at < ttlMs) return hit.value;
      const value = await load();
      if (entries.size >= maxEntries) entries.clear();
      entries.set(full, { at: Date.now(), value });
      return value;
    },
    invalidate(tenantId: string): void {
      const prefix = `${tenantId}\u0000`;
      for (const key of entries.keys()) if (key.startsWith(prefix)) entries.delete(key);
    },
  };
}
export type CountCache = ReturnType<typeof createCountCache>;
