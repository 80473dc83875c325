import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../db/database.js';
import type { TracksTable, TrackVersionsTable } from '../db/tables/catalog.js';

export type TrackRow = Selectable<TracksTable>;
export type NewTrackRow = Insertable<TracksTable>;
export type TrackPatch = Updateable<Omit<TracksTable, 'id' | 'tenantId'>>;
export type TrackVersionRow = Selectable<TrackVersionsTable>;

/** The one track table every surface reads and writes. Soft-deleted rows are hidden unless asked for. */
export function createTrackRepository(db: Executor) {
  return {
    insert: (row: NewTrackRow, tx: Executor = db) => tx.insertInto('tracks').values(row).execute(),
    find: (tenantId: string, id: string, opts: { includeDeleted?: boolean } = {}, tx: Executor = db) => {
      let q = tx.selectFrom('tracks').selectAll().where('tenantId', '=', tenantId).where('id', '=', id);
      if (!opts.includeDeleted) q = q.where('deletedAt', 'is', null);
      return q.executeTakeFirst();
    },
    findMany: (tenantId: string, ids: string[], tx: Executor = db) =>
      ids.length === 0
        ? Promise.resolve([] as TrackRow[])
        : tx.selectFrom('tracks').selectAll().where('tenantId', '=', tenantId).where('id', 'in', ids).where('deletedAt', 'is', null).execute(),
    /** Points the track at `assetId` as its artwork unless it already has some; true when it did. */
    setArtworkIfNone: async (tenantId: string, id: string, assetId: string, at: string, tx: Executor = db) => {
      const res = await tx
        .updateTable('tracks')
        .set({ artworkAssetId: assetId, updatedAt: at })
        .where('tenantId', '=', tenantId)
        .where('id', '=', id)
        .where('artworkAssetId', 'is', null)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
    update: async (tenantId: string, id: string, patch: TrackPatch, tx: Executor = db) => {
      const res = await tx.updateTable('tracks').set(patch).where('tenantId', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
    hardDelete: (tenantId: string, id: string, tx: Executor = db) => tx.deleteFrom('tracks').where('tenantId', '=', tenantId).where('id', '=', id).execute(),
    findByIsrc: (tenantId: string, isrc: string, tx: Executor = db) =>
      tx.selectFrom('tracks').selectAll().where('tenantId', '=', tenantId).where('isrc', '=', isrc).where('deletedAt', 'is', null).executeTakeFirst(),

    insertVersion: (row: TrackVersionRow, tx: Executor = db) => tx.insertInto('trackVersions').values(row).execute(),
    listVersions: (trackId: string, tx: Executor = db) =>
      tx.selectFrom('trackVersions').selectAll().where('trackId', '=', trackId).orderBy('createdAt').orderBy('id').execute(),
    findVersion: (trackId: string, versionId: string, tx: Executor = db) =>
      tx.selectFrom('trackVersions').selectAll().where('trackId', '=', trackId).where('id', '=', versionId).executeTakeFirst(),
    findVersionByAsset: (assetId: string, tx: Executor = db) => tx.selectFrom('trackVersions').selectAll().where('assetId', '=', assetId).executeTakeFirst(),
    deleteVersion: (trackId: string, versionId: string, tx: Executor = db) =>
      tx.deleteFrom('trackVersions').where('trackId', '=', trackId).where('id', '=', versionId).execute(),
  };
}
export type TrackRepository = ReturnType<typeof createTrackRepository>;
