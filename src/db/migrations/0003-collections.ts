import type { Kysely } from 'kysely';
import { T } from './columns.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('organization_settings')
    .addColumn('tenant_id', T.id, (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
    .addColumn('theme', T.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('is_theme_overridable', T.bool, (c) => c.notNull().defaultTo(1))
    .addColumn('is_cover_overridable', T.bool, (c) => c.notNull().defaultTo(1))
    .addColumn('player_color', T.text)
    .addColumn('player_subtitle', T.text)
    .addColumn('updated_at', T.ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('creators')
    .addColumn('id', T.id, (c) => c.primaryKey())
    .addColumn('tenant_id', T.id, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('organization_index', T.text, (c) => c.notNull())
    .addColumn('folder_id', T.id, (c) => c.notNull())
    .addColumn('metadata', T.json, (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', T.ts, (c) => c.notNull())
    .addColumn('updated_at', T.ts, (c) => c.notNull())
    .addUniqueConstraint('creators_org_index_uq', ['tenant_id', 'organization_index'])
    .execute();
  await db.schema.createIndex('creators_tenant_created_idx').on('creators').columns(['tenant_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('collections')
    .addColumn('id', T.id, (c) => c.primaryKey())
    .addColumn('tenant_id', T.id, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('creator_id', T.id)
    .addColumn('organization_index', T.text)
    .addColumn('title', T.text, (c) => c.notNull())
    .addColumn('metadata', T.json, (c) => c.notNull().defaultTo('{}'))
    .addColumn('theme', T.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('is_cover_overridable', T.bool, (c) => c.notNull().defaultTo(1))
    .addColumn('is_theme_overridable', T.bool, (c) => c.notNull().defaultTo(1))
    .addColumn('player_color', T.text)
    .addColumn('player_color_source', T.text)
    .addColumn('player_subtitle', T.text)
    .addColumn('cover_asset_id', T.id)
    .addColumn('created_at', T.ts, (c) => c.notNull())
    .addColumn('updated_at', T.ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('collections_tenant_created_idx').on('collections').columns(['tenant_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('collection_tracks')
    .addColumn('track_id', T.id, (c) => c.primaryKey())
    .addColumn('tenant_id', T.id, (c) => c.notNull())
    .addColumn('creator_id', T.id)
    .addColumn('organization_index', T.text)
    .addColumn('file_name', T.text)
    .addColumn('metadata', T.json, (c) => c.notNull().defaultTo('{}'))
    .addColumn('player_title', T.text)
    .addColumn('player_subtitle', T.text)
    .addColumn('player_color', T.text)
    .addColumn('player_color_source', T.text)
    .addColumn('is_cover_overridable', T.bool, (c) => c.notNull().defaultTo(1))
    .addColumn('is_theme_overridable', T.bool, (c) => c.notNull().defaultTo(1))
    .addColumn('upload_session_id', T.id)
    .addColumn('variants_rendering', T.int, (c) => c.notNull().defaultTo(0))
    .addColumn('variants_failed', T.int, (c) => c.notNull().defaultTo(0))
    .addColumn('notified_status', T.text)
    .addColumn('files_completed_at', T.ts)
    .addColumn('created_at', T.ts, (c) => c.notNull())
    .addColumn('updated_at', T.ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('collection_tracks_creator_idx').on('collection_tracks').columns(['tenant_id', 'creator_id']).execute();
  // Collection pages are read by offset: a narrow index covering every column the page query
  // touches lets a deep offset walk index entries only, never table rows. Ids are time-ordered
  // (UUIDv7), so id order is filing order.
  await db.schema.createIndex('tracks_collection_page_idx').on('tracks').columns(['collection_id', 'deleted_at', 'id']).execute();

  await db.schema
    .createTable('collection_variants')
    .addColumn('id', T.id, (c) => c.primaryKey())
    .addColumn('tenant_id', T.id, (c) => c.notNull())
    .addColumn('track_id', T.id, (c) => c.notNull())
    .addColumn('variant_index', T.text, (c) => c.notNull())
    .addColumn('variant_type', T.text, (c) => c.notNull())
    .addColumn('codec', T.text, (c) => c.notNull())
    .addColumn('bitrate', T.int, (c) => c.notNull())
    .addColumn('channels', T.int, (c) => c.notNull())
    .addColumn('is_strip_tags', T.bool, (c) => c.notNull().defaultTo(1))
    .addColumn('is_strip_cover', T.bool, (c) => c.notNull().defaultTo(1))
    .addColumn('preview', T.json, (c) => c.notNull().defaultTo('{}'))
    .addColumn('status', T.text, (c) => c.notNull())
    .addColumn('storage_key', T.text)
    .addColumn('mime_type', T.text)
    .addColumn('file_size', T.big)
    .addColumn('duration_ms', T.big)
    .addColumn('error', T.text)
    .addColumn('job_id', T.text)
    .addColumn('created_at', T.ts, (c) => c.notNull())
    .addColumn('updated_at', T.ts, (c) => c.notNull())
    .addColumn('completed_at', T.ts)
    .addUniqueConstraint('collection_variants_track_index_uq', ['track_id', 'variant_index'])
    .execute();
  await db.schema.createIndex('collection_variants_tenant_idx').on('collection_variants').columns(['tenant_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('upload_sessions')
    .addColumn('id', T.id, (c) => c.primaryKey())
    .addColumn('tenant_id', T.id, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('collection_id', T.id, (c) => c.notNull())
    .addColumn('creator_id', T.id)
    .addColumn('organization_index', T.text)
    .addColumn('metadata', T.json, (c) => c.notNull().defaultTo('{}'))
    .addColumn('api_key_id', T.id)
    .addColumn('expires_at', T.ts, (c) => c.notNull())
    .addColumn('created_at', T.ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('play_sessions')
    .addColumn('id', T.id, (c) => c.primaryKey())
    .addColumn('tenant_id', T.id, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('scope', T.text, (c) => c.notNull())
    .addColumn('collection_id', T.id)
    .addColumn('track_id', T.id)
    .addColumn('creator_id', T.id)
    .addColumn('organization_index', T.text)
    .addColumn('metadata', T.json, (c) => c.notNull().defaultTo('{}'))
    .addColumn('variants', T.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('is_downloadable', T.bool, (c) => c.notNull().defaultTo(0))
    .addColumn('api_key_id', T.id)
    .addColumn('expires_at', T.ts, (c) => c.notNull())
    .addColumn('created_at', T.ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_key_grants')
    .addColumn('api_key_id', T.id, (c) => c.primaryKey())
    .addColumn('tenant_id', T.id, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('title', T.text, (c) => c.notNull())
    .addColumn('creator_id', T.id)
    .addColumn('variants', T.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('is_downloadable', T.bool, (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', T.ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', T.id, (c) => c.primaryKey())
    .addColumn('tenant_id', T.id, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('event', T.text, (c) => c.notNull())
    .addColumn('payload', T.json, (c) => c.notNull())
    .addColumn('status', T.text, (c) => c.notNull())
    .addColumn('attempts', T.int, (c) => c.notNull().defaultTo(0))
    .addColumn('response_code', T.int)
    .addColumn('last_error', T.text)
    .addColumn('created_at', T.ts, (c) => c.notNull())
    .addColumn('updated_at', T.ts, (c) => c.notNull())
    .addColumn('delivered_at', T.ts)
    .execute();
  await db.schema.createIndex('webhook_deliveries_tenant_idx').on('webhook_deliveries').columns(['tenant_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('tracks_collection_page_idx').execute();
  for (const t of [
    'webhook_deliveries',
    'api_key_grants',
    'play_sessions',
    'upload_sessions',
    'collection_variants',
    'collection_tracks',
    'collections',
    'creators',
    'organization_settings',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
