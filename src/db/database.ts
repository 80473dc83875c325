import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { CamelCasePlugin, CompiledQuery, Kysely, PostgresDialect, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import type { Database } from './schema.js';
import { sqliteDataVersion, type DataVersion } from './data-version.js';
import { pgDataVersion } from './pg-data-version.js';
import { migrationLockKey } from './migration-lock.js';

export type Db = Kysely<Database>;
export type DbKind = 'sqlite' | 'postgres';

// bigint (int8) and numeric come back from pg as strings; every such column we use fits a double.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export interface DatabaseHandle {
  db: Db;
  kind: DbKind;
  /** Where the data lives, for start-up messages (never includes a password). */
  describe: string;
  /** Lets read caches tell whether anything was written since (see data-version.ts). */
  dataVersion: DataVersion;
  close(): Promise<void>;
}

export function openDatabase(cfg: Config['database']): DatabaseHandle {
  if (cfg.kind === 'sqlite') {
    if (cfg.file !== ':memory:') mkdirSync(path.dirname(cfg.file), { recursive: true });
    const sqlite = new SQLite(cfg.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    const db = new Kysely<Database>({ dialect: immediateTransactions(new SqliteDialect({ database: withStatementCache(sqlite) })), plugins: [new CamelCasePlugin()] });
    return { db, kind: 'sqlite', describe: `SQLite ${cfg.file}`, dataVersion: sqliteDataVersion(sqlite), close: () => db.destroy() };
  }
  // Named so operators (and tests) can tell Ledgerline's connections apart in pg_stat_activity.
  const clientConfig: pg.ClientConfig = {
    connectionString: cfg.url,
    application_name: cfg.schema ? `ledgerline:${cfg.schema}` : 'ledgerline',
    ...(cfg.schema ? { options: `-c search_path=${cfg.schema}` } : {}),
  };
  const pool = new pg.Pool({ ...clientConfig, max: 10 });
  // An idle connection that dies (a server restart, a terminated backend) is dropped from the pool
  // and replaced on the next query; unheard, its error event would end the process.
  pool.on('error', () => undefined);
  const changes = pgDataVersion(pool, { ...clientConfig, application_name: `${clientConfig.application_name}:changes` });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] });
  const url = new URL(cfg.url);
  url.password = url.password ? '***' : '';
  return {
    db,
    kind: 'postgres',
    dataVersion: changes.version,
    describe: `PostgreSQL ${url.toString()}${cfg.schema ? ` (schema ${cfg.schema})` : ''}`,
    close: async () => {
      await changes.close();
      await db.destroy();
    },
  };
}

/**
 * Transactions take SQLite's write lock when they begin (`begin immediate`). A deferred
 * transaction that reads, then writes, cannot wait for another process's writer: SQLite
 * answers SQLITE_BUSY at once rather than deadlock, whatever the busy timeout. Taken up front,
 * the lock is waited for (`busy_timeout`), so two processes on one file queue instead of failing.
 */
function immediateTransactions(dialect: SqliteDialect): SqliteDialect {
  const createDriver = dialect.createDriver.bind(dialect);
  dialect.createDriver = () => {
    const driver = createDriver();
    driver.beginTransaction = async (connection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    return driver;
  };
  return dialect;
}

/**
 * Creates the configured PostgreSQL schema when it is missing (a fresh schema per test run), under
 * the schema's migration lock: two processes creating it at once would otherwise race in the
 * catalog (`CREATE SCHEMA IF NOT EXISTS` is not safe against a concurrent twin).
 */
export async function ensureSchema(cfg: Config['database']): Promise<void> {
  if (cfg.kind !== 'postgres' || !cfg.schema) return;
  const client = new pg.Client({ connectionString: cfg.url });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [migrationLockKey(cfg.schema)]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${cfg.schema}"`);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}

export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}

/** Transaction-or-db: repositories accept either, services decide where transactions begin. */
export type Executor = Db;

/**
 * Kysely prepares every query anew; on a hot read the prepare costs more than the query.
 * Statements are kept by SQL text (least recently used dropped first); one still busy
 * iterating a stream is never handed out twice.
 */
function withStatementCache(sqlite: SQLite.Database, max = 500): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => void sqlite.close(),
    prepare(text: string) {
      const cached = cache.get(text);
      if (cached && !cached.busy) {
        cache.delete(text);
        cache.set(text, cached);
        return cached;
      }
      const stmt = sqlite.prepare(text);
      if (!cached) {
        if (cache.size >= max) cache.delete(cache.keys().next().value as string);
        cache.set(text, stmt);
      }
      return stmt;
    },
  };
}
