import { sql, type Kysely } from 'kysely';
import { T } from './columns.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tracks')
    .addColumn('id', T.id, (c) => c.primaryKey())
    .addColumn('tenant_id', T.id, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('owner_user_id', T.id)
    .addColumn('collection_id', T.id)
    .addColumn('title', T.text, (c) => c.notNull())
    .addColumn('artist', T.text)
    .addColumn('isrc', T.text)
    .addColumn('iswc', T.text)
    .addColumn('release_date', T.text)
    .addColumn('duration_ms', T.big)
    .addColumn('bpm', T.real)
    .addColumn('musical_key', T.text)
    .addColumn('genre', T.text)
    .addColumn('visibility', T.text, (c) => c.notNull().defaultTo('private'))
    .addColumn('status', T.text, (c) => c.notNull().defaultTo('active'))
    .addColumn('current_version_id', T.id)
    .addColumn('artwork_asset_id', T.id)
    .addColumn('metadata', T.json, (c) => c.notNull().defaultTo('{}'))
    .addColumn('user_tags', T.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('lyrics', T.text)
    .addColumn('lyrics_source', T.text)
    .addColumn('created_at', T.ts, (c) => c.notNull())
    .addColumn('updated_at', T.ts, (c) => c.notNull())
    .addColumn('deleted_at', T.ts)
    .execute();
  await db.schema.createIndex('tracks_tenant_created_idx').on('tracks').columns(['tenant_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('tracks_owner_created_idx').on('tracks').columns(['tenant_id', 'owner_user_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('tracks_collection_idx').on('tracks').columns(['collection_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('tracks_isrc_idx').on('tracks').columns(['tenant_id', 'isrc']).execute();

  await db.schema
    .createTable('assets')
    .addColumn('id', T.id, (c) => c.primaryKey())
    .addColumn('tenant_id', T.id, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('track_id', T.id)
    .addColumn('owner_user_id', T.id)
    .addColumn('kind', T.text, (c) => c.notNull())
    .addColumn('name', T.text)
    .addColumn('status', T.text, (c) => c.notNull())
    .addColumn('storage_key', T.text, (c) => c.notNull())
    .addColumn('file_name', T.text, (c) => c.notNull())
    .addColumn('content_type', T.text, (c) => c.notNull())
    .addColumn('declared_size', T.big)
    .addColumn('size', T.big)
    .addColumn('metadata', T.json, (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', T.ts, (c) => c.notNull())
    .addColumn('updated_at', T.ts, (c) => c.notNull())
    .addColumn('uploaded_at', T.ts)
    .addColumn('expires_at', T.ts)
    .execute();
  await db.schema.createIndex('assets_track_idx').on('assets').columns(['track_id', 'kind']).execute();
  await db.schema.createIndex('assets_storage_key_idx').on('assets').column('storage_key').execute();
  await db.schema.createIndex('assets_pending_idx').on('assets').columns(['status', 'expires_at']).execute();

  await db.schema
    .createTable('track_versions')
    .addColumn('id', T.id, (c) => c.primaryKey())
    .addColumn('tenant_id', T.id, (c) => c.notNull())
    .addColumn('track_id', T.id, (c) => c.notNull().references('tracks.id').onDelete('cascade'))
    .addColumn('asset_id', T.id, (c) => c.notNull())
    .addColumn('label', T.text)
    .addColumn('is_original', T.bool, (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', T.ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('track_versions_track_idx').on('track_versions').columns(['track_id', 'created_at']).execute();

  await db.schema
    .createTable('uploads')
    .addColumn('id', T.id, (c) => c.primaryKey())
    .addColumn('tenant_id', T.id, (c) => c.notNull())
    .addColumn('asset_id', T.id, (c) => c.notNull())
    .addColumn('track_id', T.id)
    .addColumn('version_id', T.id)
    .addColumn('kind', T.text, (c) => c.notNull())
    .addColumn('owner_user_id', T.id)
    .addColumn('status', T.text, (c) => c.notNull())
    .addColumn('auto_finalize', T.bool, (c) => c.notNull().defaultTo(0))
    .addColumn('created_track', T.bool, (c) => c.notNull().defaultTo(0))
    .addColumn('meta', T.json, (c) => c.notNull().defaultTo('{}'))
    .addColumn('expires_at', T.ts, (c) => c.notNull())
    .addColumn('created_at', T.ts, (c) => c.notNull())
    .addColumn('finalized_at', T.ts)
    .execute();
  await db.schema.createIndex('uploads_asset_idx').on('uploads').column('asset_id').execute();
  await db.schema.createIndex('uploads_status_idx').on('uploads').columns(['status', 'expires_at']).execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', T.id, (c) => c.primaryKey())
    .addColumn('name', T.text, (c) => c.notNull())
    .addColumn('payload', T.json, (c) => c.notNull())
    .addColumn('status', T.text, (c) => c.notNull())
    .addColumn('attempts', T.int, (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', T.int, (c) => c.notNull().defaultTo(3))
    .addColumn('run_at', T.ts, (c) => c.notNull())
    .addColumn('locked_until', T.ts)
    .addColumn('locked_by', T.text)
    .addColumn('last_error', T.text)
    .addColumn('singleton_key', T.text)
    .addColumn('created_at', T.ts, (c) => c.notNull())
    .addColumn('updated_at', T.ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('jobs_due_idx').on('jobs').columns(['status', 'name', 'run_at']).execute();
  await db.schema
    .createIndex('jobs_singleton_uq')
    .on('jobs')
    .columns(['name', 'singleton_key'])
    .unique()
    .where(sql.ref('status'), 'in', sql`('queued', 'active')`)
    .execute();

  await db.schema
    .createTable('processing_lanes')
    .addColumn('id', T.id, (c) => c.primaryKey())
    .addColumn('tenant_id', T.id, (c) => c.notNull())
    .addColumn('track_id', T.id, (c) => c.notNull())
    .addColumn('asset_id', T.id, (c) => c.notNull())
    .addColumn('lane', T.text, (c) => c.notNull())
    .addColumn('status', T.text, (c) => c.notNull())
    .addColumn('attempts', T.int, (c) => c.notNull().defaultTo(0))
    .addColumn('error', T.text)
    .addColumn('result', T.json, (c) => c.notNull().defaultTo('{}'))
    .addColumn('started_at', T.ts)
    .addColumn('finished_at', T.ts)
    .addColumn('created_at', T.ts, (c) => c.notNull())
    .addColumn('updated_at', T.ts, (c) => c.notNull())
    .addUniqueConstraint('processing_lanes_asset_lane_uq', ['asset_id', 'lane'])
    .execute();
  await db.schema.createIndex('processing_lanes_track_idx').on('processing_lanes').column('track_id').execute();

  await db.schema
    .createTable('embeddings')
    .addColumn('asset_id', T.id, (c) => c.primaryKey())
    .addColumn('tenant_id', T.id, (c) => c.notNull())
    .addColumn('track_id', T.id, (c) => c.notNull())
    .addColumn('dims', T.int, (c) => c.notNull())
    .addColumn('vector', T.text, (c) => c.notNull())
    .addColumn('created_at', T.ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('embeddings_tenant_idx').on('embeddings').columns(['tenant_id', 'track_id']).execute();

  await db.schema
    .createTable('remote_dispatches')
    .addColumn('id', T.id, (c) => c.primaryKey())
    .addColumn('tenant_id', T.id, (c) => c.notNull())
    .addColumn('track_id', T.id, (c) => c.notNull())
    .addColumn('asset_id', T.id, (c) => c.notNull())
    .addColumn('lane', T.text, (c) => c.notNull())
    .addColumn('status', T.text, (c) => c.notNull())
    .addColumn('request_url', T.text, (c) => c.notNull())
    .addColumn('attempts', T.int, (c) => c.notNull().defaultTo(0))
    .addColumn('error', T.text)
    .addColumn('created_at', T.ts, (c) => c.notNull())
    .addColumn('updated_at', T.ts, (c) => c.notNull())
    .addColumn('completed_at', T.ts)
    .execute();
  await db.schema.createIndex('remote_dispatches_track_idx').on('remote_dispatches').column('track_id').execute();

  await db.schema
    .createTable('track_events')
    .addColumn('id', T.id, (c) => c.primaryKey())
    .addColumn('tenant_id', T.id, (c) => c.notNull())
    .addColumn('track_id', T.id, (c) => c.notNull())
    .addColumn('type', T.text, (c) => c.notNull())
    .addColumn('share_link_id', T.id)
    .addColumn('actor_user_id', T.id)
    .addColumn('meta', T.json, (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', T.ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('track_events_track_idx').on('track_events').columns(['track_id', 'type', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['track_events', 'remote_dispatches', 'embeddings', 'processing_lanes', 'jobs', 'uploads', 'track_versions', 'assets', 'tracks']) {
    await db.schema.dropTable(t).execute();
  }
}
