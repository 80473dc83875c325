import type { DbKind, Executor } from '../../db/database.js';
import { createArtistRepository } from './artist.repository.js';
import { createDdexSourceRepository } from './ddex-source.repository.js';
import { createDeliveryRepository } from './delivery.repository.js';
import { createAssetDetailsRepository } from './asset-details.repository.js';
import { createProductRepository } from './product.repository.js';
import { createReleaseTrackRepository } from './release-track.repository.js';
import { createReleaseRepository } from './release.repository.js';
import { createDistWebhookRepository } from './webhook.repository.js';

export function createDistributionRepositories(db: Executor, kind: DbKind) {
  return {
    artists: createArtistRepository(db),
    releases: createReleaseRepository(db, kind),
    releaseTracks: createReleaseTrackRepository(db),
    products: createProductRepository(db),
    assetDetails: createAssetDetailsRepository(db),
    webhooks: createDistWebhookRepository(db),
    ddexSource: createDdexSourceRepository(db),
    deliveries: createDeliveryRepository(db),
  };
}
export type DistributionRepositories = ReturnType<typeof createDistributionRepositories>;
