import type { Kysely } from 'kysely';
import { T } from './columns.js';

/**
 * When each pending auto-finalize upload is next looked for in an S3 store. A worker claims due
 * rows (on PostgreSQL with `FOR UPDATE SKIP LOCKED`) and pushes their next check forward in the
 * same statement, so each object is looked at by one worker per round however many run.
 * Scheduling bookkeeping only, so it sends no change notices: no cached read depends on it, and a
 * notice every round would empty every process's caches while an upload is pending.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('upload_watch')
    .addColumn('upload_id', T.id, (c) => c.primaryKey().references('uploads.id').onDelete('cascade'))
    .addColumn('next_check_at', T.ts, (c) => c.notNull())
    .addColumn('checks', T.int, (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('uploads_auto_finalize_pending_idx').on('uploads').columns(['status', 'auto_finalize', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('uploads_auto_finalize_pending_idx').execute();
  await db.schema.dropTable('upload_watch').execute();
}
