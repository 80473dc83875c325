import type { Kysely } from 'kysely';
import { addForeignKeys, type ForeignKey } from './0009-foreign-keys.js';

/**
 * A product's artists and assets are records of the workspace now that the product routes refuse
 * unknown ids: their links get foreign keys, and links older versions kept to ids that name
 * nothing are removed (counted in `schema_notes`). Deleting an artist or an asset removes it
 * from the products that listed it.
 */
export const PRODUCT_REFERENCE_KEYS: readonly ForeignKey[] = [
  { table: 'dist_product_assets', column: 'asset_id', parent: 'tracks', onDelete: 'cascade' },
  { table: 'dist_artist_links', column: 'artist_id', parent: 'dist_artists', onDelete: 'cascade' },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await addForeignKeys(db, '0012-product-references', PRODUCT_REFERENCE_KEYS, [
    ['dist_product_assets', 'asset_id'],
    ['dist_artist_links', 'artist_id'],
  ]);
}
