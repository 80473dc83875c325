import type { CoreDeps } from '../../container.js';
import type { Executor } from '../../db/database.js';
import type { CollectionsRepositories } from '../../repositories/collections/index.js';

/** What this surface keeps about a track, removed with it whichever surface purges it. */
export async function purgeCollectionRows(repos: Pick<CollectionsRepositories, 'variants' | 'sessions' | 'tracks'>, tx: Executor, tenantId: string, trackId: string): Promise<void> {
  await repos.variants.deleteForTrack(trackId, tx);
  await repos.sessions.deleteForTrack(tenantId, trackId, tx);
  await repos.tracks.delete(trackId, tx);
}

/** Removes a track everywhere through the catalog (which runs the hook above). */
export async function purgeTrack(
  core: CoreDeps<'catalog' | 'db', 'tracks'>,
  repos: Pick<CollectionsRepositories, 'variants' | 'sessions' | 'tracks'>,
  tenantId: string,
  trackId: string,
): Promise<void> {
  const track = await core.repos.tracks.find(tenantId, trackId, { includeDeleted: true });
  if (track) await core.catalog.purge(track);
  // A filing whose catalog track is already gone (older catalogs have them; the foreign keys now prevent it).
  else await purgeCollectionRows(repos, core.db, tenantId, trackId);
}
