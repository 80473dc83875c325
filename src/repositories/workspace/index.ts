import type { DataVersion } from '../../db/data-version.js';
import type { DbKind, Executor } from '../../db/database.js';
import { createChangeRepository } from './change.repository.js';
import { createCollaboratorRepository } from './collaborator.repository.js';
import { createEmbeddingRepository } from './embedding.repository.js';
import { createShareLinkRepository } from './share-link.repository.js';
import { createSplitSheetRepository } from './split-sheet.repository.js';
import { createTrackQueryRepository } from './track-query.repository.js';

export function createWorkspaceRepositories(db: Executor, kind: DbKind, dataVersion?: DataVersion) {
  return {
    queries: createTrackQueryRepository(db, kind),
    changes: createChangeRepository(db),
    embeddings: createEmbeddingRepository(db),
    collaborators: createCollaboratorRepository(db),
    splitSheets: createSplitSheetRepository(db),
    shareLinks: createShareLinkRepository(db, dataVersion),
  };
}
export type WorkspaceRepositories = ReturnType<typeof createWorkspaceRepositories>;
