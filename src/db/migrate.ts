import { Migrator, PostgresAdapter, sql, type MigrationResultSet } from 'kysely';
import type { Db } from './database.js';
import { migrationLockKey } from './migration-lock.js';
import { migrations } from './migrations/index.js';

/** The database carries migrations this build does not have: a newer Ledgerline migrated it. */
export class DatabaseNewerThanBuildError extends Error {
  constructor(readonly unknown: string[]) {
    super(
      `The database was migrated by a newer Ledgerline: migration(s) ${unknown.join(', ')} are recorded there but unknown to this build. ` +
        'Run the newer version (or restore a backup taken before the upgrade); this process will not start against it.',
    );
    this.name = 'DatabaseNewerThanBuildError';
  }
}

/**
 * Applies every pending migration, or refuses (DatabaseNewerThanBuildError) when the database
 * records a migration this build does not know. On PostgreSQL the check and the migration run
 * under a session-level advisory lock on the schema, so processes started at once on an empty
 * database migrate it exactly once: the first migrates, the others wait and then find nothing to
 * do. The migrator is pinned to the schema the connection works in (given, or read from
 * `current_schema()`): without it, it looks for its lock table in every schema of the database
 * and may take another schema's (a concurrent test run's) for ours.
 */
export async function migrateToLatest(db: Db, schema?: string): Promise<MigrationResultSet> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  if (!postgres) return migrateUnlocked(db, undefined);
  const pinned = schema ?? (await currentSchema(db));
  return db.connection().execute(async (conn) => {
    const key = migrationLockKey(pinned ?? 'public');
    await sql`select pg_advisory_lock(hashtextextended(${key}, 0))`.execute(conn);
    try {
      return await migrateUnlocked(db, pinned);
    } finally {
      await sql`select pg_advisory_unlock(hashtextextended(${key}, 0))`.execute(conn);
    }
  });
}

async function migrateUnlocked(db: Db, pinned: string | undefined): Promise<MigrationResultSet> {
  const unknown = (await executedMigrations(db, pinned)).filter((name) => !(name in migrations));
  if (unknown.length) throw new DatabaseNewerThanBuildError(unknown);
  const migrator = new Migrator({
    // Migrations are written against raw snake_case names; they bypass the camel-case plugin.
    db: db.withoutPlugins() as never,
    provider: { getMigrations: async () => migrations },
    ...(pinned ? { migrationTableSchema: pinned } : {}),
  });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}

/** Names recorded in Kysely's migration table; none on a database never migrated. */
async function executedMigrations(db: Db, pinned: string | undefined): Promise<string[]> {
  const raw = db.withoutPlugins();
  if (pinned === undefined) {
    const exists = await sql<{ n: number }>`select count(*) as n from sqlite_master where type = 'table' and name = 'kysely_migration'`.execute(raw);
    if (!Number(exists.rows[0]?.n)) return [];
    const r = await sql<{ name: string }>`select name from kysely_migration`.execute(raw);
    return r.rows.map((row) => row.name);
  }
  const exists = await sql<{ t: string | null }>`select to_regclass(${`"${pinned}".kysely_migration`}) as t`.execute(raw);
  if (!exists.rows[0]?.t) return [];
  const r = await sql<{ name: string }>`select name from ${sql.table(`${pinned}.kysely_migration`)}`.execute(raw);
  return r.rows.map((row) => row.name);
}

async function currentSchema(db: Db): Promise<string | undefined> {
  const r = await sql<{ s: string }>`select current_schema() as s`.execute(db);
  return r.rows[0]?.s ?? undefined;
}
