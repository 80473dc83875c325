import type { CoreDeps } from '../../container.js';
import type { JobHandlers } from '../../jobs/job-handlers.js';
import { createCollectionsRepositories } from '../../repositories/collections/index.js';
import { createApiKeyService } from './api-key.service.js';
import { createCollectionCounts } from './collection-counts.js';
import { createCollectionService } from './collection.service.js';
import { createCoverService } from './cover.service.js';
import { createCreatorService } from './creator.service.js';
import { createEmbedService } from './embed.service.js';
import { createOrganizationService } from './organization.service.js';
import { createPlaySessionService } from './play-session.service.js';
import { createPlayback } from './playback.js';
import { createTrackEvents } from './track-events.js';
import { createTrackFiles } from './track-files.js';
import { createTrackViews } from './track-views.js';
import { createTrackService } from './track.service.js';
import { purgeCollectionRows } from './track-purge.js';
import { createUploadSessionService } from './upload-session.service.js';
import { createVariantRenderJob } from './variant-render.job.js';
import { createVariantService } from './variant.service.js';
import { createWebhookService } from './webhook.service.js';

/** The part of the core the collections surface reaches, all its services together. */
export type CollectionsCore = CoreDeps<
  'config' | 'db' | 'dataVersion' | 'store' | 'queue' | 'media' | 'resolveHost' | 'catalog' | 'events',
  'tenants' | 'tracks' | 'assets',
  'identity' | 'auth' | 'uploads' | 'processing' | 'trackMedia'
>;

/** The collections surface's services, built on the shared core. */
export function createCollectionsModule(core: CollectionsCore) {
  const repos = createCollectionsRepositories(core.db, core.dataVersion);
  const webhooks = createWebhookService({ core, repos });
  const covers = createCoverService({ core, repos });
  const views = createTrackViews({ core });
  const files = createTrackFiles({ core, repos });
  const events = createTrackEvents({ core, repos, views, files, webhooks });
  const playback = createPlayback({ core, repos, views, files, covers });

  const organizations = createOrganizationService({ core, repos });
  const creators = createCreatorService({ core, repos });
  const collections = createCollectionService({ core, repos, covers, creators });
  const counts = createCollectionCounts(repos.tracks, core.dataVersion);
  const tracks = createTrackService({ core, repos, views, covers, creators, collections, counts });
  // A collection's total changes when a track is filed or removed, through whichever surface.
  core.events.on(['track.created', 'track.deleted'], (e) => counts.forget(e.collectionId));
  core.events.on('track.updated', async (e) => {
    if (!e.fields.includes('deletedAt')) return;
    counts.forget((await core.repos.tracks.find(e.tenantId, e.trackId, { includeDeleted: true }))?.collectionId);
  });
  const variants = createVariantService({ core, repos, files, tracks });
  const uploadSessions = createUploadSessionService({ repos, collections, creators, tracks });
  const playSessions = createPlaySessionService({ repos, collections, tracks, files, playback });
  const apiKeys = createApiKeyService({ core, repos, creators });
  const embed = createEmbedService({ core, repos, files, playback, covers });

  core.catalog.onPurge((tx, track) => purgeCollectionRows(repos, tx, track.tenantId, track.id));

  // Art the probe found embedded in the audio gives a collection track its player colour.
  core.events.on('track.processing_changed', async (e) => {
    if (e.lane !== 'probe' || e.status !== 'succeeded') return;
    const record = await repos.tracks.findRecord(e.tenantId, e.trackId);
    if (record?.track.collectionId) await covers.adoptArtworkColor(record);
  });
  // The catalog's events become AudioDN statuses and webhooks, whichever surface the track came from.
  core.events.on('track.processing_changed', (e) => events.onLane(e));
  core.events.on('track.version_added', (e) => events.onVersionAdded(e));
  // Processing and sharing of any track go to the organization's webhook too, whatever surface the track came from.
  core.events.on(['track.ready', 'track.failed', 'share_link.viewed', 'split_sheet.updated'], async (e) => {
    await webhooks.emit(e.tenantId, e.type, {
      track_id: e.trackId,
      ...('assetId' in e ? { asset_id: e.assetId } : {}),
      ...('shareLinkId' in e ? { share_link_id: e.shareLinkId } : {}),
    });
  });
  core.events.on(['collection.created', 'collection.updated', 'collection.deleted'], async (e) => {
    await webhooks.emit(e.tenantId, e.type, { collection_id: e.collectionId, collection: e.snapshot });
  });

  const jobs: JobHandlers = {
    'variant.render': createVariantRenderJob({ core, repos, files, events }),
    'webhook.deliver': webhooks.deliver,
  };
  return { organizations, creators, collections, tracks, variants, uploadSessions, playSessions, apiKeys, covers, embed, webhooks, jobs };
}
export type CollectionsModule = ReturnType<typeof createCollectionsModule>;
