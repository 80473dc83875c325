import { SqliteAdapter, sql, type Kysely } from 'kysely';
import { addChangeNotices } from './0006-change-notices.js';
import { T } from './columns.js';

/**
 * Every row that hangs off a track, asset, collection, release or product now names its parent
 * through a foreign key, so deleting the parent through any surface cannot leave rows behind.
 * Orphans that older versions left are removed first (or unlinked, where the reference is
 * optional) and counted in `schema_notes`. `uploads.version_id` has no key: it is the id the
 * version will take when the upload is finalized, reserved before that row exists. `dist_products.parent_release_id` is the client's
 * own reference, not necessarily a release of ours; so, for now, are a product's artist and asset ids
 * (until 0012, which keys them once the product routes check them). An upload outlives its asset and track: a
 * swept intent stays on record as `expired`, so it keeps the asset id it had.
 */
export interface ForeignKey {
  table: string;
  column: string;
  parent: string;
  onDelete: 'cascade' | 'set null' | 'restrict';
  /** Checked at commit: for references written before their target in one transaction. */
  deferred?: boolean;
}

export const FOREIGN_KEYS: readonly ForeignKey[] = [
  { table: 'tracks', column: 'collection_id', parent: 'collections', onDelete: 'set null' },
  { table: 'tracks', column: 'current_version_id', parent: 'track_versions', onDelete: 'set null', deferred: true },
  { table: 'tracks', column: 'artwork_asset_id', parent: 'assets', onDelete: 'set null', deferred: true },
  { table: 'assets', column: 'track_id', parent: 'tracks', onDelete: 'cascade' },
  { table: 'track_versions', column: 'asset_id', parent: 'assets', onDelete: 'cascade' },
  { table: 'uploads', column: 'track_id', parent: 'tracks', onDelete: 'set null' },
  { table: 'processing_lanes', column: 'track_id', parent: 'tracks', onDelete: 'cascade' },
  { table: 'processing_lanes', column: 'asset_id', parent: 'assets', onDelete: 'cascade' },
  { table: 'embeddings', column: 'track_id', parent: 'tracks', onDelete: 'cascade' },
  { table: 'embeddings', column: 'asset_id', parent: 'assets', onDelete: 'cascade' },
  { table: 'remote_dispatches', column: 'track_id', parent: 'tracks', onDelete: 'cascade' },
  { table: 'remote_dispatches', column: 'asset_id', parent: 'assets', onDelete: 'cascade' },
  { table: 'track_events', column: 'track_id', parent: 'tracks', onDelete: 'cascade' },
  { table: 'track_events', column: 'share_link_id', parent: 'workspace_share_links', onDelete: 'set null' },
  { table: 'api_keys', column: 'collection_id', parent: 'collections', onDelete: 'cascade' },
  { table: 'api_keys', column: 'track_id', parent: 'tracks', onDelete: 'cascade' },
  { table: 'api_key_grants', column: 'api_key_id', parent: 'api_keys', onDelete: 'cascade' },
  { table: 'api_key_grants', column: 'creator_id', parent: 'creators', onDelete: 'set null' },
  { table: 'collections', column: 'creator_id', parent: 'creators', onDelete: 'set null' },
  { table: 'collections', column: 'cover_asset_id', parent: 'assets', onDelete: 'set null', deferred: true },
  { table: 'collection_tracks', column: 'track_id', parent: 'tracks', onDelete: 'cascade' },
  { table: 'collection_tracks', column: 'creator_id', parent: 'creators', onDelete: 'set null' },
  { table: 'collection_tracks', column: 'upload_session_id', parent: 'upload_sessions', onDelete: 'set null' },
  { table: 'collection_variants', column: 'track_id', parent: 'tracks', onDelete: 'cascade' },
  { table: 'upload_sessions', column: 'collection_id', parent: 'collections', onDelete: 'cascade' },
  { table: 'upload_sessions', column: 'creator_id', parent: 'creators', onDelete: 'set null' },
  { table: 'play_sessions', column: 'collection_id', parent: 'collections', onDelete: 'cascade' },
  { table: 'play_sessions', column: 'track_id', parent: 'tracks', onDelete: 'cascade' },
  { table: 'play_sessions', column: 'creator_id', parent: 'creators', onDelete: 'set null' },
  { table: 'workspace_split_sheet_parties', column: 'collaborator_id', parent: 'workspace_collaborators', onDelete: 'restrict' },
  { table: 'dist_asset_details', column: 'release_id', parent: 'dist_releases', onDelete: 'set null', deferred: true },
  { table: 'dist_release_tracks', column: 'track_id', parent: 'tracks', onDelete: 'set null' },
  { table: 'dist_releases', column: 'product_id', parent: 'dist_products', onDelete: 'set null', deferred: true },
  { table: 'dist_products', column: 'release_id', parent: 'dist_releases', onDelete: 'set null', deferred: true },
];

/** Foreign-key columns that no index leads with: a parent's delete would scan the child table. */
const INDEXES: readonly [table: string, column: string][] = [
  ['uploads', 'track_id'],
  ['embeddings', 'track_id'],
  ['track_events', 'share_link_id'],
  ['api_keys', 'collection_id'],
  ['api_keys', 'track_id'],
  ['collection_tracks', 'upload_session_id'],
  ['upload_sessions', 'collection_id'],
  ['play_sessions', 'collection_id'],
  ['play_sessions', 'track_id'],
  ['dist_release_tracks', 'track_id'],
  ['tracks', 'current_version_id'],
  ['tracks', 'artwork_asset_id'],
  ['collections', 'cover_asset_id'],
  ['dist_products', 'release_id'],
];

