import { Migrator, type MigrationResultSet } from 'kysely';
import type { Db } from './database.js';
import { migrations } from './migrations/index.js';

/**
 * `schema`: the PostgreSQL schema the connection works in. Without it the migrator looks for
 * its lock table in every schema of the database, and another schema's table (a concurrent test
 * run's) would be taken for ours.
 */
export async function migrateToLatest(db: Db, schema?: string): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    // Migrations are written against raw snake_case names; they bypass the camel-case plugin.
    db: db.withoutPlugins() as never,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}
