import type { Kysely } from 'kysely';
import { T } from './columns.js';

/**
 * Catalog events written in the transaction that caused them and removed once published, so a
 * crash between the commit and the publish leaves them to be published by the next sweep
 * (src/catalog/event-outbox.ts). No change notices: no cached read depends on this table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('event_outbox')
    .addColumn('id', T.text, (c) => c.primaryKey())
    .addColumn('events', T.text, (c) => c.notNull())
    .addColumn('created_at', T.text, (c) => c.notNull())
    // Until then the process that wrote the row publishes it; after that, any worker's sweep may.
    .addColumn('due_at', T.text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('event_outbox_due_idx').on('event_outbox').column('due_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('event_outbox').execute();
}
