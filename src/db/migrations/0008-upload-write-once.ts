import { sql, type Kysely } from 'kysely';
import { T } from './columns.js';

/**
 * A signed upload URL writes once. `write_state` moves pending -> writing (one PUT claimed
 * it) -> written (its bytes are in place); an aborted PUT moves it back to pending. The size
 * and ETag seen at finalize let a second look tell whether the object was replaced since.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('uploads').addColumn('write_state', T.text, (c) => c.notNull().defaultTo('pending')).execute();
  await db.schema.alterTable('uploads').addColumn('write_claim', T.id).execute();
  await db.schema.alterTable('uploads').addColumn('write_started_at', T.ts).execute();
  await db.schema.alterTable('uploads').addColumn('written_size', T.big).execute();
  await db.schema.alterTable('uploads').addColumn('written_etag', T.text).execute();
  // Finalized uploads already have their bytes; expired ones never take more.
  await sql`update uploads set write_state = 'written' where status <> 'pending'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['written_etag', 'written_size', 'write_started_at', 'write_claim', 'write_state']) {
    await db.schema.alterTable('uploads').dropColumn(column).execute();
  }
}