const id = (name: string) => sql.id(name);

/** Deletes (or unlinks) rows whose parent is gone until none is left; returns the count per table. */
async function removeOrphans(db: Kysely<unknown>, keys: readonly ForeignKey[]): Promise<Map<string, number>> {
  const removed = new Map<string, number>();
  for (let pass = 0; pass < 20; pass++) {
    let changed = 0;
    for (const fk of keys) {
      const orphan = sql`${id(fk.column)} is not null and not exists (select 1 from ${id(fk.parent)} p where p.id = ${id(fk.table)}.${id(fk.column)})`;
      const result =
        fk.onDelete === 'set null'
          ? await sql`update ${id(fk.table)} set ${id(fk.column)} = null where ${orphan}`.execute(db)
          : await sql`delete from ${id(fk.table)} where ${orphan}`.execute(db);
      const n = Number(result.numAffectedRows ?? 0n);
      if (n > 0) removed.set(fk.table, (removed.get(fk.table) ?? 0) + n);
      changed += n;
    }
    if (changed === 0) break;
  }
  return removed;
}

const clause = (fk: ForeignKey) =>
  `foreign key ("${fk.column}") references "${fk.parent}" ("id") on delete ${fk.onDelete}${fk.deferred ? ' deferrable initially deferred' : ''}`;

async function addPostgresKeys(db: Kysely<unknown>, keys: readonly ForeignKey[]): Promise<void> {
  for (const fk of keys) {
    await sql.raw(`alter table "${fk.table}" add constraint "${fk.table}_${fk.column}_fkey" ${clause(fk)}`).execute(db);
  }
}

/**
 * SQLite cannot add a constraint to a table: each table is rebuilt with its keys (the documented
 * twelve-step procedure), keeping its indexes and triggers.
 */
async function addSqliteKeys(db: Kysely<unknown>, keys: readonly ForeignKey[]): Promise<void> {
  const tables = [...new Set(keys.map((fk) => fk.table))];
  for (const table of tables) {
    const schema = await sql<{ type: string; sql: string }>`select type, sql from sqlite_master where tbl_name = ${table} and sql is not null`.execute(db);
    const create = schema.rows.find((r) => r.type === 'table')!.sql;
    const rest = schema.rows.filter((r) => r.type === 'index' || r.type === 'trigger').map((r) => r.sql);
    const added = keys.filter((fk) => fk.table === table).map(clause);
    const close = create.lastIndexOf(')');
    const rebuilt = `${create.slice(0, close)}, ${added.join(', ')}${create.slice(close)}`.replace(/^CREATE TABLE "?[a-z_]+"?/i, `CREATE TABLE "${table}__rebuilt"`);
    await sql.raw(rebuilt).execute(db);
    await sql.raw(`insert into "${table}__rebuilt" select * from "${table}"`).execute(db);
    await sql.raw(`drop table "${table}"`).execute(db);
    await sql.raw(`alter table "${table}__rebuilt" rename to "${table}"`).execute(db);
    for (const statement of rest) await sql.raw(statement).execute(db);
  }
}

/**
 * Adds `keys` (and `indexes`) to existing tables in one transaction: orphans first removed or
 * unlinked, then the constraints, then a check; what was removed is noted in `schema_notes`
 * under `migration` and printed.
 */
export async function addForeignKeys(db: Kysely<unknown>, migration: string, keys: readonly ForeignKey[], indexes: readonly [string, string][], before?: () => Promise<void>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  // SQLite: keys off while tables are rebuilt (a pragma that only works outside a transaction),
  // then everything in one transaction, checked before commit.
  if (sqlite) {
    await sql`pragma foreign_keys = off`.execute(db);
    await sql`pragma legacy_alter_table = on`.execute(db);
    await sql`begin immediate`.execute(db);
  }
  try {
    await before?.();
    const removed = await removeOrphans(db, keys);
    if (sqlite) await addSqliteKeys(db, keys);
    else await addPostgresKeys(db, keys);
    for (const [table, column] of indexes) {
      await db.schema.createIndex(`${table}_${column}_fk_idx`).ifNotExists().on(table).column(column).execute();
    }
    if (sqlite) {
      const broken = await sql<{ table: string }>`pragma foreign_key_check`.execute(db);
      if (broken.rows.length) throw new Error(`foreign key check failed on ${[...new Set(broken.rows.map((r) => r.table))].join(', ')}`);
    }
    const total = [...removed.values()].reduce((a, b) => a + b, 0);
    const detail = [...removed].map(([t, n]) => `${t}: ${n}`).join(', ');
    const note = total ? `removed or unlinked ${total} orphan rows (${detail})` : 'no orphan rows';
    await sql`insert into schema_notes (migration, note, created_at) values (${migration}, ${note}, ${new Date().toISOString()})`.execute(db);
    if (total) process.stderr.write(`migration ${migration}: ${note}\n`);
    if (sqlite) await sql`commit`.execute(db);
  } catch (err) {
    if (sqlite) await sql`rollback`.execute(db);
    throw err;
  } finally {
    if (sqlite) {
      await sql`pragma legacy_alter_table = off`.execute(db);
      await sql`pragma foreign_keys = on`.execute(db);
    }
  }
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await addForeignKeys(db, '0009-foreign-keys', FOREIGN_KEYS, INDEXES, async () => {
    await db.schema
      .createTable('schema_notes')
      .addColumn('migration', T.text, (c) => c.notNull())
      .addColumn('note', T.text, (c) => c.notNull())
      .addColumn('created_at', T.ts, (c) => c.notNull())
      .execute();
    await addChangeNotices(db, 'schema_notes');
  });
}
