import type { Selectable, Updateable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { WebhookDeliveriesTable } from '../../db/tables/collections.js';

export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
export type WebhookDeliveryPatch = Updateable<Omit<WebhookDeliveriesTable, 'id' | 'tenantId'>>;

export function createWebhookRepository(db: Executor) {
  return {
    insert: (row: WebhookDeliveryRow, tx: Executor = db) => tx.insertInto('webhookDeliveries').values(row).execute(),
    find: (tenantId: string, id: string, tx: Executor = db) =>
      tx.selectFrom('webhookDeliveries').selectAll().where('tenantId', '=', tenantId).where('id', '=', id).executeTakeFirst(),
    /** The newest deliveries first. */
    list: (tenantId: string, limit = 100, tx: Executor = db) =>
      tx.selectFrom('webhookDeliveries').selectAll().where('tenantId', '=', tenantId).orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(limit).execute(),
    update: (id: string, patch: WebhookDeliveryPatch, tx: Executor = db) => tx.updateTable('webhookDeliveries').set(patch).where('id', '=', id).execute(),
  };
}
export type WebhookRepository = ReturnType<typeof createWebhookRepository>;
