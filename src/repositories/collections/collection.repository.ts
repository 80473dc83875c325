import type { Selectable, Updateable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { CollectionsTable } from '../../db/tables/collections.js';

export type CollectionRow = Selectable<CollectionsTable>;
export type CollectionPatch = Updateable<Omit<CollectionsTable, 'id' | 'tenantId'>>;

export function createCollectionRepository(db: Executor) {
  return {
    insert: (row: CollectionRow, tx: Executor = db) => tx.insertInto('collections').values(row).execute(),
    find: (tenantId: string, id: string, tx: Executor = db) =>
      tx.selectFrom('collections').selectAll().where('tenantId', '=', tenantId).where('id', '=', id).executeTakeFirst(),
    list: (tenantId: string, page: { limit: number; offset: number; onlyId?: string }, tx: Executor = db) => {
      let q = tx.selectFrom('collections').selectAll().where('tenantId', '=', tenantId);
      if (page.onlyId) q = q.where('id', '=', page.onlyId);
      return q.orderBy('createdAt').orderBy('id').limit(page.limit).offset(page.offset).execute();
    },
    count: async (tenantId: string, onlyId?: string, tx: Executor = db) => {
      let q = tx.selectFrom('collections').select((eb) => eb.fn.countAll<number>().as('n')).where('tenantId', '=', tenantId);
      if (onlyId) q = q.where('id', '=', onlyId);
      return Number((await q.executeTakeFirstOrThrow()).n);
    },
    update: (tenantId: string, id: string, patch: CollectionPatch, tx: Executor = db) =>
      tx.updateTable('collections').set(patch).where('tenantId', '=', tenantId).where('id', '=', id).execute(),
    delete: (tenantId: string, id: string, tx: Executor = db) => tx.deleteFrom('collections').where('tenantId', '=', tenantId).where('id', '=', id).execute(),
    /** Ids of every track (live or soft-deleted) filed in the collection. */
    trackIds: async (tenantId: string, id: string, tx: Executor = db) =>
      (await tx.selectFrom('tracks').select('id').where('tenantId', '=', tenantId).where('collectionId', '=', id).execute()).map((r) => r.id),
  };
}
export type CollectionRepository = ReturnType<typeof createCollectionRepository>;
