import { SqliteAdapter, sql, type Kysely } from 'kysely';

/**
 * PostgreSQL only: every table notifies `ledgerline_changes` (payload: its schema) after each
 * writing statement, so other processes know their cached reads may be stale (see
 * src/db/pg-data-version.ts). Notifications are sent on commit and one per transaction. A table
 * created by a later migration must add the trigger too (`addChangeNotices`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await createSchemaNotice(db);
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like 'kysely_%'`.execute(db);
  for (const { name } of tables.rows) await addChangeNotices(db, name);
}

/** The notice function as this migration made it: the payload names the schema only (0016 adds the table). */
export async function createSchemaNotice(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function ledgerline_notify_change() returns trigger language plpgsql as $$
    begin
      perform pg_notify('ledgerline_changes', tg_table_schema);
      return null;
    end $$`.execute(db);
}

export async function addChangeNotices(db: Kysely<unknown>, table: string): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`
    create trigger ${sql.id(`${table}_change_notice`)}
    after insert or update or delete on ${sql.id(table)}
    for each statement execute function ledgerline_notify_change()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`drop function if exists ledgerline_notify_change() cascade`.execute(db);
}
