import type { CoreContainer } from '../../container.js';
import type { CollectionsRepositories } from '../../repositories/collections/index.js';

/** Removes a track everywhere: the shared rows and files, then what this surface kept about it. */
export async function purgeTrack(core: CoreContainer, repos: CollectionsRepositories, tenantId: string, trackId: string): Promise<void> {
  const track = await core.repos.tracks.find(tenantId, trackId, { includeDeleted: true });
  if (track) await core.services.trackMedia.purgeTrack(track);
  await core.db.transaction().execute(async (tx) => {
    await repos.variants.deleteForTrack(trackId, tx);
    await repos.sessions.deleteForTrack(tenantId, trackId, tx);
    await repos.tracks.delete(trackId, tx);
  });
}
