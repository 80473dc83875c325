import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { DistDeliveriesTable, DistDeliveryProvidersTable } from '../../db/tables/distribution.js';

export type DeliveryProviderRow = Selectable<DistDeliveryProvidersTable>;
export type DeliveryRow = Selectable<DistDeliveriesTable>;
export type DeliveryPatch = Updateable<Omit<DistDeliveriesTable, 'id' | 'tenantId'>>;

/** Delivery providers per tenant and the record of every product delivery. */
export function createDeliveryRepository(db: Executor) {
  return {
    insertProvider: (row: Insertable<DistDeliveryProvidersTable>, tx: Executor = db) => tx.insertInto('distDeliveryProviders').values(row).execute(),
    updateProvider: (id: string, patch: Updateable<Omit<DistDeliveryProvidersTable, 'id' | 'tenantId'>>, tx: Executor = db) =>
      tx.updateTable('distDeliveryProviders').set(patch).where('id', '=', id).execute(),
    deleteProvider: (tenantId: string, id: string, tx: Executor = db) => tx.deleteFrom('distDeliveryProviders').where('tenantId', '=', tenantId).where('id', '=', id).execute(),
    /** By id or by name. */
    findProvider: async (tenantId: string, ref: string, tx: Executor = db) =>
      (await tx.selectFrom('distDeliveryProviders').selectAll().where('tenantId', '=', tenantId).where('id', '=', ref).executeTakeFirst()) ??
      tx.selectFrom('distDeliveryProviders').selectAll().where('tenantId', '=', tenantId).where('name', '=', ref).executeTakeFirst(),
    providers: (tenantId: string, tx: Executor = db) => tx.selectFrom('distDeliveryProviders').selectAll().where('tenantId', '=', tenantId).orderBy('name').execute(),

    insert: (rows: Array<Insertable<DistDeliveriesTable>>, tx: Executor = db) => tx.insertInto('distDeliveries').values(rows).execute(),
    update: (id: string, patch: DeliveryPatch, tx: Executor = db) => tx.updateTable('distDeliveries').set(patch).where('id', '=', id).execute(),
    find: (tenantId: string, id: string, tx: Executor = db) => tx.selectFrom('distDeliveries').selectAll().where('tenantId', '=', tenantId).where('id', '=', id).executeTakeFirst(),
    inBatch: (batchId: string, tx: Executor = db) => tx.selectFrom('distDeliveries').selectAll().where('batchId', '=', batchId).orderBy('createdAt').orderBy('id').execute(),
    forProduct: (tenantId: string, productId: string, tx: Executor = db) =>
      tx.selectFrom('distDeliveries').selectAll().where('tenantId', '=', tenantId).where('productId', '=', productId).orderBy('createdAt', 'desc').orderBy('id', 'desc').execute(),
  };
}
export type DeliveryRepository = ReturnType<typeof createDeliveryRepository>;
