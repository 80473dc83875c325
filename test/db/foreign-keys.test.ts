import SQLite from 'better-sqlite3';
import { CamelCasePlugin, Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migrations } from '../../src/db/migrations/index.js';
import { dialects, postgresUrl, type Dialect } from '../helpers/app.js';

const BEFORE_KEYS = Object.keys(migrations)[Object.keys(migrations).indexOf('0009-foreign-keys') - 1]!;
const now = '2026-01-01T00:00:00.000Z';

interface Handle {
  db: Kysely<any>;
  schema?: string;
  close(): Promise<void>;
}

async function open(dialect: Dialect): Promise<Handle> {
  if (dialect === 'sqlite') {
    const raw = new SQLite(':memory:');
    raw.pragma('foreign_keys = ON');
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: raw }) });
    return { db, close: () => db.destroy() };
  }
  const schema = `fk_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  const admin = new pg.Client({ connectionString: postgresUrl() });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const pool = new pg.Pool({ connectionString: postgresUrl(), options: `-c search_path=${schema}`, max: 2 });
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    schema,
    close: async () => {
      await db.destroy();
      const drop = new pg.Client({ connectionString: postgresUrl() });
      await drop.connect();
      await drop.query(`drop schema ${schema} cascade`);
      await drop.end();
    },
  };
}

// Pinned to the test's own schema, as src/db/migrate.ts does, so a concurrent run's lock table is not taken for ours.
const migrator = (h: Handle) =>
  new Migrator({ db: h.db, provider: { getMigrations: async () => migrations }, ...(h.schema ? { migrationTableSchema: h.schema } : {}) });

/** A catalog as the old delete paths left it: rows whose track, asset or collection is gone. */
async function seedOrphans(db: Kysely<any>): Promise<void> {
  const d = db.withPlugin(new CamelCasePlugin());
  await d.insertInto('tenants').values({ id: 't1', name: 'label', plan: 'pro', entitlements: '[]', createdAt: now, updatedAt: now }).execute();
  const track = (id: string) => ({ id, tenantId: 't1', title: id, status: 'active', visibility: 'private', metadata: '{}', userTags: '[]', createdAt: now, updatedAt: now });
  await d.insertInto('tracks').values([track('kept'), { ...track('dangling'), collectionId: 'gone-collection' }]).execute();
  const asset = (id: string, trackId: string) => ({ id, tenantId: 't1', trackId, kind: 'audio', status: 'uploaded', storageKey: id, fileName: `${id}.wav`, contentType: 'audio/wav', metadata: '{}', createdAt: now, updatedAt: now });
  await d.insertInto('assets').values([asset('a-kept', 'kept'), asset('a-orphan', 'gone-track')]).execute();
  await d.insertInto('trackVersions').values({ id: 'v-orphan', tenantId: 't1', trackId: 'kept', assetId: 'a-orphan', isOriginal: 1, createdAt: now }).execute();
  const link = (trackId: string) => ({ trackId, tenantId: 't1', createdAt: now, updatedAt: now });
  await d.insertInto('collectionTracks').values([link('kept'), link('gone-track')]).execute();
}

describe.each(dialects())('foreign keys (%s)', (dialect) => {
  const handles: Handle[] = [];
  afterAll(async () => {
    for (const h of handles) await h.close();
  });

  it('removes the orphans an older catalog has, says how many, and then keeps parents and children together', async () => {
    const h = await open(dialect);
    handles.push(h);
    const m = migrator(h);
    const before = await m.migrateTo(BEFORE_KEYS);
    expect(before.error).toBeUndefined();
    await seedOrphans(h.db);

    const after = await m.migrateToLatest();
    expect(after.error).toBeUndefined();

    const note = await sql<{ note: string }>`select note from schema_notes where migration = '0009-foreign-keys'`.execute(h.db);
    // The orphan asset, the version on it, the link to a missing track, and the missing collection unlinked.
    expect(note.rows[0]!.note).toBe('removed or unlinked 4 orphan rows (tracks: 1, assets: 1, track_versions: 1, collection_tracks: 1)');
    const ids = async (table: string, column = 'id') => (await sql<{ v: string }>`select ${sql.id(column)} as v from ${sql.id(table)} order by 1`.execute(h.db)).rows.map((r) => r.v);
    expect(await ids('assets')).toEqual(['a-kept']);
    expect(await ids('track_versions')).toEqual([]);
    expect(await ids('collection_tracks', 'track_id')).toEqual(['kept']);
    const dangling = await sql<{ c: string | null }>`select collection_id as c from tracks where id = 'dangling'`.execute(h.db);
    expect(dangling.rows[0]!.c).toBeNull();

    // Deleting the parent now takes its children with it, and a child cannot name a missing parent.
    await sql`delete from tracks where id = 'kept'`.execute(h.db);
    expect(await ids('assets')).toEqual([]);
    expect(await ids('collection_tracks', 'track_id')).toEqual([]);
    await expect(
      sql`insert into collection_tracks (track_id, tenant_id, created_at, updated_at) values ('nowhere', 't1', ${now}, ${now})`.execute(h.db),
    ).rejects.toThrow(/foreign key/i);
  });

  it("removes product links to artists and assets that do not exist, and then keeps a product's links to real records", async () => {
    const h = await open(dialect);
    handles.push(h);
    const m = migrator(h);
    expect((await m.migrateTo('0011-distribution-webhooks')).error).toBeUndefined();
    const d = h.db.withPlugin(new CamelCasePlugin());
    await d.insertInto('tenants').values({ id: 't1', name: 'label', plan: 'pro', entitlements: '[]', createdAt: now, updatedAt: now }).execute();
    await d.insertInto('tracks').values({ id: 'song', tenantId: 't1', title: 'Song', status: 'active', visibility: 'private', metadata: '{}', userTags: '[]', createdAt: now, updatedAt: now }).execute();
    await d.insertInto('distArtists').values({ id: 'nova', tenantId: 't1', artistName: 'Nova', nameKey: 'nova', createdAt: now, updatedAt: now }).execute();
    await d.insertInto('distProducts').values({ id: 'p1', tenantId: 't1', code: 'p1', upc: '036000291452', title: 'EP', type: 'Audio', status: 'Pending', createdAt: now, updatedAt: now }).execute();
    const asset = (id: string, assetId: string, position: number) => ({ id, tenantId: 't1', productId: 'p1', assetId, number: position, position });
    await d.insertInto('distProductAssets').values([asset('pa1', 'song', 1), asset('pa2', 'asset-789', 2)]).execute();
    const link = (id: string, artistId: string, position: number) => ({ id, tenantId: 't1', entityType: 'product', entityId: 'p1', artistId, type: 'primary', position });
    await d.insertInto('distArtistLinks').values([link('l1', 'nova', 1), link('l2', 'artist-123', 2), link('l3', 'artist-456', 3)]).execute();

    expect((await m.migrateToLatest()).error).toBeUndefined();
    const note = await sql<{ note: string }>`select note from schema_notes where migration = '0012-product-references'`.execute(h.db);
    expect(note.rows[0]!.note).toBe('removed or unlinked 3 orphan rows (dist_product_assets: 1, dist_artist_links: 2)');
    expect((await d.selectFrom('distProductAssets').select('assetId').execute()).map((r) => r.assetId)).toEqual(['song']);
    expect((await d.selectFrom('distArtistLinks').select('artistId').execute()).map((r) => r.artistId)).toEqual(['nova']);

    await expect(d.insertInto('distProductAssets').values(asset('pa3', 'nowhere', 3)).execute()).rejects.toThrow(/foreign key/i);
    await d.deleteFrom('tracks').where('id', '=', 'song').execute();
    await d.deleteFrom('distArtists').where('id', '=', 'nova').execute();
    expect(await d.selectFrom('distProductAssets').selectAll().execute()).toEqual([]);
    expect(await d.selectFrom('distArtistLinks').selectAll().execute()).toEqual([]);
  });

  it('keeps the indexes and triggers of rebuilt tables', async () => {
    const h = await open(dialect);
    handles.push(h);
    expect((await migrator(h).migrateToLatest()).error).toBeUndefined();
    if (dialect !== 'sqlite') return;
    const rows = await sql<{ name: string }>`select name from sqlite_master where tbl_name = 'tracks' and type in ('index', 'trigger') order by name`.execute(h.db);
    const names = rows.rows.map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['tracks_tenant_created_idx', 'workspace_tracks_fts_insert', 'workspace_tracks_fts_update', 'workspace_tracks_fts_delete']));
  });
});
