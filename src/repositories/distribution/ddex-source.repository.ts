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
    collaborators: (tenantId: string, ids: string[], tx: Executor = db) =>
      ids.length === 0
        ? Promise.resolve([])
        : tx.selectFrom('workspaceCollaborators').select(['id', 'name', 'ipi', 'pro']).where('tenantId', '=', tenantId).where('id', 'in', ids).execute(),
  };
}
export type DdexSourceRepository = ReturnType<typeof createDdexSourceRepository>;
