import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { up as addChangeNoticesToAllTables } from '../../src/db/migrations/0006-change-notices.js';
import { pgDataVersion, type PgDataVersion } from '../../src/db/pg-data-version.js';
import { postgresUrl } from '../helpers/app.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: string, probe: () => T | null | undefined | false, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe.skipIf(!postgresUrl())('PostgreSQL data version', () => {
  const schema = `dv_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  const clientConfig: pg.ClientConfig = { connectionString: postgresUrl(), options: `-c search_path=${schema}` };
  let pool: pg.Pool;
  let db: Kysely<any>;
  let changes: PgDataVersion;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: postgresUrl() });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    pool = new pg.Pool({ ...clientConfig, max: 4 });
    changes = pgDataVersion(pool, { ...clientConfig, application_name: `listener_${schema}` });
    db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
    await sql`create table t (id serial primary key, v text)`.execute(db);
    await addChangeNoticesToAllTables(db);
  });
  afterAll(async () => {
    await changes?.close();
    await db?.destroy();
    const admin = new pg.Client({ connectionString: postgresUrl() });
    await admin.connect();
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  });

  const other = async (text: string) => {
    const c = new pg.Client(clientConfig);
    await c.connect();
    try {
      await c.query(text);
    } finally {
      await c.end();
    }
  };

  it('is known once listening, stays put across reads and moves with this process’s writes at once', async () => {
    const v0 = await until('listening', () => changes.version());
    await db.selectFrom('t').selectAll().execute();
    expect(changes.version()).toBe(v0);
    await db.insertInto('t').values({ v: 'a' }).execute();
    const v1 = changes.version();
    expect(v1).not.toBe(v0);
    await db.transaction().execute(async (tx) => {
      await tx.updateTable('t').set({ v: 'b' }).execute();
    });
    expect(changes.version()).not.toBe(v1);
  });

  it('moves when another process commits, not before', async () => {
    await until('listening', () => changes.version());
    // This process's own earlier writes notify too: let those arrive first.
    await sleep(300);
    const before = changes.version();
    const c = new pg.Client(clientConfig);
    await c.connect();
    await c.query('begin');
    await c.query(`insert into t (v) values ('pending')`);
    await sleep(100);
    expect(changes.version()).toBe(before);
    await c.query('commit');
    await c.end();
    await until('the notification', () => changes.version() !== before);
  });

  it('ignores another schema’s changes', async () => {
    await until('listening', () => changes.version());
    await sleep(300);
    const before = changes.version();
    await other(`select pg_notify('ledgerline_changes', 'some_other_schema')`);
    await sleep(100);
    expect(changes.version()).toBe(before);
  });

  it('is unknown while its connection is gone, and counts a change when it is back', async () => {
    const before = await until('listening', () => changes.version());
    await other(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'listener_${schema}'`);
    await until('the loss to be noticed', () => changes.version() === null);
    const after = await until('listening again', () => changes.version(), 5_000);
    expect(after).not.toBe(before);
  });
});
