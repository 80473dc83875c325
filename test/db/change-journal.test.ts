import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { organization } from '../integration/collections/setup.js';

/**
 * The SQLite change journal (migration 0016) behind scoped data versions: rows name the table
 * and track each write touched; a process that missed rows (pruned) drops everything it cached.
 */
describe('SQLite change journal', () => {
  let t: TestApp;
  let a: string;
  let b: string;
  const RECORD = ['tracks', 'collection_tracks', 'track_versions', 'assets', 'processing_lanes'] as const;
  const of = (trackId: string) => t.container.dataVersion({ tables: RECORD, trackId });
  const other = () => new SQLite(path.resolve((t.container.config.database as { file: string }).file));

  beforeAll(async () => {
    t = await createTestApp({ dialect: 'sqlite' });
    const org = await organization(t, 'journal');
    const collectionId = (await org.api.post('/v1/collection', { title: 'J' })).body.collection_id;
    a = (await org.api.post('/v1/track', { collection_id: collectionId, file_name: 'a.wav' })).body.track_id;
    b = (await org.api.post('/v1/track', { collection_id: collectionId, file_name: 'b.wav' })).body.track_id;
  });
  afterAll(async () => t?.close());

  it('records the track of every written row, and one row per table for the credential tables', async () => {
    const before = (await sql<{ seq: number }>`select max(seq) as seq from change_journal`.execute(t.container.db)).rows[0].seq;
    await sql`update tracks set title = 'x' where id in (${a}, ${b})`.execute(t.container.db);
    await sql`update api_keys set name = name`.execute(t.container.db);
    const rows = (await sql<{ tbl: string; trackId: string | null }>`select tbl, track_id as "trackId" from change_journal where seq > ${before} order by seq`.execute(t.container.db)).rows;
    expect(rows.filter((r) => r.tbl === 'tracks').map((r) => r.trackId).sort()).toEqual([a, b].sort());
    expect(rows.filter((r) => r.tbl === 'api_keys').every((r) => r.trackId === null)).toBe(true);
  });

  it('reads through inside a transaction and moves once it commits', async () => {
    const before = of(a);
    await t.container.db.transaction().execute(async (tx) => {
      await sql`update tracks set title = 'in tx' where id = ${a}`.execute(tx);
      expect(of(a)).toBeNull();
    });
    expect(of(a)).not.toBeNull();
    expect(of(a)).not.toBe(before);
  });

  it('keeps one track’s version while another connection writes another track, and drops everything after missing pruned rows', async () => {
    const before = of(a);
    const db = other();
    try {
      db.prepare('update processing_lanes set attempts = attempts + 1 where track_id = ?').run(b);
      db.prepare("update tracks set title = 'b again' where id = ?").run(b);
      await new Promise((r) => setTimeout(r, 5));
      expect(of(a)).toBe(before);
      // Far more rows than the journal keeps, none of them about `a`, written while this process looked away.
      db.transaction(() => {
        const insert = db.prepare("insert into change_journal (tbl, track_id) values ('tracks', ?)");
        for (let i = 0; i < 70_000; i++) insert.run(b);
      })();
      const kept = db.prepare('select count(*) from change_journal').pluck().get() as number;
      expect(kept).toBeLessThanOrEqual(65_536 + 1_024);
    } finally {
      db.close();
    }
    await new Promise((r) => setTimeout(r, 5));
    expect(of(a)).not.toBe(before);
  });
});
