import { sql, SqliteAdapter, type Kysely } from 'kysely';
import { T } from './columns.js';

/**
 * Full text over title, artist, tags (user tags, genre, key) and lyrics. SQLite keeps an FTS5
 * table in step with `tracks` through triggers, so tracks written by any surface are indexed;
 * PostgreSQL indexes the same weighted document as a GIN expression index.
 */
export const PG_SEARCH_DOCUMENT = `(
  setweight(to_tsvector('simple'::regconfig, coalesce(title, '')), 'A') ||
  setweight(to_tsvector('simple'::regconfig, coalesce(artist, '')), 'B') ||
  setweight(to_tsvector('simple'::regconfig, coalesce(user_tags, '') || ' ' || coalesce(genre, '') || ' ' || coalesce(musical_key, '')), 'C') ||
  setweight(to_tsvector('simple'::regconfig, coalesce(lyrics, '')), 'D'))`;

/**
 * SQLite keys the FTS rows in one block of 2^32 per tenant (block = the tenant's ordinal), so
 * a search is narrowed to its tenant by a rowid range, which FTS5 applies while reading the
 * index, before any ranking. Track ids are text and a text-keyed table's rowid may change on
 * VACUUM, hence the explicit key table.
 */
export const FTS_TENANT_BLOCK = 4294967296;
const ftsValues = (row: string) =>
  `${row}.title, ${row}.artist, coalesce(${row}.user_tags, '') || ' ' || coalesce(${row}.genre, '') || ' ' || coalesce(${row}.musical_key, ''), ${row}.lyrics`;
const ftsKey = (row: 'new' | 'old') => `(SELECT id FROM workspace_track_fts_ids WHERE track_id = ${row}.id)`;
const FTS_COLUMNS = 'title, artist, tags, lyrics';

