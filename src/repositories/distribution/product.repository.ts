import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { DistProductAssetsTable, DistProductsTable } from '../../db/tables/distribution.js';
import { isUuid, uuidv7 } from '../../domain/ids.js';
import { containsText, offsetOf, type Page, type PageQuery } from './query.js';

export type ProductRow = Selectable<DistProductsTable>;
export type NewProductRow = Insertable<DistProductsTable>;
export type ProductPatch = Updateable<Omit<DistProductsTable, 'id' | 'tenantId'>>;
export type ProductAssetRow = Selectable<DistProductAssetsTable>;

const SORTS = { updatedAt: 'updatedAt', createdAt: 'createdAt', title: 'title', releaseDate: 'releaseDate', upc: 'upc', status: 'status' } as const;
export type ProductSort = keyof typeof SORTS;

export interface ProductFilter {
  q?: string;
  status?: string;
  type?: string;
}

export function createProductRepository(db: Executor) {
  return {
    insert: (row: NewProductRow, tx: Executor = db) => tx.insertInto('distProducts').values(row).execute(),
    /** By the identifier clients use, falling back to the permanent internal id. */
    async find(tenantId: string, ref: string, tx: Executor = db): Promise<ProductRow | undefined> {
      const byCode = await tx.selectFrom('distProducts').selectAll().where('tenantId', '=', tenantId).where('code', '=', ref).executeTakeFirst();
      if (byCode || !isUuid(ref)) return byCode;
      return tx.selectFrom('distProducts').selectAll().where('tenantId', '=', tenantId).where('id', '=', ref).executeTakeFirst();
    },
    findById: (tenantId: string, id: string, tx: Executor = db) =>
      tx.selectFrom('distProducts').selectAll().where('tenantId', '=', tenantId).where('id', '=', id).executeTakeFirst(),
    findManyById: (tenantId: string, ids: string[], tx: Executor = db) =>
      ids.length === 0
        ? Promise.resolve([] as ProductRow[])
        : tx.selectFrom('distProducts').selectAll().where('tenantId', '=', tenantId).where('id', 'in', ids).execute(),
    findByUpc: (tenantId: string, upc: string, tx: Executor = db) =>
      tx.selectFrom('distProducts').select(['id', 'code']).where('tenantId', '=', tenantId).where('upc', '=', upc).executeTakeFirst(),
    findByCode: (tenantId: string, code: string, tx: Executor = db) =>
      tx.selectFrom('distProducts').select(['id', 'code']).where('tenantId', '=', tenantId).where('code', '=', code).executeTakeFirst(),
    update: (id: string, patch: ProductPatch, tx: Executor = db) => tx.updateTable('distProducts').set(patch).where('id', '=', id).execute(),
    delete: (id: string, tx: Executor = db) => tx.deleteFrom('distProducts').where('id', '=', id).execute(),

    async list(tenantId: string, filter: ProductFilter, p: PageQuery & { sort: ProductSort }, tx: Executor = db): Promise<Page<ProductRow>> {
      let q = tx.selectFrom('distProducts').where('tenantId', '=', tenantId);
      if (filter.q) q = q.where(containsText(['title', 'display_artist', 'upc', 'catalog_number', 'code'], filter.q));
      if (filter.status) q = q.where('status', '=', filter.status);
      if (filter.type) q = q.where('type', '=', filter.type);
      const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const rows = await q.selectAll().orderBy(SORTS[p.sort], p.order).orderBy('id', p.order).limit(p.size).offset(offsetOf(p)).execute();
      return { rows, total: Number(total.n) };
    },

    /** Product counts per status, format and type combination, for summaries. */
    groupCounts: async (tenantId: string, tx: Executor = db) =>
      (
        await tx
          .selectFrom('distProducts')
          .select(['status', 'format', 'type'])
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('tenantId', '=', tenantId)
          .groupBy(['status', 'format', 'type'])
          .execute()
      ).map((r) => ({ status: r.status, format: r.format, type: r.type, n: Number(r.n) })),

    async replaceAssets(tenantId: string, productId: string, items: Array<{ assetId: string; number: number | null }>, tx: Executor = db): Promise<void> {
      await tx.deleteFrom('distProductAssets').where('productId', '=', productId).execute();
      if (items.length === 0) return;
      await tx
        .insertInto('distProductAssets')
        .values(items.map((it, position) => ({ id: uuidv7(), tenantId, productId, assetId: it.assetId, number: it.number, position })))
        .execute();
    },
    assetsFor: (productIds: string[], tx: Executor = db) =>
      productIds.length === 0
        ? Promise.resolve([] as ProductAssetRow[])
        : tx.selectFrom('distProductAssets').selectAll().where('productId', 'in', productIds).orderBy('position').execute(),
    /** The products an asset belongs to, with its number on each. */
    productsOfAssets: (tenantId: string, assetIds: string[], tx: Executor = db) =>
      assetIds.length === 0
        ? Promise.resolve([])
        : tx
            .selectFrom('distProductAssets as pa')
            .innerJoin('distProducts as p', 'p.id', 'pa.productId')
            .select(['pa.assetId', 'pa.number', 'p.id', 'p.code', 'p.title', 'p.upc'])
            .where('pa.tenantId', '=', tenantId)
            .where('pa.assetId', 'in', assetIds)
            .orderBy('p.createdAt')
            .execute(),
    deleteAssetLinks: (tenantId: string, assetId: string, tx: Executor = db) =>
      tx.deleteFrom('distProductAssets').where('tenantId', '=', tenantId).where('assetId', '=', assetId).execute(),
  };
}
export type ProductRepository = ReturnType<typeof createProductRepository>;
