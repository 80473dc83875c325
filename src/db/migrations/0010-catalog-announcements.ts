import type { Kysely } from 'kysely';
import { addChangeNotices } from './0006-change-notices.js';
import { T } from './columns.js';

/**
 * Which terminal states (`ready`, `failed`) of each audio version were announced. The primary
 * key makes announcing a claim: whichever process inserts the row publishes the event, so a
 * version becomes ready exactly once however many lanes, retries and workers report on it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('catalog_announcements')
    .addColumn('asset_id', T.id, (c) => c.notNull().references('assets.id').onDelete('cascade'))
    .addColumn('state', T.text, (c) => c.notNull())
    .addColumn('tenant_id', T.id, (c) => c.notNull())
    .addColumn('track_id', T.id, (c) => c.notNull().references('tracks.id').onDelete('cascade'))
    .addColumn('created_at', T.ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('catalog_announcements_pk', ['asset_id', 'state'])
    .execute();
  await db.schema.createIndex('catalog_announcements_track_idx').on('catalog_announcements').column('track_id').execute();
  await addChangeNotices(db, 'catalog_announcements');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('catalog_announcements').execute();
}
