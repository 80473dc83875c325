import type { Kysely } from 'kysely';
import { T } from './columns.js';

/**
 * Releases (drafts under review), the products and assets an approval turns them into, and
 * artists. Assets are rows of the shared `tracks` table; what only this API knows about them
 * lives in `dist_asset_details`, keyed by track id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('dist_artists')
    .addColumn('id', T.id, (c) => c.primaryKey())
    .addColumn('tenant_id', T.id, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('artist_name', T.text, (c) => c.notNull())
    .addColumn('name_key', T.text, (c) => c.notNull())
    .addColumn('real_name', T.text)
    .addColumn('sign_date', T.text)
    .addColumn('label', T.text)
    .addColumn('publisher', T.text)
    .addColumn('copyright', T.text)
    .addColumn('external_id', T.text)
    .addColumn('artist_img', T.text)
    .addColumn('links', T.json, (c) => c.notNull().defaultTo('{}'))
    .addColumn('genres', T.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('pseudonyms', T.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('biography', T.text)
    .addColumn('extra', T.json, (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', T.ts, (c) => c.notNull())
    .addColumn('updated_at', T.ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dist_artists_name_idx').on('dist_artists').columns(['tenant_id', 'name_key']).execute();
  await db.schema.createIndex('dist_artists_updated_idx').on('dist_artists').columns(['tenant_id', 'updated_at']).execute();

  // Which artist appears on what, in order. Artist ids are kept as given: a product may name
  // an artist known only to another system.
  await db.schema
    .createTable('dist_artist_links')
    .addColumn('id', T.id, (c) => c.primaryKey())
    .addColumn('tenant_id', T.id, (c) => c.notNull())
    .addColumn('entity_type', T.text, (c) => c.notNull())
    .addColumn('entity_id', T.id, (c) => c.notNull())
    .addColumn('artist_id', T.text, (c) => c.notNull())
    .addColumn('type', T.text, (c) => c.notNull())
    .addColumn('position', T.int, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dist_artist_links_entity_idx').on('dist_artist_links').columns(['entity_type', 'entity_id', 'position']).execute();
  await db.schema.createIndex('dist_artist_links_artist_idx').on('dist_artist_links').columns(['tenant_id', 'artist_id']).execute();

  await db.schema
    .createTable('dist_releases')
    .addColumn('id', T.id, (c) => c.primaryKey())
    .addColumn('tenant_id', T.id, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('owner_user_id', T.id)
    .addColumn('title', T.text, (c) => c.notNull())
    .addColumn('display_artist', T.text)
    .addColumn('format', T.text)
    .addColumn('type', T.text)
    .addColumn('version', T.text)
    .addColumn('label', T.text)
    .addColumn('copyright', T.text)
    .addColumn('main_genre', T.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('sub_genre', T.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('contributors', T.json, (c) => c.notNull().defaultTo('null'))
    .addColumn('description', T.text)
    .addColumn('metadata', T.json, (c) => c.notNull().defaultTo('{}'))
    .addColumn('media', T.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('explicit', T.text)
    .addColumn('release_date', T.text)
    .addColumn('pre_release_date', T.text)
    .addColumn('upc', T.text)
    .addColumn('catalog_number', T.text)
    .addColumn('status', T.text, (c) => c.notNull())
    .addColumn('feedback', T.text)
    .addColumn('product_id', T.id)
    .addColumn('submitted_at', T.ts)
    .addColumn('reviewed_at', T.ts)
    .addColumn('reviewed_by', T.id)
    .addColumn('created_at', T.ts, (c) => c.notNull())
    .addColumn('updated_at', T.ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dist_releases_tenant_idx').on('dist_releases').columns(['tenant_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('dist_releases_status_idx').on('dist_releases').columns(['tenant_id', 'status']).execute();

  await db.schema
    .createTable('dist_release_tracks')
    .addColumn('id', T.id, (c) => c.primaryKey())
    .addColumn('tenant_id', T.id, (c) => c.notNull())
    .addColumn('release_id', T.id, (c) => c.notNull().references('dist_releases.id').onDelete('cascade'))
    .addColumn('track_number', T.int, (c) => c.notNull())
    // The catalog track (`tracks.id`) holding this track's audio, once there is one.
    .addColumn('track_id', T.id)
    .addColumn('title', T.text, (c) => c.notNull())
    .addColumn('version', T.text)
    .addColumn('isrc', T.text)
    .addColumn('iswc', T.text)
    .addColumn('duration', T.real)
    .addColumn('lyrics', T.text)
    .addColumn('language', T.text, (c) => c.notNull())
    .addColumn('display_artist', T.text, (c) => c.notNull())
    .addColumn('main_genre', T.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('sub_genre', T.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('contributors', T.json, (c) => c.notNull().defaultTo('{}'))
    .addColumn('media', T.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('metadata', T.json, (c) => c.notNull().defaultTo('{}'))
    .addColumn('explicit', T.json, (c) => c.notNull().defaultTo('null'))
    .addColumn('created_at', T.ts, (c) => c.notNull())
    .addColumn('updated_at', T.ts, (c) => c.notNull())
    .addUniqueConstraint('dist_release_tracks_number_uq', ['release_id', 'track_number'])
    .execute();
  await db.schema.createIndex('dist_release_tracks_track_idx').on('dist_release_tracks').columns(['tenant_id', 'track_id']).execute();

  await db.schema
    .createTable('dist_products')
    .addColumn('id', T.id, (c) => c.primaryKey())
    .addColumn('tenant_id', T.id, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    // The identifier clients see and may choose (`id` on the wire); defaults to `id`.
    .addColumn('code', T.text, (c) => c.notNull())
    .addColumn('owner_user_id', T.id)
    .addColumn('release_id', T.id)
    .addColumn('upc', T.text, (c) => c.notNull())
    .addColumn('title', T.text, (c) => c.notNull())
    .addColumn('catalog_number', T.text)
    .addColumn('external_id', T.text)
    .addColumn('display_artist', T.text)
    .addColumn('type', T.text, (c) => c.notNull())
    .addColumn('format', T.text)
    .addColumn('version', T.text)
    .addColumn('explicit', T.text)
    .addColumn('release_date', T.text)
    .addColumn('takedown_date', T.text)
    .addColumn('main_genre', T.json, (c) => c.notNull().defaultTo('null'))
    .addColumn('sub_genre', T.json, (c) => c.notNull().defaultTo('null'))
    .addColumn('status', T.text, (c) => c.notNull())
    .addColumn('label', T.text)
    .addColumn('distribution', T.json, (c) => c.notNull().defaultTo('null'))
    .addColumn('contributors', T.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('metadata', T.json, (c) => c.notNull().defaultTo('{}'))
    .addColumn('chart_history', T.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('total_tracks', T.int)
    .addColumn('total_discs', T.int)
    .addColumn('package_type', T.text)
    .addColumn('edition', T.text)
    .addColumn('reissue', T.bool, (c) => c.notNull().defaultTo(0))
    .addColumn('original_release_date', T.text)
    .addColumn('recording_location', T.text)
    .addColumn('mastering_location', T.text)
    .addColumn('producer', T.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('engineer', T.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('sequence_number', T.int)
    .addColumn('parent_release_id', T.text)
    .addColumn('language', T.text)
    .addColumn('c_line_year', T.int)
    .addColumn('p_line_year', T.int)
    .addColumn('split', T.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('media', T.json, (c) => c.notNull().defaultTo('[]'))
    // Files uploaded with the product (artwork, media), each an `assets` row.
    .addColumn('files', T.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', T.ts, (c) => c.notNull())
    .addColumn('updated_at', T.ts, (c) => c.notNull())
    .addUniqueConstraint('dist_products_code_uq', ['tenant_id', 'code'])
    .addUniqueConstraint('dist_products_upc_uq', ['tenant_id', 'upc'])
    .execute();
  await db.schema.createIndex('dist_products_updated_idx').on('dist_products').columns(['tenant_id', 'updated_at']).execute();

  // Product -> asset, in order. Asset ids are kept as given; those naming a catalog track link it back.
  await db.schema
    .createTable('dist_product_assets')
    .addColumn('id', T.id, (c) => c.primaryKey())
    .addColumn('tenant_id', T.id, (c) => c.notNull())
    .addColumn('product_id', T.id, (c) => c.notNull().references('dist_products.id').onDelete('cascade'))
    .addColumn('asset_id', T.text, (c) => c.notNull())
    .addColumn('number', T.int)
    .addColumn('position', T.int, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dist_product_assets_product_idx').on('dist_product_assets').columns(['product_id', 'position']).execute();
  await db.schema.createIndex('dist_product_assets_asset_idx').on('dist_product_assets').columns(['tenant_id', 'asset_id']).execute();

  await db.schema
    .createTable('dist_asset_details')
    .addColumn('track_id', T.id, (c) => c.primaryKey().references('tracks.id').onDelete('cascade'))
    .addColumn('tenant_id', T.id, (c) => c.notNull())
    // Mirrors tracks.isrc for assets written through this API, so two of them cannot share one.
    .addColumn('isrc', T.text)
    .addColumn('type', T.text, (c) => c.notNull())
    .addColumn('version', T.text)
    .addColumn('display_artist', T.text)
    .addColumn('main_genre', T.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('sub_genre', T.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('explicit', T.json, (c) => c.notNull().defaultTo('null'))
    .addColumn('language', T.text)
    .addColumn('mood', T.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('label', T.text)
    .addColumn('copyright', T.text)
    .addColumn('publisher', T.text)
    .addColumn('copyright_owner', T.text)
    .addColumn('recording_date', T.text)
    .addColumn('recording_location', T.text)
    .addColumn('production_year', T.int)
    .addColumn('contributors', T.json, (c) => c.notNull().defaultTo('{}'))
    .addColumn('metadata', T.json, (c) => c.notNull().defaultTo('{}'))
    .addColumn('release_id', T.id)
    .addColumn('created_at', T.ts, (c) => c.notNull())
    .addColumn('updated_at', T.ts, (c) => c.notNull())
    .addUniqueConstraint('dist_asset_details_isrc_uq', ['tenant_id', 'isrc'])
    .execute();
  await db.schema.createIndex('dist_asset_details_release_idx').on('dist_asset_details').columns(['release_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['dist_asset_details', 'dist_product_assets', 'dist_products', 'dist_release_tracks', 'dist_releases', 'dist_artist_links', 'dist_artists']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
