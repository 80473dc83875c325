import type { CoreDeps } from '../../container.js';
import type { JobHandlers } from '../../jobs/job-handlers.js';
import { createDistributionRepositories } from '../../repositories/distribution/index.js';
import { createArtistService } from './artist.service.js';
import { createAssetService } from './asset.service.js';
import { createAuditTrail } from './audit-trail.js';
import { createDdexService } from './ddex/ddex.service.js';
import { createDeliveryService } from './delivery/delivery.service.js';
import { createWorksService } from './works/works.service.js';
import { createProductService } from './product.service.js';
import { createReleaseMediaService } from './release-media.service.js';
import { createReleaseTrackService } from './release-track.service.js';
import { createReleaseViews } from './release-views.js';
import { createReleaseWorkflowService } from './release-workflow.service.js';
import { createReleaseService } from './release.service.js';
import { createDistributionWebhooks } from './webhooks/webhook.service.js';

/** The part of the core the distribution surface reaches, all its services together. */
export type DistributionCore = CoreDeps<
  'db' | 'dbKind' | 'catalog' | 'config' | 'store' | 'media' | 'queue' | 'resolveHost' | 'events',
  'audit' | 'tenants' | 'tracks' | 'assets',
  'uploads' | 'processing'
>;

/** The distribution surface's services, built on the shared core. */
export function createDistributionModule(core: DistributionCore) {
  const repos = createDistributionRepositories(core.db, core.dbKind);
  const audit = createAuditTrail({ core });
  const artists = createArtistService({ core, repos, audit });
  const views = createReleaseViews({ core, repos, artists, audit });
  const releases = createReleaseService({ core, repos, artists, audit, views });
  const releaseTracks = createReleaseTrackService({ core, repos, artists, audit, views, releases });
  const releaseMedia = createReleaseMediaService({ core, repos, audit, views });
  const products = createProductService({ core, repos, artists, audit });
  const assets = createAssetService({ core, repos, artists, audit });
  const ddex = createDdexService({ core, repos, artists });
  const workflow = createReleaseWorkflowService({ core, repos, audit, releases, deliveryIssues: ddex.releaseIssues });
  // An asset's artists and product listings go with its track, whichever surface purges it.
  core.catalog.onPurge(async (tx, track) => {
    await repos.artists.deleteLinksFor('asset', [track.id], tx);
    await repos.products.deleteAssetLinks(track.tenantId, track.id, tx);
    await repos.assetDetails.delete(track.id, tx);
  });
  const webhooks = createDistributionWebhooks({ core, repos });
  const deliveries = createDeliveryService({ core, repos, ddex });
  const works = createWorksService({ core, repos });
  const jobs: JobHandlers = {
    'webhook.distribution.deliver': webhooks.deliver,
    'delivery.batch': (payload, ctx) => deliveries.runBatch(payload, ctx),
  };
  return { repos, audit, artists, releases, releaseTracks, releaseMedia, workflow, products, assets, webhooks, ddex, deliveries, works, jobs };
}
export type DistributionModule = ReturnType<typeof createDistributionModule>;
