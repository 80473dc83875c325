import type { Selectable, Updateable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { DistWebhookDeliveriesTable, DistWebhookSettingsTable } from '../../db/tables/distribution.js';
import { offsetOf, type Page, type PageQuery } from './query.js';

export type WebhookSettingsRow = Selectable<DistWebhookSettingsTable>;
export type DistDeliveryRow = Selectable<DistWebhookDeliveriesTable>;
export type DistDeliveryPatch = Updateable<Omit<DistWebhookDeliveriesTable, 'id' | 'tenantId'>>;

export interface DeliveryFilter {
  status?: string;
  event?: string;
  /** ISO timestamps bounding created_at: from inclusive, to exclusive. */
  from?: string;
  to?: string;
}

/** The distribution webhook's settings and its deliveries. */
export function createDistWebhookRepository(db: Executor) {
  function filtered(tenantId: string, f: DeliveryFilter, tx: Executor) {
    let q = tx.selectFrom('distWebhookDeliveries').where('tenantId', '=', tenantId);
    if (f.status) q = q.where('status', '=', f.status);
    if (f.event) q = q.where('event', '=', f.event);
    if (f.from) q = q.where('createdAt', '>=', f.from);
    if (f.to) q = q.where('createdAt', '<', f.to);
    return q;
  }

  return {
    settings: (tenantId: string, tx: Executor = db) => tx.selectFrom('distWebhookSettings').selectAll().where('tenantId', '=', tenantId).executeTakeFirst(),

    /** Writes the settings row, creating it on first use. */
    async saveSettings(tenantId: string, patch: Partial<Omit<WebhookSettingsRow, 'tenantId'>>, now: string, tx: Executor = db): Promise<void> {
      const row = { tenantId, url: null, secret: null, isActive: 0, enabledEvents: null, ...patch, updatedAt: now };
      await tx
        .insertInto('distWebhookSettings')
        .values(row)
        .onConflict((oc) => oc.column('tenantId').doUpdateSet({ ...patch, updatedAt: now }))
        .execute();
    },

    insert: (row: DistDeliveryRow, tx: Executor = db) => tx.insertInto('distWebhookDeliveries').values(row).execute(),
    find: (tenantId: string, id: string, tx: Executor = db) =>
      tx.selectFrom('distWebhookDeliveries').selectAll().where('tenantId', '=', tenantId).where('id', '=', id).executeTakeFirst(),

    /**
     * Moves a delivery on from one of the states in `from`, at the attempt the caller read: of
     * two runs that finish the same attempt, the second changes nothing, so a delivery is marked
     * a success at most once.
     */
    async transition(id: string, from: readonly string[], patch: DistDeliveryPatch, guard: { attempt: number }, tx: Executor = db): Promise<boolean> {
      const r = await tx
        .updateTable('distWebhookDeliveries')
        .set(patch)
        .where('id', '=', id)
        .where('status', 'in', [...from])
        .where('attempt', '=', guard.attempt)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    /** Pending deliveries whose next attempt (or first, when none is scheduled) was due before `before`. */
    stalled: (before: string, tx: Executor = db) =>
      tx
        .selectFrom('distWebhookDeliveries')
        .selectAll()
        .where('status', '=', 'pending')
        .where((eb) => eb.or([eb('nextRetryAt', '<', before), eb.and([eb('nextRetryAt', 'is', null), eb('updatedAt', '<', before)])]))
        .limit(1000)
        .execute(),

    async list(tenantId: string, f: DeliveryFilter, page: PageQuery, tx: Executor = db): Promise<Page<DistDeliveryRow>> {
      const [rows, count] = await Promise.all([
        filtered(tenantId, f, tx).selectAll().orderBy('createdAt', page.order).orderBy('id', page.order).limit(page.size).offset(offsetOf(page)).execute(),
        filtered(tenantId, f, tx).select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(count.n) };
    },

    /** Counts per status and per event over the filtered deliveries. */
    async counts(tenantId: string, f: DeliveryFilter, tx: Executor = db) {
      const rows = await filtered(tenantId, f, tx)
        .select(['status', 'event', (eb) => eb.fn.countAll<string | number>().as('n'), (eb) => eb.fn.avg<string | number | null>('responseMs').as('avgMs')])
        .groupBy(['status', 'event'])
        .execute();
      return rows.map((r) => ({ status: r.status, event: r.event, n: Number(r.n), avgMs: r.avgMs === null ? null : Number(r.avgMs) }));
    },
  };
}
export type DistWebhookRepository = ReturnType<typeof createDistWebhookRepository>;
