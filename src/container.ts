import { createHash } from 'node:crypto';
import type { Config } from './config.js';
import { ensureSchema, openDatabase, pingDatabase, type DatabaseHandle } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { createQueue, type QueueLogger } from './jobs/create-queue.js';
import { createMediaTools } from './media/ffmpeg.js';
import { createApiKeyRepository } from './repositories/api-key.repository.js';
import { createAssetRepository } from './repositories/asset.repository.js';
import { createAuditRepository } from './repositories/audit.repository.js';
import { createProcessingRepository } from './repositories/processing.repository.js';
import { createTenantRepository } from './repositories/tenant.repository.js';
import { createTrackRepository } from './repositories/track.repository.js';
import { createAuthService } from './services/auth.service.js';
import { createIdentityService } from './services/identity.service.js';
import { createProcessingService } from './services/processing.service.js';
import { createTrackMediaService } from './services/track-media.service.js';
import { createUploadService } from './services/upload.service.js';
import { createBlobStore } from './storage/create-blob-store.js';
import { registerJobHandlers } from './jobs/register-handlers.js';
import { createCollectionsModule } from './services/collections/index.js';
import { createWorkspaceModule } from './services/workspace/index.js';
import { createDistributionModule } from './services/distribution/index.js';
import { systemResolver, type HostResolver } from './net/outbound-guard.js';
import { createEventOutbox } from './catalog/event-outbox.js';
import { createCatalog, type Catalog } from './catalog/catalog.js';
import { createEventBus, type EventBus } from './catalog/events.js';
import { publishReadiness } from './catalog/readiness-events.js';
import { createSharedRateLimits } from './db/shared-rate-limit-store.js';

export interface ContainerOptions {
  logger?: QueueLogger;
  /** How outbound destinations (webhooks) resolve; `dns.lookup` by default. */
  resolveHost?: HostResolver;
}

/**
 * The only place that wires config, database, storage, queue, repositories and services.
 * Everything is built by hand from factories; nothing reaches for globals.
 */
export async function createContainer(config: Config, opts: ContainerOptions = {}) {
  await ensureSchema(config.database);
  const database: DatabaseHandle = openDatabase(config.database);
  const { db } = database;
  await migrateToLatest(db, config.database.kind === 'postgres' ? config.database.schema : undefined);

  const storageSecret = createHash('sha256').update(`storage:${config.jwt.secret}`).digest('hex');
  const store = createBlobStore({ storageUrl: config.storageUrl, dataDir: config.dataDir, publicUrl: config.publicUrl, secret: storageSecret });
  // Writes a killed process left half done are removed before anything else touches the store.
  if (store.kind === 'local') await store.sweepStaleTemps();
  const queue = createQueue({
    kind: database.kind,
    db,
    connectionString: config.database.kind === 'postgres' ? config.database.url : undefined,
    schema: config.database.kind === 'postgres' ? config.database.schema : undefined,
    logger: opts.logger,
    leaseMs: config.jobLeaseSeconds * 1000,
  });
  // Public rate limits count in the database when several API processes share it (see the store).
  const rateLimits = config.database.kind === 'postgres' ? createSharedRateLimits({ url: config.database.url, schema: config.database.schema }) : undefined;
  const media = await createMediaTools({ ffmpegPath: config.media.ffmpegPath, ffprobePath: config.media.ffprobePath, searchPath: config.media.searchPath });

  const repos = {
    tenants: createTenantRepository(db),
    apiKeys: createApiKeyRepository(db),
    audit: createAuditRepository(db),
    tracks: createTrackRepository(db),
    assets: createAssetRepository(db),
    processing: createProcessingRepository(db),
  };
  const events = createEventBus(opts.logger);
  const outbox = createEventOutbox(db, events);
  const catalog = createCatalog({ db, store, tracks: repos.tracks, assets: repos.assets, processing: repos.processing, events, outbox });
  publishReadiness({ db, processing: repos.processing, events });
  const processing = createProcessingService({ queue, tracks: repos.tracks, assets: repos.assets, processing: repos.processing });
  const services = {
    identity: createIdentityService({ config, db, tenants: repos.tenants, apiKeys: repos.apiKeys, events }),
    auth: createAuthService({ config, tenants: repos.tenants, apiKeys: repos.apiKeys, dataVersion: database.dataVersion }),
    uploads: createUploadService({ config, store, tracks: repos.tracks, assets: repos.assets, catalog }),
    processing,
    trackMedia: createTrackMediaService({ store, assets: repos.assets, processing: repos.processing, processingService: processing }),
  };
  // A finalized audio upload starts the processing lanes, whichever surface took it.
  services.uploads.onFinalized(async ({ asset, upload }) => {
    if (asset.kind === 'audio' && upload.trackId) await processing.startProcessing(asset.tenantId, upload.trackId, asset.id);
  });

  const resolveHost = opts.resolveHost ?? systemResolver;
  const core = { config, db, dbKind: database.kind, dataVersion: database.dataVersion, store, queue, media, repos, services, resolveHost, catalog, events };
  const modules = {
    collections: createCollectionsModule(core),
    workspace: createWorkspaceModule(core),
    distribution: createDistributionModule(core),
  };

  const readiness: Record<string, () => Promise<unknown>> = {
    database: () => pingDatabase(db),
    storage: () => store.check(),
    queue: () => queue.check(),
  };
  const closers: Array<() => Promise<void>> = [];
  let workersStarted = false;

  const container = {
    config,
    database,
    db,
    dbKind: database.kind,
    dataVersion: database.dataVersion,
    store,
    queue,
    media,
    resolveHost,
    catalog,
    events,
    repos,
    services,
    modules,
    readiness,
    storageDescription: store.kind === 'local' ? `local folder ${config.storageUrl ?? `${config.dataDir}/blobs`}` : `S3 ${config.storageUrl?.split('?')[0]}`,
    queueDescription: queue.describe,
    /** The @fastify/rate-limit store shared by every process (PostgreSQL); the plugin's in-memory one otherwise. */
    rateLimitStore: rateLimits?.store,
    /** Works jobs in this process (RUN_MODE all or worker) and recovers work a crash left behind. */
    async startWorkers() {
      if (workersStarted) return;
      workersStarted = true;
      registerJobHandlers(container);
      await queue.start();
      closers.push(() => queue.stop());
      await processing.recoverUnfinished();
      await modules.distribution.webhooks.recoverStalled();
      // Events of transactions whose process died before publishing them.
      closers.push(repeatRounds(() => outbox.sweep(), 'event outbox sweep', opts.logger, 5_000));
      // Housekeeping (expired upload intents, abandoned pending objects) once a minute by default, one sweep at a time across the cluster.
      const timer = setInterval(() => void queue.enqueue('uploads.sweep', {}, { singletonKey: 'sweep' }).catch(() => undefined), config.housekeepingIntervalMs);
      timer.unref();
      closers.push(async () => clearInterval(timer));
      // An S3 store cannot tell us a PUT landed: workers (never API processes) look for the bytes of
      // auto-finalize uploads, each claiming its own share of the due ones.
      if (store.kind === 's3') closers.push(repeatRounds(() => services.uploads.watchPending(), 'upload watch round', opts.logger));
    },
    /** Stops workers first, then kills media tools, then closes the database. */
    async close() {
      for (const close of closers.reverse()) await close().catch(() => undefined);
      media.killAll();
      await rateLimits?.close().catch(() => undefined);
      await database.close();
    },
  };
  return container;
}
export type Container = Awaited<ReturnType<typeof createContainer>>;

