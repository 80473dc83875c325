import type { CoreContainer } from '../../container.js';
import type { JobHandlers } from '../../jobs/job-handlers.js';
import { createChangeRepository } from '../../repositories/workspace/change.repository.js';
import { createCollaboratorRepository } from '../../repositories/workspace/collaborator.repository.js';
import { createEmbeddingRepository } from '../../repositories/workspace/embedding.repository.js';
import { createShareLinkRepository } from '../../repositories/workspace/share-link.repository.js';
import { createSplitSheetRepository } from '../../repositories/workspace/split-sheet.repository.js';
import { createTrackQueryRepository } from '../../repositories/workspace/track-query.repository.js';
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

/**
 * The workspace surface's services, built on the shared core. Besides what its routes use,
 * `publicLinks.sharePage(token, { accessCode })` and `publicLinks.splitSheetReview(token)` give
 * the share pages their data.
 */
export function createWorkspaceModule(core: CoreContainer) {
  const repos = {
    queries: createTrackQueryRepository(core.db, core.dbKind),
    changes: createChangeRepository(core.db),
    embeddings: createEmbeddingRepository(core.db),
    collaborators: createCollaboratorRepository(core.db),
    splitSheets: createSplitSheetRepository(core.db),
    shareLinks: createShareLinkRepository(core.db),
  };
  const findTrack = createTrackFinder(core.repos.tracks);
  const listCache = createFreshCache();
  const similarity = createSimilarityIndex(repos.embeddings);
  const views = createTrackViews(core.store);
  // Whatever surface or lane changes a track, the lists of its tenant are read afresh.
  core.events.on(['track.created', 'track.updated', 'track.deleted', 'track.version_added', 'track.processing_changed'], (e) => listCache.invalidate(e.tenantId));
  core.events.on(['track.deleted', 'track.version_added'], (e) => similarity.invalidate(e.tenantId));

  const splitSheets = createSplitSheetService({ core, sheets: repos.splitSheets, collaborators: repos.collaborators, findTrack });
  const jobs: JobHandlers = {};
  return {
    jobs,
    similarity,
    tracks: createTrackService({ core, queries: repos.queries, changes: repos.changes, views, findTrack, listCache, similarity }),
    media: createMediaService({ core, findTrack, similarity, listCache }),
    uploads: createUploadFlow({ core, findTrack, listCache }),
    collaborators: createCollaboratorService({ core, collaborators: repos.collaborators }),
    splitSheets,
    shareLinks: createShareLinkService({ core, links: repos.shareLinks, findTrack }),
    publicLinks: createPublicLinkService({ core, links: repos.shareLinks, splitSheets }),
    search: createSearchService({ core, queries: repos.queries, embeddings: repos.embeddings, similarity, views, findTrack }),
  };
}
export type WorkspaceModule = ReturnType<typeof createWorkspaceModule>;
