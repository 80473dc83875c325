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

const ftsValues = (row: 'new' | 'old') =>
  `${row}.title, ${row}.artist, coalesce(${row}.user_tags, '') || ' ' || coalesce(${row}.genre, '') || ' ' || coalesce(${row}.musical_key, ''), ${row}.lyrics`;
const ftsKey = (row: 'new' | 'old') => `(SELECT id FROM workspace_track_fts_ids WHERE track_id = ${row}.id)`;

async function createSqliteSearch(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE workspace_track_fts_ids (id INTEGER PRIMARY KEY, track_id TEXT NOT NULL UNIQUE)`.execute(db);
  await sql`CREATE VIRTUAL TABLE workspace_track_fts USING fts5(title, artist, tags, lyrics, tokenize = 'unicode61 remove_diacritics 2')`.execute(db);
  await sql
    .raw(
      `CREATE TRIGGER workspace_tracks_fts_insert AFTER INSERT ON tracks BEGIN
         INSERT INTO workspace_track_fts_ids (track_id) VALUES (new.id);
         INSERT INTO workspace_track_fts (rowid, title, artist, tags, lyrics) VALUES (${ftsKey('new')}, ${ftsValues('new')});
       END`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE TRIGGER workspace_tracks_fts_update AFTER UPDATE OF title, artist, user_tags, genre, musical_key, lyrics ON tracks BEGIN
         DELETE FROM workspace_track_fts WHERE rowid = ${ftsKey('old')};
         INSERT INTO workspace_track_fts (rowid, title, artist, tags, lyrics) VALUES (${ftsKey('new')}, ${ftsValues('new')});
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
  await sql`INSERT INTO workspace_track_fts_ids (track_id) SELECT id FROM tracks ORDER BY created_at, id`.execute(db);
  await sql
    .raw(
      `INSERT INTO workspace_track_fts (rowid, title, artist, tags, lyrics)
       SELECT m.id, t.title, t.artist, coalesce(t.user_tags, '') || ' ' || coalesce(t.genre, '') || ' ' || coalesce(t.musical_key, ''), t.lyrics
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
  await db.schema.createIndex('workspace_track_events_link_idx').on('track_events').columns(['share_link_id', 'type']).execute();
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
  } else {
    await sql`DROP INDEX IF EXISTS workspace_tracks_search_idx`.execute(db);
  }
  for (const index of ['workspace_embeddings_tenant_created_idx', 'workspace_track_events_link_idx', 'workspace_tracks_tenant_title_idx', 'workspace_tracks_owner_title_idx']) {
    await db.schema.dropIndex(index).ifExists().execute();
  }
  for (const table of ['workspace_share_links', 'workspace_split_sheet_parties', 'workspace_split_sheets', 'workspace_collaborators']) {
    await db.schema.dropTable(table).execute();
  }
}
