import type { CollectionTrackRepository } from '../../repositories/collections/collection-track.repository.js';

const TTL_MS = 2000;
const MAX_ENTRIES = 10_000;

/**
 * Track totals per collection (the `count` of a track page). Counting a large collection means
 * walking its whole index, so totals are kept for a couple of seconds: this process forgets a
 * collection's total whenever it files or removes a track there; writes made elsewhere (another
 * process or surface) show within the TTL.
 */
export function createCollectionCounts(tracks: CollectionTrackRepository) {
  const cache = new Map<string, { n: number; at: number }>();

  async function count(collectionId: string): Promise<number> {
    const hit = cache.get(collectionId);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.n;
    const n = await tracks.countInCollection(collectionId);
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(collectionId, { n, at: Date.now() });
    return n;
  }

  function forget(...collectionIds: Array<string | null | undefined>): void {
    for (const id of collectionIds) if (id) cache.delete(id);
  }

  return { count, forget };
}
export type CollectionCounts = ReturnType<typeof createCollectionCounts>;
