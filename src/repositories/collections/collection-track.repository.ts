import { sql } from 'kysely';
import type { Selectable, Updateable } from 'kysely';
import type { DataVersion } from '../../db/data-version.js';
import type { Executor } from '../../db/database.js';
import { preparedQuery } from '../../db/prepared-query.js';
import { createVersionedCache } from '../../db/versioned-cache.js';
import { STATUS_LANES, type StatusLane } from '../../domain/lanes.js';
import type { Lane, LaneMap, LaneStatus } from '../../domain/track-status.js';
import type { CollectionTracksTable } from '../../db/tables/collections.js';
import type { TrackRow } from '../track.repository.js';

export type TrackExtrasRow = Selectable<CollectionTracksTable>;
export type TrackExtrasPatch = Updateable<Omit<CollectionTracksTable, 'trackId' | 'tenantId'>>;

/** The shared track columns this surface reads. */
export type TrackCore = Pick<TrackRow, 'id' | 'tenantId' | 'ownerUserId' | 'collectionId' | 'title' | 'artist' | 'isrc' | 'metadata' | 'durationMs' | 'currentVersionId' | 'artworkAssetId' | 'createdAt' | 'updatedAt'>;

/** A track as this surface reads it: the shared row, its AudioDN fields, its lanes and where its media lives. */
export interface TrackRecord {
  track: TrackCore;
  extras: TrackExtrasRow | null;
  /** The audio asset of the current version (null until the bytes arrived). */
  sourceAssetId: string | null;
  sourceSize: number | null;
  artworkKey: string | null;
  /** Statuses of the current version's lanes that decide the AudioDN status. */
  lanes: LaneMap;
  playbackAttempts: number;
}

/** Every table a track record reads (see `records`); all are keyed by track. */
const RECORD_TABLES = ['tracks', 'collection_tracks', 'track_versions', 'assets', 'processing_lanes'] as const;
const TRACKS_ONLY = { tables: ['tracks'] } as const;

