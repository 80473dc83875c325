import type { Kysely } from 'kysely';
import { T } from './columns.js';

/**
 * Failed access-code guesses are counted per share link, not per client, so guessing from many
 * addresses gains nothing; `locked_until` is when the link takes guesses again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('workspace_share_links').addColumn('failed_attempts', T.int, (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('workspace_share_links').addColumn('locked_until', T.ts).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('workspace_share_links').dropColumn('locked_until').execute();
  await db.schema.alterTable('workspace_share_links').dropColumn('failed_attempts').execute();
}
