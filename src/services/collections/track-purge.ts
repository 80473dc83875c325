import type { CoreContainer } from '../../container.js';
import type { CollectionsRepositories } from '../../repositories/collections/index.js';
import type { TrackRow } from '../../repositories/track.repository.js';

/** Removes a track everywhere: the shared rows and files, then what this surface kept about it. */
export async function purgeTrack(core: CoreContainer, repos: CollectionsRepositories, track: TrackRow): Promise<void> {
  await core.services.trackMedia.purgeTrack(track);
  await core.db.transaction().execute(async (tx) => {
    await repos.variants.deleteForTrack(track.id, tx);
    await repos.sessions.deleteForTrack(track.tenantId, track.id, tx);
    await repos.tracks.delete(track.id, tx);
  });
}