export function createCollectionTrackRepository(db: Executor, dataVersion: DataVersion) {
  function records(tx: Executor) {
    return tx
      .selectFrom('tracks')
      .leftJoin('collectionTracks as ct', 'ct.trackId', 'tracks.id')
      .leftJoin('trackVersions as tv', 'tv.id', 'tracks.currentVersionId')
      .leftJoin('assets as src', 'src.id', 'tv.assetId')
      .leftJoin('assets as art', 'art.id', 'tracks.artworkAssetId')
      .select([
        'tracks.id',
        'tracks.tenantId',
        'tracks.ownerUserId',
        'tracks.collectionId',
        'tracks.title',
        'tracks.artist',
        'tracks.isrc',
        'tracks.metadata',
        'tracks.durationMs',
        'tracks.currentVersionId',
        'tracks.artworkAssetId',
        'tracks.createdAt',
        'tracks.updatedAt',
        'tv.assetId as sourceAssetId',
        'src.size as sourceSize',
        'art.storageKey as artworkKey',
        'ct.trackId as xTrackId',
        'ct.tenantId as xTenantId',
        'ct.creatorId as xCreatorId',
        'ct.organizationIndex as xOrganizationIndex',
        'ct.fileName as xFileName',
        'ct.metadata as xMetadata',
        'ct.playerTitle as xPlayerTitle',
        'ct.playerSubtitle as xPlayerSubtitle',
        'ct.playerColor as xPlayerColor',
        'ct.playerColorSource as xPlayerColorSource',
        'ct.isCoverOverridable as xIsCoverOverridable',
        'ct.isThemeOverridable as xIsThemeOverridable',
        'ct.uploadSessionId as xUploadSessionId',
        'ct.variantsRendering as xVariantsRendering',
        'ct.variantsFailed as xVariantsFailed',
        'ct.notifiedStatus as xNotifiedStatus',
        'ct.filesCompletedAt as xFilesCompletedAt',
        'ct.createdAt as xCreatedAt',
        'ct.updatedAt as xUpdatedAt',
      ])
      // One indexed lookup per status-deciding lane (STATUS_LANES: the required and degrading ones)
      // inside the same statement: reading a track is one query.
      .select((eb) => {
        const lane = (name: Lane) => eb.selectFrom('processingLanes as pl').whereRef('pl.assetId', '=', 'tv.assetId').where('pl.lane', '=', name);
        return [
          lane('probe').select('pl.status').as('laneProbe'),
          lane('waveform').select('pl.status').as('laneWaveform'),
          lane('playback').select('pl.status').as('lanePlayback'),
          lane('tags').select('pl.status').as('laneTags'),
          lane('embeddings').select('pl.status').as('laneEmbeddings'),
          lane('playback').select('pl.attempts').as('playbackAttempts'),
        ];
      });
  }
  type Joined = Awaited<ReturnType<ReturnType<typeof records>['execute']>>[number];

  function toRecord(r: Joined): TrackRecord {
    const extras: TrackExtrasRow | null = r.xTrackId
      ? {
          trackId: r.xTrackId,
          tenantId: r.xTenantId!,
          creatorId: r.xCreatorId,
          organizationIndex: r.xOrganizationIndex,
          fileName: r.xFileName,
          metadata: r.xMetadata ?? '{}',
          playerTitle: r.xPlayerTitle,
          playerSubtitle: r.xPlayerSubtitle,
          playerColor: r.xPlayerColor,
          playerColorSource: r.xPlayerColorSource,
          isCoverOverridable: Number(r.xIsCoverOverridable ?? 1),
          isThemeOverridable: Number(r.xIsThemeOverridable ?? 1),
          uploadSessionId: r.xUploadSessionId,
          variantsRendering: Number(r.xVariantsRendering ?? 0),
          variantsFailed: Number(r.xVariantsFailed ?? 0),
          notifiedStatus: r.xNotifiedStatus,
          filesCompletedAt: r.xFilesCompletedAt,
          createdAt: r.xCreatedAt!,
          updatedAt: r.xUpdatedAt!,
        }
      : null;
    const lanes: LaneMap = {};
    // Keyed by lane so the compiler asks for a column when a lane starts deciding the status.
    const statuses: Record<StatusLane, string | null> = { probe: r.laneProbe, waveform: r.laneWaveform, playback: r.lanePlayback, tags: r.laneTags, embeddings: r.laneEmbeddings };
    for (const name of STATUS_LANES) {
      if (statuses[name]) lanes[name] = statuses[name] as LaneStatus;
    }
    return {
      track: {
        id: r.id,
        tenantId: r.tenantId,
        ownerUserId: r.ownerUserId,
        collectionId: r.collectionId,
        title: r.title,
        artist: r.artist,
        isrc: r.isrc,
        metadata: r.metadata,
        durationMs: r.durationMs,
        currentVersionId: r.currentVersionId,
        artworkAssetId: r.artworkAssetId,
        createdAt: r.createdAt,
        updatedAt: r.updatedAt,
      },
      extras,
      sourceAssetId: r.sourceAssetId ?? null,
      sourceSize: r.sourceSize ?? null,
      artworkKey: r.artworkKey ?? null,
      lanes: r.sourceAssetId ? lanes : {},
      playbackAttempts: Number(r.playbackAttempts ?? 1),
    };
  }

  // The hottest read is compiled once: building this many-column join costs several times more than running it.
  const recordById = preparedQuery(['tenant', 'id'], (q, { tenant, id }) => records(q).where('tracks.tenantId', '=', tenant).where('tracks.id', '=', id).where('tracks.deletedAt', 'is', null));
  const loadRecord = async (tx: Executor, tenantId: string, id: string) => {
    const r = (await recordById(tx, { tenant: tenantId, id }))[0];
    return r ? toRecord(r) : undefined;
  };
  // Reads outside a transaction are served from memory while nothing has been written since.
  // A record is dropped when its own track's rows change, not when another track is processed.
  const recordCache = createVersionedCache<TrackRecord | undefined>(dataVersion, { scope: (key) => ({ tables: RECORD_TABLES, trackId: key.slice(key.indexOf(':') + 1) }) });
  const pageCache = createVersionedCache<string[]>(dataVersion, { max: 1_000, scope: () => TRACKS_ONLY });

  return {
    insert: (row: TrackExtrasRow, tx: Executor = db) => tx.insertInto('collectionTracks').values(row).execute(),
    find: (trackId: string, tx: Executor = db) => tx.selectFrom('collectionTracks').selectAll().where('trackId', '=', trackId).executeTakeFirst(),
    /** Creates the row for a track filed from elsewhere the first time this surface writes to it. */
    ensure: (row: TrackExtrasRow, tx: Executor = db) =>
      tx.insertInto('collectionTracks').values(row).onConflict((oc) => oc.column('trackId').doNothing()).execute(),
    update: (trackId: string, patch: TrackExtrasPatch, tx: Executor = db) => tx.updateTable('collectionTracks').set(patch).where('trackId', '=', trackId).execute(),
    delete: (trackId: string, tx: Executor = db) => tx.deleteFrom('collectionTracks').where('trackId', '=', trackId).execute(),
    adjustVariantCounters: (trackId: string, rendering: number, failed: number, at: string, tx: Executor = db) =>
      tx
        .updateTable('collectionTracks')
        .set((eb) => ({ variantsRendering: eb('variantsRendering', '+', rendering), variantsFailed: eb('variantsFailed', '+', failed), updatedAt: at }))
        .where('trackId', '=', trackId)
        .execute(),
    /** Sets a colour taken from the track's artwork unless a colour was chosen or taken already. */
    setCoverColorIfUnset: (trackId: string, color: string, at: string, tx: Executor = db) =>
      tx
        .updateTable('collectionTracks')
        .set({ playerColor: color, playerColorSource: 'cover', updatedAt: at })
        .where('trackId', '=', trackId)
        .where('playerColorSource', 'is', null)
        .where('playerColor', 'is', null)
        .execute(),
    /** Records `status` as notified unless it already was; true when this caller made the change. */
    claimNotifiedStatus: async (trackId: string, status: string, tx: Executor = db) => {
      const res = await tx
        .updateTable('collectionTracks')
        .set({ notifiedStatus: status })
        .where('trackId', '=', trackId)
        .where((eb) => eb.or([eb('notifiedStatus', 'is', null), eb('notifiedStatus', '!=', status)]))
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },

    findRecord: (tenantId: string, id: string, tx: Executor = db): Promise<TrackRecord | undefined> =>
      tx === db ? recordCache.get(`${tenantId}:${id}`, () => loadRecord(db, tenantId, id)) : loadRecord(tx, tenantId, id),
    /** For callers that know a track only by id (embeds): the organization comes from the row. */
    findRecordAnyTenant: async (id: string, tx: Executor = db): Promise<TrackRecord | undefined> => {
      const r = await records(tx).where('tracks.id', '=', id).where('tracks.deletedAt', 'is', null).executeTakeFirst();
      return r ? toRecord(r) : undefined;
    },
    findRecords: async (tenantId: string, ids: string[], tx: Executor = db): Promise<TrackRecord[]> => {
      if (ids.length === 0) return [];
      // Filtering the tenant in SQL would let SQLite walk the tenant index instead of the primary keys.
      const load = async (wanted: string[]) => {
        const rows = await records(tx).where('tracks.id', 'in', wanted).where('tracks.deletedAt', 'is', null).execute();
        return new Map(rows.filter((r) => r.tenantId === tenantId).map((r) => [r.id, toRecord(r)]));
      };
      if (tx !== db) {
        const byId = await load(ids);
        return ids.map((id) => byId.get(id)).filter((r): r is TrackRecord => !!r);
      }
      const keyOf = (id: string) => `${tenantId}:${id}`;
      const byKey = await recordCache.getMany(ids.map(keyOf), async (keys) => {
        const byId = await load(keys.map((k) => k.slice(tenantId.length + 1)));
        return new Map([...byId].map(([id, r]) => [keyOf(id), r]));
      });
      return ids.map((id) => byKey.get(keyOf(id))).filter((r): r is TrackRecord => !!r);
    },
    /**
     * One page of a collection's live tracks in filing (id) order. The collection's organization
     * was checked by the caller and records are read back per organization, so the tenant
     * stays out of these two queries and the offset walks the narrow covering index only.
     */
    pageIds: async (collectionId: string, page: { limit: number; offset: number; from?: { id: string; skip: number } }, tx: Executor = db): Promise<string[]> => {
      const load = async () => {
        // With an anchor (the id standing at a known position) the walk starts there instead of at the first row.
        let q = tx.selectFrom('tracks').select('id').where('collectionId', '=', collectionId).where('deletedAt', 'is', null);
        if (page.from) q = q.where('id', '>=', page.from.id);
        return (await q.orderBy('id').limit(page.limit).offset(page.from ? page.from.skip : page.offset).execute()).map((r) => r.id);
      };
      return tx === db ? pageCache.get(`${collectionId}:${page.limit}:${page.offset}`, load) : load();
    },
    /** Every `every`-th id of the collection's live tracks in filing order: position k*every holds ids[k]. */
    anchorIds: async (collectionId: string, every: number, tx: Executor = db): Promise<string[]> => {
      const rows = await sql<{ id: string }>`
        select id from (
          select id, row_number() over (order by id) - 1 as rn
          from tracks where collection_id = ${collectionId} and deleted_at is null
        ) numbered where rn % ${every} = 0 order by id`.execute(tx);
      return rows.rows.map((r) => r.id);
    },
    /** Where the track stands in its collection's order (by id, as pages list them), from 0. */
    positionInCollection: (collectionId: string, trackId: string, tx: Executor = db) => countLive(tx, collectionId, trackId),
    countInCollection: (collectionId: string, tx: Executor = db) => countLive(tx, collectionId),
  };
}
export type CollectionTrackRepository = ReturnType<typeof createCollectionTrackRepository>;

/** Live tracks of a collection (those before `beforeId` in id order, when given). */
async function countLive(tx: Executor, collectionId: string, beforeId?: string): Promise<number> {
  let q = tx.selectFrom('tracks').select((eb) => eb.fn.countAll<number>().as('n')).where('collectionId', '=', collectionId).where('deletedAt', 'is', null);
  if (beforeId) q = q.where('id', '<', beforeId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}
