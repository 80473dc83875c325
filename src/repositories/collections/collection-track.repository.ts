import type { Selectable, Updateable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { CollectionTracksTable } from '../../db/tables/collections.js';
import type { TrackRow } from '../track.repository.js';

export type TrackExtrasRow = Selectable<CollectionTracksTable>;
export type TrackExtrasPatch = Updateable<Omit<CollectionTracksTable, 'trackId' | 'tenantId'>>;

/** A track as this surface reads it: the shared row, its AudioDN fields and where its media lives. */
export interface TrackRecord {
  track: TrackRow;
  extras: TrackExtrasRow | null;
  /** The audio asset of the current version (null until the bytes arrived). */
  sourceAssetId: string | null;
  sourceSize: number | null;
  artworkKey: string | null;
}

export interface LaneState {
  assetId: string;
  lane: string;
  status: string;
  attempts: number;
}

export function createCollectionTrackRepository(db: Executor) {
  function records(tx: Executor) {
    return tx
      .selectFrom('tracks')
      .leftJoin('collectionTracks as ct', 'ct.trackId', 'tracks.id')
      .leftJoin('trackVersions as tv', 'tv.id', 'tracks.currentVersionId')
      .leftJoin('assets as src', 'src.id', 'tv.assetId')
      .leftJoin('assets as art', 'art.id', 'tracks.artworkAssetId')
      .selectAll('tracks')
      .select([
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
      ]);
  }
  type Joined = Awaited<ReturnType<ReturnType<typeof records>['execute']>>[number];

  function toRecord(r: Joined): TrackRecord {
    const {
      sourceAssetId, sourceSize, artworkKey,
      xTrackId, xTenantId, xCreatorId, xOrganizationIndex, xFileName, xMetadata, xPlayerTitle, xPlayerSubtitle, xPlayerColor,
      xPlayerColorSource, xIsCoverOverridable, xIsThemeOverridable, xUploadSessionId, xVariantsRendering, xVariantsFailed,
      xNotifiedStatus, xFilesCompletedAt, xCreatedAt, xUpdatedAt, ...track
    } = r;
    const extras: TrackExtrasRow | null = xTrackId
      ? {
          trackId: xTrackId,
          tenantId: xTenantId!,
          creatorId: xCreatorId,
          organizationIndex: xOrganizationIndex,
          fileName: xFileName,
          metadata: xMetadata ?? '{}',
          playerTitle: xPlayerTitle,
          playerSubtitle: xPlayerSubtitle,
          playerColor: xPlayerColor,
          playerColorSource: xPlayerColorSource,
          isCoverOverridable: Number(xIsCoverOverridable ?? 1),
          isThemeOverridable: Number(xIsThemeOverridable ?? 1),
          uploadSessionId: xUploadSessionId,
          variantsRendering: Number(xVariantsRendering ?? 0),
          variantsFailed: Number(xVariantsFailed ?? 0),
          notifiedStatus: xNotifiedStatus,
          filesCompletedAt: xFilesCompletedAt,
          createdAt: xCreatedAt!,
          updatedAt: xUpdatedAt!,
        }
      : null;
    return { track: track as TrackRow, extras, sourceAssetId: sourceAssetId ?? null, sourceSize: sourceSize ?? null, artworkKey: artworkKey ?? null };
  }

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

    findRecord: async (tenantId: string, id: string, tx: Executor = db): Promise<TrackRecord | undefined> => {
      const r = await records(tx).where('tracks.tenantId', '=', tenantId).where('tracks.id', '=', id).where('tracks.deletedAt', 'is', null).executeTakeFirst();
      return r ? toRecord(r) : undefined;
    },
    /** For callers that know a track only by id (embeds): the organization comes from the row. */
    findRecordAnyTenant: async (id: string, tx: Executor = db): Promise<TrackRecord | undefined> => {
      const r = await records(tx).where('tracks.id', '=', id).where('tracks.deletedAt', 'is', null).executeTakeFirst();
      return r ? toRecord(r) : undefined;
    },
    findRecords: async (tenantId: string, ids: string[], tx: Executor = db): Promise<TrackRecord[]> => {
      if (ids.length === 0) return [];
      const rows = await records(tx).where('tracks.tenantId', '=', tenantId).where('tracks.id', 'in', ids).where('tracks.deletedAt', 'is', null).execute();
      const byId = new Map(rows.map((r) => [r.id, toRecord(r)]));
      return ids.map((id) => byId.get(id)).filter((r): r is TrackRecord => !!r);
    },
    /** One page of a collection's live tracks in filing order; the offset walks the covering index only. */
    pageIds: async (tenantId: string, collectionId: string, page: { limit: number; offset: number }, tx: Executor = db) =>
      (
        await tx
          .selectFrom('tracks')
          .select('id')
          .where('collectionId', '=', collectionId)
          .where('tenantId', '=', tenantId)
          .where('deletedAt', 'is', null)
          .orderBy('createdAt')
          .orderBy('id')
          .limit(page.limit)
          .offset(page.offset)
          .execute()
      ).map((r) => r.id),
    countInCollection: async (tenantId: string, collectionId: string, tx: Executor = db) =>
      Number(
        (
          await tx
            .selectFrom('tracks')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('collectionId', '=', collectionId)
            .where('tenantId', '=', tenantId)
            .where('deletedAt', 'is', null)
            .executeTakeFirstOrThrow()
        ).n,
      ),
    lanesFor: (assetIds: string[], tx: Executor = db): Promise<LaneState[]> =>
      assetIds.length === 0
        ? Promise.resolve([])
        : tx.selectFrom('processingLanes').select(['assetId', 'lane', 'status', 'attempts']).where('assetId', 'in', assetIds).execute(),
  };
}
export type CollectionTrackRepository = ReturnType<typeof createCollectionTrackRepository>;
