import type { Executor } from '../../db/database.js';

/** The rows an ERN message is built from that the other distribution repositories do not read. */
export function createDdexSourceRepository(db: Executor) {
  return {
    /** Each track's delivered audio: the file of its current version (the uploaded master, never a transcode). */
    masters: (tenantId: string, trackIds: string[], tx: Executor = db) =>
      trackIds.length === 0
        ? Promise.resolve([])
        : tx
            .selectFrom('tracks as t')
            .innerJoin('trackVersions as v', 'v.id', 't.currentVersionId')
            .innerJoin('assets as a', 'a.id', 'v.assetId')
            .select(['t.id as trackId', 'a.id as assetId', 'a.storageKey', 'a.fileName', 'a.contentType', 'a.size', 'a.status'])
            .where('t.tenantId', '=', tenantId)
            .where('t.id', 'in', trackIds)
            .execute(),
    assets: (tenantId: string, ids: string[], tx: Executor = db) =>
      ids.length === 0
        ? Promise.resolve([])
        : tx
            .selectFrom('assets')
            .select(['id', 'storageKey', 'fileName', 'contentType', 'size', 'status', 'kind'])
            .where('tenantId', '=', tenantId)
            .where('id', 'in', ids)
            .execute(),
    splitSheets: (tenantId: string, trackIds: string[], tx: Executor = db) =>
      trackIds.length === 0
        ? Promise.resolve([])
        : tx.selectFrom('workspaceSplitSheets').selectAll().where('tenantId', '=', tenantId).where('trackId', 'in', trackIds).execute(),
    /** Split sheets of live tracks, updated since an instant or of one track, oldest first. */
    sheetsOf: (tenantId: string, filter: { since?: string; trackId?: string }, tx: Executor = db) => {
      let q = tx
        .selectFrom('workspaceSplitSheets as s')
        .innerJoin('tracks as t', 't.id', 's.trackId')
        .leftJoin('distAssetDetails as d', 'd.trackId', 's.trackId')
        .select(['s.trackId', 's.writers', 's.publishers', 's.createdAt', 's.updatedAt', 't.title', 't.iswc', 't.isrc', 't.durationMs', 't.artist', 'd.version', 'd.displayArtist', 'd.isrc as detailsIsrc'])
        .where('s.tenantId', '=', tenantId)
        .where('t.deletedAt', 'is', null);
      if (filter.since) q = q.where('s.updatedAt', '>=', filter.since);
      if (filter.trackId) q = q.where('s.trackId', '=', filter.trackId);
      return q.orderBy('s.updatedAt').orderBy('s.trackId').execute();
    },
    collaborators: (tenantId: string, ids: string[], tx: Executor = db) =>
      ids.length === 0
        ? Promise.resolve([])
        : tx.selectFrom('workspaceCollaborators').select(['id', 'name', 'ipi', 'pro']).where('tenantId', '=', tenantId).where('id', 'in', ids).execute(),
  };
}
export type DdexSourceRepository = ReturnType<typeof createDdexSourceRepository>;