async function createSqliteSearch(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE workspace_track_fts_tenants (ordinal INTEGER PRIMARY KEY, tenant_id TEXT NOT NULL UNIQUE)`.execute(db);
  await sql`CREATE TABLE workspace_track_fts_ids (id INTEGER PRIMARY KEY, track_id TEXT NOT NULL UNIQUE)`.execute(db);
  await sql.raw(`CREATE VIRTUAL TABLE workspace_track_fts USING fts5(${FTS_COLUMNS}, tokenize = 'unicode61 remove_diacritics 2')`).execute(db);
  // Title counts most, then artist, tags and lyrics.
  await sql`INSERT INTO workspace_track_fts (workspace_track_fts, rank) VALUES ('rank', 'bm25(10.0, 5.0, 2.0, 1.0)')`.execute(db);
  await sql
    .raw(
      `CREATE TRIGGER workspace_tracks_fts_insert AFTER INSERT ON tracks BEGIN
         INSERT OR IGNORE INTO workspace_track_fts_tenants (tenant_id) VALUES (new.tenant_id);
         INSERT INTO workspace_track_fts_ids (id, track_id)
           SELECT coalesce((SELECT max(id) FROM workspace_track_fts_ids WHERE id >= b.base AND id < b.base + ${FTS_TENANT_BLOCK}) + 1, b.base), new.id
           FROM (SELECT ordinal * ${FTS_TENANT_BLOCK} AS base FROM workspace_track_fts_tenants WHERE tenant_id = new.tenant_id) b;
         INSERT INTO workspace_track_fts (rowid, ${FTS_COLUMNS}) VALUES (${ftsKey('new')}, ${ftsValues('new')});
       END`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE TRIGGER workspace_tracks_fts_update AFTER UPDATE OF title, artist, user_tags, genre, musical_key, lyrics ON tracks BEGIN
         DELETE FROM workspace_track_fts WHERE rowid = ${ftsKey('old')};
         INSERT INTO workspace_track_fts (rowid, ${FTS_COLUMNS}) VALUES (${ftsKey('new')}, ${ftsValues('new')});
       END`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE TRIGGER workspace_tracks_fts_delete AFTER DELETE ON tracks BEGIN
         DELETE FROM workspace_track_fts WHERE rowid = ${ftsKey('old')};
         DELETE FROM workspace_track_fts_ids WHERE track_id = old.id;
       END`,
    )
    .execute(db);
  // Tracks that existed before this migration.
  await sql`INSERT INTO workspace_track_fts_tenants (tenant_id) SELECT DISTINCT tenant_id FROM tracks ORDER BY tenant_id`.execute(db);
  await sql
    .raw(
      `INSERT INTO workspace_track_fts_ids (id, track_id)
       SELECT n.ordinal * ${FTS_TENANT_BLOCK} + row_number() OVER (PARTITION BY t.tenant_id ORDER BY t.created_at, t.id) - 1, t.id
       FROM tracks t JOIN workspace_track_fts_tenants n ON n.tenant_id = t.tenant_id`,
    )
    .execute(db);
  await sql
    .raw(
      `INSERT INTO workspace_track_fts (rowid, ${FTS_COLUMNS})
       SELECT m.id, ${ftsValues('t')}
       FROM tracks t JOIN workspace_track_fts_ids m ON m.track_id = t.id`,
    )
    .execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;

  await db.schema
    .createTable('workspace_collaborators')
    .addColumn('id', T.id, (c) => c.primaryKey())
    .addColumn('tenant_id', T.id, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('owner_user_id', T.id)
    .addColumn('name', T.text, (c) => c.notNull())
    .addColumn('email', T.text)
    .addColumn('pro', T.text)
    .addColumn('ipi', T.text)
    .addColumn('created_at', T.ts, (c) => c.notNull())
    .addColumn('updated_at', T.ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('workspace_collaborators_owner_idx').on('workspace_collaborators').columns(['tenant_id', 'owner_user_id', 'name']).execute();

  await db.schema
    .createTable('workspace_split_sheets')
    .addColumn('track_id', T.id, (c) => c.primaryKey().references('tracks.id').onDelete('cascade'))
    .addColumn('tenant_id', T.id, (c) => c.notNull())
    .addColumn('address', T.text)
    .addColumn('intended_use', T.text)
    .addColumn('master', T.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('writers', T.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('publishers', T.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('validated_at', T.ts, (c) => c.notNull())
    .addColumn('updated_by_user_id', T.id)
    .addColumn('created_at', T.ts, (c) => c.notNull())
    .addColumn('updated_at', T.ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('workspace_split_sheet_parties')
    .addColumn('track_id', T.id, (c) => c.notNull().references('workspace_split_sheets.track_id').onDelete('cascade'))
    .addColumn('collaborator_id', T.id, (c) => c.notNull())
    .addPrimaryKeyConstraint('workspace_split_sheet_parties_pk', ['track_id', 'collaborator_id'])
    .execute();
  await db.schema.createIndex('workspace_split_sheet_parties_collaborator_idx').on('workspace_split_sheet_parties').column('collaborator_id').execute();

  await db.schema
    .createTable('workspace_share_links')
    .addColumn('id', T.id, (c) => c.primaryKey())
    .addColumn('tenant_id', T.id, (c) => c.notNull())
    .addColumn('track_id', T.id, (c) => c.notNull().references('tracks.id').onDelete('cascade'))
    .addColumn('kind', T.text, (c) => c.notNull())
    .addColumn('name', T.text)
    .addColumn('token_hash', T.text, (c) => c.notNull().unique())
    .addColumn('token_prefix', T.text, (c) => c.notNull())
    .addColumn('allow_download', T.bool, (c) => c.notNull().defaultTo(0))
    .addColumn('access_code_hash', T.text)
    .addColumn('expires_at', T.ts)
    .addColumn('revoked_at', T.ts)
    .addColumn('created_by_user_id', T.id)
    .addColumn('created_at', T.ts, (c) => c.notNull())
    .addColumn('updated_at', T.ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('workspace_share_links_track_idx').on('workspace_share_links').columns(['track_id', 'kind', 'created_at']).execute();

  // Track lists sort by title as well as by creation; link statistics count events per link.
  await db.schema.createIndex('workspace_tracks_owner_title_idx').on('tracks').columns(['tenant_id', 'owner_user_id', 'title', 'id']).execute();
  await db.schema.createIndex('workspace_tracks_tenant_title_idx').on('tracks').columns(['tenant_id', 'title', 'id']).execute();
  // Totals of a tenant's or an owner's live tracks come from these alone.
  await db.schema.createIndex('workspace_tracks_live_owner_idx').on('tracks').columns(['tenant_id', 'owner_user_id']).where(sql.ref('deleted_at'), 'is', null).execute();
  await db.schema.createIndex('workspace_tracks_live_tenant_idx').on('tracks').column('tenant_id').where(sql.ref('deleted_at'), 'is', null).execute();
  await db.schema.createIndex('workspace_track_events_link_idx').on('track_events').columns(['share_link_id', 'type']).execute();
  // The newest change to a tenant's tracks, their files or processing, each one index probe: the freshness check of cached lists.
  await db.schema.createIndex('workspace_tracks_tenant_updated_idx').on('tracks').columns(['tenant_id', 'updated_at']).execute();
  await db.schema.createIndex('workspace_assets_tenant_updated_idx').on('assets').columns(['tenant_id', 'updated_at']).execute();
  await db.schema.createIndex('workspace_lanes_tenant_updated_idx').on('processing_lanes').columns(['tenant_id', 'updated_at']).execute();
  // Lets the similarity cache notice new vectors with one index probe.
  await db.schema.createIndex('workspace_embeddings_tenant_created_idx').on('embeddings').columns(['tenant_id', 'created_at']).execute();

  if (sqlite) await createSqliteSearch(db);
  else await sql.raw(`CREATE INDEX workspace_tracks_search_idx ON tracks USING gin (${PG_SEARCH_DOCUMENT})`).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  if (sqlite) {
    for (const trigger of ['workspace_tracks_fts_insert', 'workspace_tracks_fts_update', 'workspace_tracks_fts_delete']) {
      await sql.raw(`DROP TRIGGER IF EXISTS ${trigger}`).execute(db);
    }
    await sql`DROP TABLE IF EXISTS workspace_track_fts`.execute(db);
    await sql`DROP TABLE IF EXISTS workspace_track_fts_ids`.execute(db);
    await sql`DROP TABLE IF EXISTS workspace_track_fts_tenants`.execute(db);
  } else {
    await sql`DROP INDEX IF EXISTS workspace_tracks_search_idx`.execute(db);
  }
  for (const index of ['workspace_lanes_tenant_updated_idx', 'workspace_assets_tenant_updated_idx', 'workspace_tracks_tenant_updated_idx', 'workspace_embeddings_tenant_created_idx', 'workspace_track_events_link_idx', 'workspace_tracks_live_tenant_idx', 'workspace_tracks_live_owner_idx', 'workspace_tracks_tenant_title_idx', 'workspace_tracks_owner_title_idx']) {
    await db.schema.dropIndex(index).ifExists().execute();
  }
  for (const table of ['workspace_share_links', 'workspace_split_sheet_parties', 'workspace_split_sheets', 'workspace_collaborators']) {
    await db.schema.dropTable(table).execute();
  }
}
