import type { Kysely } from 'kysely';
import { T } from './columns.js';

/**
 * Objects being streamed into the store before the row that will own them is committed (a
 * product's file, a release track's media). The row is removed in the transaction that files
 * the object as an asset; one left behind by a process that died names an object to delete
 * (src/storage/pending-objects.ts). No change notices: no cached read depends on it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pending_objects')
    .addColumn('storage_key', T.text, (c) => c.primaryKey())
    .addColumn('tenant_id', T.text, (c) => c.notNull())
    .addColumn('created_at', T.text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pending_objects_created_idx').on('pending_objects').column('created_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('pending_objects').execute();
}
