import type { DataVersion } from '../../db/data-version.js';
import { createVersionedCache } from '../../db/versioned-cache.js';
import type { CollectionTrackRepository } from '../../repositories/collections/collection-track.repository.js';

const TTL_MS = 2000;
const MAX_ENTRIES = 10_000;
/** Deep pages start from the nearest anchor, so an offset of 90,000 walks at most this many rows. */
const ANCHOR_EVERY = 1000;
const ANCHOR_TTL_MS = 60_000;

/**
 * Track totals per collection (the `count` of a track page). Counting a large collection means
 * walking its whole index, so a total is kept while nothing has been written (where the database
 * can tell, see data-version.ts) and for a couple of seconds in any case: this process forgets a
 * collection's total whenever it files or removes a track there; other writes (another process
 * or surface, the lanes at work) show within the TTL.
 */
export function createCollectionCounts(tracks: CollectionTrackRepository, dataVersion: DataVersion) {
  // Counts read the tracks table only.
  const totals = createVersionedCache<number>(dataVersion, { max: MAX_ENTRIES, fallbackTtlMs: TTL_MS, graceMs: TTL_MS, scope: () => ({ tables: ['tracks'] }) });
  const anchors = new Map<string, { n: number; at: number; ids: string[] }>();

  const count = (collectionId: string): Promise<number> => totals.get(collectionId, () => tracks.countInCollection(collectionId));

  /**
   * Where a deep page starts: the id at the nearest multiple of ANCHOR_EVERY below the offset and
   * how many rows to skip from there. Anchors are rebuilt whenever the collection's total changes
   * (or after a minute), so a filing or removal never leaves a page shifted for long.
   */
  async function startOf(collectionId: string, offset: number): Promise<{ id: string; skip: number } | undefined> {
    if (offset < ANCHOR_EVERY) return undefined;
    const n = await count(collectionId);
    let a = anchors.get(collectionId);
    if (!a || a.n !== n || Date.now() - a.at > ANCHOR_TTL_MS) {
      a = { n, at: Date.now(), ids: await tracks.anchorIds(collectionId, ANCHOR_EVERY) };
      if (anchors.size >= MAX_ENTRIES) anchors.clear();
      anchors.set(collectionId, a);
    }
    const k = Math.min(Math.floor(offset / ANCHOR_EVERY), a.ids.length - 1);
    return k > 0 ? { id: a.ids[k], skip: offset - k * ANCHOR_EVERY } : undefined;
  }

  function forget(...collectionIds: Array<string | null | undefined>): void {
    for (const id of collectionIds) {
      if (!id) continue;
      totals.delete(id);
      anchors.delete(id);
    }
  }

  return { count, startOf, forget };
}
export type CollectionCounts = ReturnType<typeof createCollectionCounts>;
