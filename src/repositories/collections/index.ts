import type { DataVersion } from '../../db/data-version.js';
import type { Executor } from '../../db/database.js';
import { createCollectionTrackRepository } from './collection-track.repository.js';
import { createCollectionRepository } from './collection.repository.js';
import { createCreatorRepository } from './creator.repository.js';
import { createOrganizationRepository } from './organization.repository.js';
import { createSessionRepository } from './session.repository.js';
import { createVariantRepository } from './variant.repository.js';
import { createWebhookRepository } from './webhook.repository.js';

export function createCollectionsRepositories(db: Executor, dataVersion: DataVersion) {
  return {
    organizations: createOrganizationRepository(db),
    creators: createCreatorRepository(db),
    collections: createCollectionRepository(db),
    tracks: createCollectionTrackRepository(db, dataVersion),
    variants: createVariantRepository(db),
    sessions: createSessionRepository(db),
    webhooks: createWebhookRepository(db),
  };
}
export type CollectionsRepositories = ReturnType<typeof createCollectionsRepositories>;
