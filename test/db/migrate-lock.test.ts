import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { ensureSchema, openDatabase } from '../../src/db/database.js';
import { DatabaseNewerThanBuildError, migrateToLatest } from '../../src/db/migrate.js';
import { migrations } from '../../src/db/migrations/index.js';
import { dialects, dropSchemas, postgresUrl, uniqueSchema } from '../jobs/support.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const known = Object.keys(migrations);
const schemas: string[] = [];
const dirs: string[] = [];

function freshDatabase(dialect: 'sqlite' | 'postgres'): Config['database'] {
  if (dialect === 'postgres') {
    const schema = uniqueSchema('mig');
    schemas.push(schema, `${schema}_boss`);
    return { kind: 'postgres', url: postgresUrl()!, schema };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'll-mig-'));
  dirs.push(dir);
  return { kind: 'sqlite', file: path.join(dir, 'ledgerline.db') };
}

/** `node src/main.ts` against a database, as an operator starts it; resolves with its exit code and output. */
function runMain(database: Config['database'], dataDir: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src', 'main.ts')], {
      cwd: root,
      env: {
        ...process.env,
        PORT: '0',
        DATA_DIR: dataDir,
        JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
        LOG_LEVEL: 'warn',
        DATABASE_URL: database.kind === 'postgres' ? database.url : `sqlite:${database.file}`,
        ...(database.kind === 'postgres' ? { DATABASE_SCHEMA: database.schema } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

afterAll(async () => {
  if (schemas.length) await dropSchemas(...schemas);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.skipIf(!postgresUrl())('migrations on PostgreSQL under an advisory lock', () => {
  it('two processes migrating an empty schema at once apply every migration exactly once', async () => {
    const database = freshDatabase('postgres') as Extract<Config['database'], { kind: 'postgres' }>;
    const handles = [openDatabase(database), openDatabase(database), openDatabase(database)];
    try {
      const results = await Promise.all(handles.map(async (h) => (await ensureSchema(database), migrateToLatest(h.db, database.schema))));
      const applied = results.flatMap((r) => (r.results ?? []).filter((m) => m.status === 'Success').map((m) => m.migrationName));
      expect(applied.sort()).toEqual([...known].sort());
      // Whoever waited found nothing left to do.
      expect(results.filter((r) => (r.results ?? []).length > 0)).toHaveLength(1);
      const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(handles[0].db);
      expect(rows.rows.map((r) => r.name)).toEqual([...known].sort());
    } finally {
      for (const h of handles) await h.close();
    }
  });
});

describe.each(dialects())('a database migrated by a newer version (%s)', (dialect) => {
  it('is refused by the migrator, naming the unknown migration, and nothing is applied', async () => {
    const database = freshDatabase(dialect);
    await ensureSchema(database);
    const h = openDatabase(database);
    try {
      await migrateToLatest(h.db, database.kind === 'postgres' ? database.schema : undefined);
      await sql`insert into kysely_migration (name, timestamp) values ('0099-from-a-newer-release', ${new Date().toISOString()})`.execute(h.db);
      const err = await migrateToLatest(h.db, database.kind === 'postgres' ? database.schema : undefined).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DatabaseNewerThanBuildError);
      expect((err as DatabaseNewerThanBuildError).unknown).toEqual(['0099-from-a-newer-release']);
    } finally {
      await h.close();
    }
  });

  it('makes the server exit non-zero at start-up with a message saying why', async () => {
    const database = freshDatabase(dialect);
    await ensureSchema(database);
    const h = openDatabase(database);
    await migrateToLatest(h.db, database.kind === 'postgres' ? database.schema : undefined);
    await sql`insert into kysely_migration (name, timestamp) values ('0099-from-a-newer-release', ${new Date().toISOString()})`.execute(h.db);
    await h.close();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'll-mig-data-'));
    dirs.push(dataDir);
    const { code, out } = await runMain(database, dataDir);
    expect(code).toBe(3);
    expect(out).toContain('migrated by a newer Ledgerline');
    expect(out).toContain('0099-from-a-newer-release');
    expect(out).not.toContain('is running');
  });
});
