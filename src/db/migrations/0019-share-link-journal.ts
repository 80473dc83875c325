import { SqliteAdapter, sql, type Kysely } from 'kysely';
import { addJournalTriggers } from './0016-change-journal.js';

/**
 * Share links join the journaled tables (src/db/change-scopes.ts), so the share page's lookup
 * can be served from memory while no link (and none of the track rows it reads) has changed,
 * whatever else is written: a page view writes `track_events`, which it does not read.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await addJournalTriggers(db, 'workspace_share_links');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  for (const op of ['insert', 'update', 'delete']) await sql.raw(`drop trigger if exists workspace_share_links_journal_${op}`).execute(db);
}