/** Runs `round` every `ms` (a second by default), never two at once; returns the stopper (which waits for a running round). */
function repeatRounds(round: () => Promise<number>, what: string, logger?: QueueLogger, ms = 1_000): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    running = round()
      .catch((err: unknown) => logger?.warn({ err: err instanceof Error ? err.message : String(err) }, `${what} failed`))
      .finally(() => (busy = false));
  }, ms);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

/** What surface modules are built on: everything but the other modules. */
export interface CoreContainer {
  config: Config;
  db: DatabaseHandle['db'];
  dbKind: DatabaseHandle['kind'];
  dataVersion: DatabaseHandle['dataVersion'];
  store: ReturnType<typeof createBlobStore>;
  queue: ReturnType<typeof createQueue>;
  media: Awaited<ReturnType<typeof createMediaTools>>;
  resolveHost: HostResolver;
  /** The track aggregate: every write to tracks, versions and assets goes through it. */
  catalog: Catalog;
  /** Domain events, published after commit (see src/catalog/events.ts). */
  events: EventBus;
  repos: {
    tenants: ReturnType<typeof createTenantRepository>;
    apiKeys: ReturnType<typeof createApiKeyRepository>;
    audit: ReturnType<typeof createAuditRepository>;
    tracks: ReturnType<typeof createTrackRepository>;
    assets: ReturnType<typeof createAssetRepository>;
    processing: ReturnType<typeof createProcessingRepository>;
  };
  services: {
    identity: ReturnType<typeof createIdentityService>;
    auth: ReturnType<typeof createAuthService>;
    uploads: ReturnType<typeof createUploadService>;
    processing: ReturnType<typeof createProcessingService>;
    trackMedia: ReturnType<typeof createTrackMediaService>;
  };
}

/**
 * The part of the core a service reaches: `CoreDeps<'db' | 'catalog', 'tracks', 'uploads'>` is
 * the database, the catalog, the track repository and the upload service, and nothing else.
 * Every surface service declares its reach this way, so its signature says what it touches.
 */
export type CoreDeps<
  K extends Exclude<keyof CoreContainer, 'repos' | 'services'> = never,
  R extends keyof CoreContainer['repos'] = never,
  S extends keyof CoreContainer['services'] = never,
> = Pick<CoreContainer, K> & { repos: Pick<CoreContainer['repos'], R>; services: Pick<CoreContainer['services'], S> };
