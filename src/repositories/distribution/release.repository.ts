import type { Insertable, Selectable, Updateable } from 'kysely';
import type { DbKind, Executor } from '../../db/database.js';
import type { DistReleasesTable } from '../../db/tables/distribution.js';
import { containsText, offsetOf, type Page, type PageQuery } from './query.js';

export type ReleaseRow = Selectable<DistReleasesTable>;
export type ReleasePatch = Updateable<Omit<DistReleasesTable, 'id' | 'tenantId'>>;

export interface ReleaseFilter {
  status?: string;
  format?: string;
  type?: string;
  search?: string;
}

const SORTS = { createdAt: 'createdAt', updatedAt: 'updatedAt', title: 'title', releaseDate: 'releaseDate', status: 'status' } as const;
export type ReleaseSort = keyof typeof SORTS;

export function createReleaseRepository(db: Executor, kind: DbKind) {
  return {
    insert: (row: Insertable<DistReleasesTable>, tx: Executor = db) => tx.insertInto('distReleases').values(row).execute(),
    find: (tenantId: string, id: string, tx: Executor = db) =>
      tx.selectFrom('distReleases').selectAll().where('tenantId', '=', tenantId).where('id', '=', id).executeTakeFirst(),
    /**
     * Reads the release inside a transaction and, on PostgreSQL, locks its row until the
     * transaction ends, so writers of its tracks queue up. SQLite has one writer already.
     */
    lock: (tenantId: string, id: string, tx: Executor) => {
      const q = tx.selectFrom('distReleases').selectAll().where('tenantId', '=', tenantId).where('id', '=', id);
      return (kind === 'postgres' ? q.forUpdate() : q).executeTakeFirst();
    },
    update: (id: string, patch: ReleasePatch, tx: Executor = db) => tx.updateTable('distReleases').set(patch).where('id', '=', id).execute(),
    delete: (id: string, tx: Executor = db) => tx.deleteFrom('distReleases').where('id', '=', id).execute(),
    findByProduct: (tenantId: string, productId: string, tx: Executor = db) =>
      tx.selectFrom('distReleases').selectAll().where('tenantId', '=', tenantId).where('productId', '=', productId).execute(),

    async list(tenantId: string, filter: ReleaseFilter, p: PageQuery & { sort: ReleaseSort }, tx: Executor = db): Promise<Page<ReleaseRow>> {
      let q = tx.selectFrom('distReleases').where('tenantId', '=', tenantId);
      if (filter.status) q = q.where('status', '=', filter.status);
      if (filter.format) q = q.where('format', '=', filter.format);
      if (filter.type) q = q.where('type', '=', filter.type);
      if (filter.search) q = q.where(containsText(['title', 'display_artist', 'label', 'upc'], filter.search));
      const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const rows = await q.selectAll().orderBy(SORTS[p.sort], p.order).orderBy('id', p.order).limit(p.size).offset(offsetOf(p)).execute();
      return { rows, total: Number(total.n) };
    },

    /** Release counts by status, format and type. */
    async stats(tenantId: string, tx: Executor = db) {
      const rows = await tx
        .selectFrom('distReleases')
        .select(['status', 'format', 'type', (eb) => eb.fn.countAll<number>().as('n')])
        .where('tenantId', '=', tenantId)
        .groupBy(['status', 'format', 'type'])
        .execute();
      return rows.map((r) => ({ status: r.status, format: r.format, type: r.type, n: Number(r.n) }));
    },
  };
}
export type ReleaseRepository = ReturnType<typeof createReleaseRepository>;
