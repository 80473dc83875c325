import type { Kysely } from 'kysely';
import { addChangeNotices } from './0006-change-notices.js';
import { T } from './columns.js';

/**
 * The distribution surface's webhook: one endpoint per tenant with its signing secret, whether it
 * is on, which events it takes; and every delivery, queued in the database so that it survives a
 * restart and can be listed, summarised and retried.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('dist_webhook_settings')
    .addColumn('tenant_id', T.id, (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
    .addColumn('url', T.text)
    .addColumn('secret', T.text)
    .addColumn('is_active', T.bool, (c) => c.notNull().defaultTo(0))
    // null: every event; a list: those events only.
    .addColumn('enabled_events', T.json)
    .addColumn('updated_at', T.ts, (c) => c.notNull())
    .execute();
  await addChangeNotices(db, 'dist_webhook_settings');

  await db.schema
    .createTable('dist_webhook_deliveries')
    .addColumn('id', T.id, (c) => c.primaryKey())
    .addColumn('tenant_id', T.id, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('event', T.text, (c) => c.notNull())
    .addColumn('category', T.text, (c) => c.notNull())
    .addColumn('resource_type', T.text, (c) => c.notNull())
    .addColumn('resource_id', T.text, (c) => c.notNull())
    .addColumn('url', T.text, (c) => c.notNull())
    // The payload without its `delivery` block, which each attempt writes afresh.
    .addColumn('payload', T.json, (c) => c.notNull())
    .addColumn('status', T.text, (c) => c.notNull())
    .addColumn('attempt', T.int, (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', T.int, (c) => c.notNull())
    .addColumn('next_retry_at', T.ts)
    .addColumn('response_code', T.int)
    .addColumn('response_ms', T.int)
    .addColumn('last_error', T.text)
    .addColumn('retries_requested', T.int, (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', T.ts, (c) => c.notNull())
    .addColumn('updated_at', T.ts, (c) => c.notNull())
    .addColumn('completed_at', T.ts)
    .execute();
  await db.schema.createIndex('dist_webhook_deliveries_tenant_idx').on('dist_webhook_deliveries').columns(['tenant_id', 'created_at']).execute();
  await db.schema.createIndex('dist_webhook_deliveries_status_idx').on('dist_webhook_deliveries').columns(['tenant_id', 'status']).execute();
  await addChangeNotices(db, 'dist_webhook_deliveries');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('dist_webhook_deliveries').execute();
  await db.schema.dropTable('dist_webhook_settings').execute();
}
