import { Migrator, PostgresAdapter, sql, type MigrationResultSet } from 'kysely';
import type { Db } from './database.js';
import { migrations } from './migrations/index.js';

/**
 * Applies every pending migration. On PostgreSQL the migrator is pinned to the schema the
 * connection works in (given, or read from `current_schema()`): without it, it looks for its lock
 * table in every schema of the database and may take another schema's (a concurrent test run's)
 * for ours.
 */
export async function migrateToLatest(db: Db, schema?: string): Promise<MigrationResultSet> {
  const pinned = schema ?? (await currentSchema(db));
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

async function currentSchema(db: Db): Promise<string | undefined> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return undefined;
  const r = await sql<{ s: string }>`select current_schema() as s`.execute(db);
  return r.rows[0]?.s ?? undefined;
}
