import type { Kysely } from 'kysely';
import { T } from './columns.js';

/**
 * Public rate-limit counters shared by every API process of a PostgreSQL deployment: hits per
 * client key and fixed window. Counters only, so no change notices: no cached read depends on
 * them, and a notice per public request would empty every process's caches.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rate_limit_windows')
    .addColumn('key', T.text, (c) => c.notNull())
    .addColumn('window_start', T.big, (c) => c.notNull())
    .addColumn('hits', T.int, (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_limit_windows_pk', ['key', 'window_start'])
    .execute();
  await db.schema.createIndex('rate_limit_windows_start_idx').on('rate_limit_windows').column('window_start').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('rate_limit_windows').execute();
}
