import type { Selectable, Updateable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { CollectionVariantsTable } from '../../db/tables/collections.js';

export type VariantRow = Selectable<CollectionVariantsTable>;
export type VariantPatch = Updateable<Omit<CollectionVariantsTable, 'id' | 'tenantId' | 'trackId'>>;

/** Track-specific variants. */
export function createVariantRepository(db: Executor) {
  return {
    insert: (row: VariantRow, tx: Executor = db) => tx.insertInto('collectionVariants').values(row).execute(),
    find: (tenantId: string, id: string, tx: Executor = db) =>
      tx.selectFrom('collectionVariants').selectAll().where('tenantId', '=', tenantId).where('id', '=', id).executeTakeFirst(),
    findById: (id: string, tx: Executor = db) => tx.selectFrom('collectionVariants').selectAll().where('id', '=', id).executeTakeFirst(),
    forTrack: (trackId: string, tx: Executor = db) =>
      tx.selectFrom('collectionVariants').selectAll().where('trackId', '=', trackId).orderBy('createdAt').orderBy('id').execute(),
    forTracks: (trackIds: string[], tx: Executor = db) =>
      trackIds.length === 0
        ? Promise.resolve([] as VariantRow[])
        : tx.selectFrom('collectionVariants').selectAll().where('trackId', 'in', trackIds).orderBy('createdAt').orderBy('id').execute(),
    list: (tenantId: string, page: { limit: number; offset: number }, tx: Executor = db) =>
      tx
        .selectFrom('collectionVariants')
        .selectAll()
        .where('tenantId', '=', tenantId)
        .orderBy('createdAt')
        .orderBy('id')
        .limit(page.limit)
        .offset(page.offset)
        .execute(),
    count: async (tenantId: string, tx: Executor = db) =>
      Number(
        (await tx.selectFrom('collectionVariants').select((eb) => eb.fn.countAll<number>().as('n')).where('tenantId', '=', tenantId).executeTakeFirstOrThrow()).n,
      ),
    /** Distinct indexes of the tenant's track-specific variants. */
    indexes: async (tenantId: string, tx: Executor = db) =>
      (await tx.selectFrom('collectionVariants').select('variantIndex').distinct().where('tenantId', '=', tenantId).execute()).map((r) => r.variantIndex),
    update: (id: string, patch: VariantPatch, tx: Executor = db) => tx.updateTable('collectionVariants').set(patch).where('id', '=', id).execute(),
    /** Moves a variant out of an unfinished status exactly once; false when it was already finished. */
    finish: async (id: string, patch: VariantPatch, tx: Executor = db) => {
      const res = await tx.updateTable('collectionVariants').set(patch).where('id', '=', id).where('status', 'in', ['pending', 'processing']).executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
    deleteForTrack: (trackId: string, tx: Executor = db) => tx.deleteFrom('collectionVariants').where('trackId', '=', trackId).execute(),
  };
}
export type VariantRepository = ReturnType<typeof createVariantRepository>;
