import type { Kysely } from 'kysely';
import { addChangeNotices } from './0006-change-notices.js';
import { T } from './columns.js';

/**
 * Where a tenant delivers DDEX batches (an SFTP server, an S3 bucket and prefix, or a local
 * folder), and every delivery of a product: its batch, status, bytes, files and message id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('dist_delivery_providers')
    .addColumn('id', T.id, (c) => c.primaryKey())
    .addColumn('tenant_id', T.id, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', T.text, (c) => c.notNull())
    .addColumn('kind', T.text, (c) => c.notNull())
    .addColumn('config', T.json, (c) => c.notNull())
    .addColumn('recipient_party_id', T.text, (c) => c.notNull())
    .addColumn('recipient_name', T.text, (c) => c.notNull())
    .addColumn('created_at', T.ts, (c) => c.notNull())
    .addColumn('updated_at', T.ts, (c) => c.notNull())
    .addUniqueConstraint('dist_delivery_providers_name_uq', ['tenant_id', 'name'])
    .execute();
  await db.schema
    .createTable('dist_deliveries')
    .addColumn('id', T.id, (c) => c.primaryKey())
    .addColumn('tenant_id', T.id, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('product_id', T.id, (c) => c.notNull().references('dist_products.id').onDelete('cascade'))
    .addColumn('provider_id', T.id, (c) => c.notNull().references('dist_delivery_providers.id').onDelete('cascade'))
    .addColumn('batch_id', T.text, (c) => c.notNull())
    .addColumn('message_kind', T.text, (c) => c.notNull())
    .addColumn('status', T.text, (c) => c.notNull())
    .addColumn('message_id', T.text)
    .addColumn('bytes', T.big, (c) => c.notNull().defaultTo(0))
    .addColumn('files', T.int, (c) => c.notNull().defaultTo(0))
    .addColumn('attempts', T.int, (c) => c.notNull().defaultTo(0))
    .addColumn('error', T.text)
    .addColumn('created_at', T.ts, (c) => c.notNull())
    .addColumn('updated_at', T.ts, (c) => c.notNull())
    .addColumn('delivered_at', T.ts)
    .execute();
  await db.schema.createIndex('dist_deliveries_product_idx').on('dist_deliveries').columns(['tenant_id', 'product_id', 'created_at']).execute();
  await db.schema.createIndex('dist_deliveries_batch_idx').on('dist_deliveries').column('batch_id').execute();
  await addChangeNotices(db, 'dist_delivery_providers');
  await addChangeNotices(db, 'dist_deliveries');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('dist_deliveries').execute();
  await db.schema.dropTable('dist_delivery_providers').execute();
}
