import type { Executor } from '../../db/database.js';

export interface TenantVectorRow {
  trackId: string;
  ownerUserId: string | null;
  dims: number;
  vector: string;
}

/** Reads the embeddings lane's vectors: one per live track, of its current version. */
export function createEmbeddingRepository(db: Executor) {
  const current = (tenantId: string, tx: Executor) =>
    tx
      .selectFrom('embeddings as e')
      .innerJoin('trackVersions as v', 'v.assetId', 'e.assetId')
      .innerJoin('tracks as t', (j) => j.onRef('t.currentVersionId', '=', 'v.id').onRef('t.id', '=', 'e.trackId'))
      .select(['e.trackId', 't.ownerUserId', 'e.dims', 'e.vector'])
      .where('e.tenantId', '=', tenantId)
      .where('t.deletedAt', 'is', null);
  return {
    currentVectors: (tenantId: string, tx: Executor = db): Promise<TenantVectorRow[]> => current(tenantId, tx).execute(),
    /** Current vectors written at or after `since` (a `fingerprint` value). */
    currentVectorsSince: (tenantId: string, since: string, tx: Executor = db): Promise<TenantVectorRow[]> =>
      current(tenantId, tx).where('e.createdAt', '>=', since).execute(),
    /** The current vectors of these tracks; a track that is gone, deleted or not analysed has none. */
    async currentVectorsOf(tenantId: string, trackIds: string[], tx: Executor = db): Promise<TenantVectorRow[]> {
      const out: TenantVectorRow[] = [];
      for (let i = 0; i < trackIds.length; i += 500) out.push(...(await current(tenantId, tx).where('e.trackId', 'in', trackIds.slice(i, i + 500)).execute()));
      return out;
    },
    /** The current vector of one track, if its embeddings lane has produced one. */
    forTrack: (tenantId: string, trackId: string, tx: Executor = db) =>
      tx
        .selectFrom('embeddings as e')
        .innerJoin('tracks as t', 't.id', 'e.trackId')
        .innerJoin('trackVersions as v', (j) => j.onRef('v.id', '=', 't.currentVersionId').onRef('v.assetId', '=', 'e.assetId'))
        .select(['e.dims', 'e.vector'])
        .where('e.tenantId', '=', tenantId)
        .where('e.trackId', '=', trackId)
        .executeTakeFirst(),
    /** Changes whenever a vector is added or replaced (one probe of the tenant/created index). */
    async fingerprint(tenantId: string, tx: Executor = db): Promise<string> {
      const row = await tx
        .selectFrom('embeddings')
        .select((eb) => eb.fn.max('createdAt').as('latest'))
        .where('tenantId', '=', tenantId)
        .executeTakeFirst();
      return row?.latest ?? '';
    },
    count: async (tenantId: string, tx: Executor = db): Promise<number> =>
      Number((await tx.selectFrom('embeddings').select((eb) => eb.fn.countAll<number>().as('n')).where('tenantId', '=', tenantId).executeTakeFirstOrThrow()).n),
  };
}
export type EmbeddingRepository = ReturnType<typeof createEmbeddingRepository>;
