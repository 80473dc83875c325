import { sql } from 'kysely';
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { DistAssetDetailsTable } from '../../db/tables/distribution.js';
import type { TrackRow } from '../track.repository.js';
import { containsText, offsetOf, type Page, type PageQuery } from './query.js';

export type AssetDetailsRow = Selectable<DistAssetDetailsTable>;
export type NewAssetDetailsRow = Insertable<DistAssetDetailsTable>;
export type AssetDetailsPatch = Updateable<Omit<DistAssetDetailsTable, 'trackId' | 'tenantId'>>;

const SORTS = { updatedAt: 't.updatedAt', createdAt: 't.createdAt', title: 't.title', isrc: 't.isrc' } as const;
export type AssetSort = keyof typeof SORTS;

/** An asset's type; tracks filed through the other APIs have no details and are Audio. */
const ASSET_TYPE = sql<string>`coalesce(d.type, 'Audio')`;

export function createAssetDetailsRepository(db: Executor) {
  return {
    insert: (row: NewAssetDetailsRow, tx: Executor = db) => tx.insertInto('distAssetDetails').values(row).execute(),
    find: (trackId: string, tx: Executor = db) => tx.selectFrom('distAssetDetails').selectAll().where('trackId', '=', trackId).executeTakeFirst(),
    findMany: (trackIds: string[], tx: Executor = db) =>
      trackIds.length === 0 ? Promise.resolve([] as AssetDetailsRow[]) : tx.selectFrom('distAssetDetails').selectAll().where('trackId', 'in', trackIds).execute(),
    update: (trackId: string, patch: AssetDetailsPatch, tx: Executor = db) => tx.updateTable('distAssetDetails').set(patch).where('trackId', '=', trackId).execute(),
    delete: (trackId: string, tx: Executor = db) => tx.deleteFrom('distAssetDetails').where('trackId', '=', trackId).execute(),
    findByIsrc: (tenantId: string, isrc: string, tx: Executor = db) =>
      tx.selectFrom('distAssetDetails').select('trackId').where('tenantId', '=', tenantId).where('isrc', '=', isrc).executeTakeFirst(),
    listForRelease: (releaseId: string, tx: Executor = db) => tx.selectFrom('distAssetDetails').selectAll().where('releaseId', '=', releaseId).execute(),

    /** The tenant's live catalog tracks counted per asset type (tracks filed elsewhere are Audio), for summaries. */
    typeCounts: async (tenantId: string, tx: Executor = db) =>
      (
        await tx
          .selectFrom('tracks as t')
          .leftJoin('distAssetDetails as d', 'd.trackId', 't.id')
          .select((eb) => [ASSET_TYPE.as('type'), eb.fn.countAll<number>().as('n')])
          .where('t.tenantId', '=', tenantId)
          .where('t.deletedAt', 'is', null)
          // One literal expression in both places: PostgreSQL cannot tell that two parameters hold the same value.
          .groupBy(ASSET_TYPE)
          .execute()
      ).map((r) => ({ type: String(r.type), n: Number(r.n) })),

    /** The tenant's catalog tracks (every surface's), newest first by default. */
    /** `owner` narrows the list to one owner's tracks (see src/domain/track-access.ts); null lists the tenant's. */
    async listTracks(tenantId: string, p: PageQuery & { sort: AssetSort; q?: string; type?: string; owner?: { ownerUserId: string | null } | null }, tx: Executor = db): Promise<Page<TrackRow>> {
      let q = tx
        .selectFrom('tracks as t')
        .leftJoin('distAssetDetails as d', 'd.trackId', 't.id')
        .where('t.tenantId', '=', tenantId)
        .where('t.deletedAt', 'is', null);
      if (p.owner) q = p.owner.ownerUserId ? q.where('t.ownerUserId', '=', p.owner.ownerUserId) : q.where(sql<boolean>`false`);
      if (p.q) q = q.where(containsText(['t.title', 't.artist', 't.isrc', 'd.display_artist'], p.q));
      if (p.type) q = q.where((eb) => eb.fn.coalesce('d.type', eb.val('Audio')), '=', p.type);
      const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const rows = await q.selectAll('t').orderBy(SORTS[p.sort], p.order).orderBy('t.id', p.order).limit(p.size).offset(offsetOf(p)).execute();
      return { rows, total: Number(total.n) };
    },
  };
}
export type AssetDetailsRepository = ReturnType<typeof createAssetDetailsRepository>;
