import type { CoreDeps } from '../../container.js';
import type { JobHandlers } from '../../jobs/job-handlers.js';
import { createWorkspaceRepositories } from '../../repositories/workspace/index.js';
import { createCollaboratorService } from './collaborator.service.js';
import { createFreshCache } from './fresh-cache.js';
import { createMediaService } from './media.service.js';
import { createPublicLinkService } from './public-link.service.js';
import { createTrackFinder } from './scope.js';
import { createSearchService } from './search.service.js';
import { createShareLinkService } from './share-link.service.js';
import { createSimilarityIndex } from './similarity-index.js';
import { createSplitSheetService } from './split-sheet.service.js';
import { createTrackService } from './track.service.js';
import { createTrackViews } from './track-view.js';
import { createUploadFlow } from './upload.service.js';

/** The part of the core the workspace surface reaches, all its services together. */
export type WorkspaceCore = CoreDeps<
  'config' | 'db' | 'dbKind' | 'dataVersion' | 'store' | 'events' | 'catalog',
  'tracks' | 'assets' | 'processing',
  'trackMedia' | 'processing' | 'uploads'
>;

/**
 * The workspace surface's services, built on the shared core. Besides what its routes use,
 * `publicLinks.sharePage(token, { accessCode })` and `publicLinks.splitSheetReview(token)` give
 * the share pages their data.
 */
export function createWorkspaceModule(core: WorkspaceCore) {
  const repos = createWorkspaceRepositories(core.db, core.dbKind, core.dataVersion);
  const findTrack = createTrackFinder(core.repos.tracks);
  const listCache = createFreshCache();
  const similarity = createSimilarityIndex(repos.embeddings, { indexMinTracks: core.config.search.indexMinTracks });
  const views = createTrackViews(core.store);
  // Whatever surface or lane changes a track, the lists of its tenant are read afresh (the
  // services below need not invalidate after a catalog write; every one publishes an event).
  core.events.on(['track.created', 'track.updated', 'track.deleted', 'track.version_added', 'track.processing_changed'], (e) => listCache.invalidate(e.tenantId));
  // A changed track's vector (deleted, another current version, another owner) is read afresh.
  core.events.on(['track.updated', 'track.deleted', 'track.version_added'], (e) => similarity.invalidate(e.tenantId, e.trackId));

  const splitSheets = createSplitSheetService({ core, repos, findTrack });
  const jobs: JobHandlers = {};
  return {
    jobs,
    similarity,
    tracks: createTrackService({ core, repos, views, findTrack, listCache, similarity }),
    media: createMediaService({ core, findTrack, similarity, listCache }),
    uploads: createUploadFlow({ core, findTrack, listCache }),
    collaborators: createCollaboratorService({ repos }),
    splitSheets,
    shareLinks: createShareLinkService({ repos, findTrack }),
    publicLinks: createPublicLinkService({ core, repos, splitSheets }),
    search: createSearchService({ repos, similarity, views, findTrack }),
  };
}
export type WorkspaceModule = ReturnType<typeof createWorkspaceModule>;
