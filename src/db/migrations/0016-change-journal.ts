import { SqliteAdapter, sql, type Kysely } from 'kysely';
import { TRACK_KEYED_TABLES } from '../change-scopes.js';
import { addChangeNotices, createSchemaNotice } from './0006-change-notices.js';

/**
 * Changes reported per table and per track (src/db/change-scopes.ts), so a cached read is
 * dropped only when what it read was written, not on any write anywhere.
 *
 * SQLite: triggers append one row per changed row of the listed tables to `change_journal`
 * (the track it belongs to, or null); every process reads the rows past the last one it saw
 * whenever the database's data version moves. The journal keeps its last 65,536 rows; a
 * process that fell further behind drops all its cached reads.
 *
 * PostgreSQL: the change notice of every table names the table (`schema:table`), and the
 * track-keyed tables send one notice per changed track (`schema:table:trackId`) instead.
 *
 * A later migration that rebuilds one of these tables must create its triggers again.
 */
const KEEP = 65_536;
const PRUNE_EVERY = 1_024;

export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return upSqlite(db);
  return upPostgres(db);
}

async function upSqlite(db: Kysely<unknown>): Promise<void> {
  await sql`create table change_journal (seq integer primary key autoincrement, tbl text not null, track_id text)`.execute(db);
  await sql.raw(`
    create trigger change_journal_prune after insert on change_journal when new.seq % ${PRUNE_EVERY} = 0
    begin delete from change_journal where seq <= new.seq - ${KEEP}; end`).execute(db);
  for (const [table, column] of Object.entries(TRACK_KEYED_TABLES)) await addJournalTriggers(db, table, column);
  for (const table of ['tenants', 'users', 'api_keys']) await addJournalTriggers(db, table);
}

/**
 * SQLite: the triggers that journal a table's changes, naming the track of each changed row
 * (`trackColumn`) or none. A table journaled by a later migration calls this (PostgreSQL's
 * notices already name every table).
 */
export async function addJournalTriggers(db: Kysely<unknown>, table: string, trackColumn?: string): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  for (const [op, row] of [['insert', 'new'], ['update', 'new'], ['delete', 'old']] as const) {
    const track = trackColumn ? `${row}.${trackColumn}` : 'null';
    // An update that moves a row to another track reports both.
    const moved = trackColumn && op === 'update' ? `insert into change_journal (tbl, track_id) select '${table}', old.${trackColumn} where old.${trackColumn} is not new.${trackColumn};` : '';
    await sql.raw(`
      create trigger ${table}_journal_${op} after ${op} on ${table}
      begin insert into change_journal (tbl, track_id) values ('${table}', ${track}); ${moved} end`).execute(db);
  }
}

async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function ledgerline_notify_change() returns trigger language plpgsql as $$
    begin
      perform pg_notify('ledgerline_changes', tg_table_schema || ':' || tg_table_name);
      return null;
    end $$`.execute(db);
  await sql`
    create or replace function ledgerline_notify_track_change() returns trigger language plpgsql as $$
    declare
      before_id text;
      after_id text;
    begin
      if tg_op <> 'INSERT' then before_id := to_jsonb(old) ->> tg_argv[0]; end if;
      if tg_op <> 'DELETE' then after_id := to_jsonb(new) ->> tg_argv[0]; end if;
      -- Notices are folded per transaction: a track written many times is announced once.
      if tg_op <> 'INSERT' and (tg_op = 'DELETE' or before_id is distinct from after_id) then
        perform pg_notify('ledgerline_changes', tg_table_schema || ':' || tg_table_name || ':' || coalesce(before_id, ''));
      end if;
      if tg_op <> 'DELETE' then
        perform pg_notify('ledgerline_changes', tg_table_schema || ':' || tg_table_name || ':' || coalesce(after_id, ''));
      end if;
      return null;
    end $$`.execute(db);
  for (const [table, column] of Object.entries(TRACK_KEYED_TABLES)) {
    await sql`drop trigger if exists ${sql.id(`${table}_change_notice`)} on ${sql.id(table)}`.execute(db);
    await sql`
      create trigger ${sql.id(`${table}_change_notice`)}
      after insert or update or delete on ${sql.id(table)}
      for each row execute function ledgerline_notify_track_change(${sql.lit(column)})`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    for (const table of [...Object.keys(TRACK_KEYED_TABLES), 'tenants', 'users', 'api_keys']) {
      for (const op of ['insert', 'update', 'delete']) await sql.raw(`drop trigger if exists ${table}_journal_${op}`).execute(db);
    }
    await sql`drop table if exists change_journal`.execute(db);
    return;
  }
  for (const table of Object.keys(TRACK_KEYED_TABLES)) {
    await sql`drop trigger if exists ${sql.id(`${table}_change_notice`)} on ${sql.id(table)}`.execute(db);
    await addChangeNotices(db, table);
  }
  await sql`drop function if exists ledgerline_notify_track_change()`.execute(db);
  await createSchemaNotice(db);
}
