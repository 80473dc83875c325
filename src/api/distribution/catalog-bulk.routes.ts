import { BULK_BODY_LIMIT } from '../platform/http-limits.js';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z, type ZodType } from 'zod';
import type { Container } from '../../container.js';
import { badRequest } from '../../errors.js';
import { requireWriter } from '../../services/distribution/access.js';
import { eachItem } from '../../services/distribution/bulk.js';
import { actorOf } from '../surface.js';
import { presentArtist, presentAsset } from './asset.presenter.js';
import { artistInput, assetInput } from './asset.schemas.js';
import { allPages, csvLines } from './csv.js';
import { success } from './envelope.js';
import { presentProduct } from './product.presenter.js';

const tags = ['distribution'];
const MAX_ITEMS = 500;

/** A batch: the items under `key`, or a bare list. Each item is checked on its own. */
const batch = (key: string) =>
  z.union([z.array(z.unknown()).min(1).max(MAX_ITEMS), z.object({ [key]: z.array(z.unknown()).min(1).max(MAX_ITEMS) })]);
const itemsOf = (body: unknown, key: string): unknown[] => (Array.isArray(body) ? body : ((body as Record<string, unknown[]>)[key] ?? []));
const idsBody = z.object({ ids: z.array(z.string().min(1).max(100)).min(1).max(MAX_ITEMS) });

/** One item of a batch against its schema; its faults become that item's reason. */
function parseItem<T>(schema: ZodType<T>, item: unknown): T {
  const parsed = schema.safeParse(item);
  if (parsed.success) return parsed.data;
  throw badRequest('validation_error', parsed.error.issues.map((i) => `${i.path.join('.') || 'item'} ${i.message}`).join('; '));
}

const summarized = (summary: unknown) => ({ success: true as const, message: 'Summary retrieved successfully', summary });

const ARTIST_COLUMNS = ['id', 'artistName', 'realName', 'signDate', 'label', 'publisher', 'copyright', 'externalId', 'genres', 'pseudonyms', 'createdAt', 'updatedAt'] as const;
const ASSET_COLUMNS = ['id', 'title', 'ISRC', 'iswc', 'type', 'version', 'displayArtist', 'mainGenre', 'subGenre', 'explicit', 'language', 'tempo', 'key', 'label', 'copyright', 'publisher', 'productionYear', 'createdAt', 'updatedAt'] as const;
const PRODUCT_COLUMNS = ['id', 'title', 'upc', 'catalogNumber', 'externalId', 'displayArtist', 'type', 'format', 'version', 'explicit', 'releaseDate', 'takedownDate', 'mainGenre', 'status', 'label', 'totalTracks', 'language', 'createdAt', 'updatedAt'] as const;
const exportQuery = z.object({ q: z.string().max(200).optional(), search: z.string().max(200).optional() });

/** Sends the rows as a CSV attachment named `<name>.csv`. */
function sendCsv(reply: FastifyReply, name: string, columns: readonly string[], pages: AsyncIterable<Array<Record<string, unknown>>>) {
  reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`);
  return reply.send(Readable.from(csvLines(columns, pages)));
}

/** Royalti's summaries, CSV exports, and bulk create / delete for artists and assets (products have their bulk create beside their routes). */
export function registerCatalogBulkRoutes(app: FastifyInstance, c: Container): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { assets, artists, products } = c.modules.distribution;

  r.get('/artist/summary', { schema: { tags, summary: 'How many artists the workspace has' } }, async (request) => summarized(await artists.summary(actorOf(request))));
  r.get('/asset/summary', { schema: { tags, summary: 'Asset counts in all and by type' } }, async (request) => summarized(await assets.summary(actorOf(request))));
  r.get('/product/summary', { schema: { tags, summary: 'Product counts in all and by status, format and type' } }, async (request) => summarized(await products.summary(actorOf(request))));

  // One CSV export per resource: every row of the workspace (or of a search), oldest first.
  type Actor = Parameters<typeof artists.list>[0];
  const exports: Array<[resource: string, columns: readonly string[], fetchPage: (actor: Actor, q: string | undefined, page: number, size: number) => Promise<Array<Record<string, unknown>>>]> = [
    ['artist', ARTIST_COLUMNS, async (actor, q, page, size) => (await artists.list(actor, { page, size, order: 'asc', sort: 'createdAt', q })).rows.map(presentArtist)],
    ['asset', ASSET_COLUMNS, async (actor, q, page, size) => (await assets.list(actor, { page, size, order: 'asc', sort: 'createdAt', q })).views.map(presentAsset)],
    ['product', PRODUCT_COLUMNS, async (actor, q, page, size) => (await products.list(actor, { q }, { page, size, order: 'asc', sort: 'createdAt' })).views.map(presentProduct)],
  ];
  for (const [resource, columns, fetchPage] of exports) {
    r.get(`/${resource}/download/csv`, { schema: { querystring: exportQuery, tags, summary: `Every ${resource} as CSV` } }, async (request, reply) => {
      const actor = actorOf(request);
      const q = request.query.q ?? request.query.search;
      return sendCsv(reply, `${resource}s`, columns, await allPages((page, size) => fetchPage(actor, q, page, size)));
    });
  }

  r.post('/artist/bulk', { bodyLimit: BULK_BODY_LIMIT, schema: { body: batch('artists'), tags, summary: 'Create many artists; each item succeeds or fails on its own' } }, async (request) => {
    const actor = actorOf(request);
    requireWriter(actor);
    const items = itemsOf(request.body, 'artists');
    const { done, errors } = await eachItem(items, async (item) => {
      const { contributors, split, users, ...input } = parseItem(artistInput, item);
      return artists.create(actor, { ...input, extra: { contributors, split, users } });
    });
    return success(`${done.length} of ${items.length} artists created`, { createdArtists: done.map(presentArtist), processedCount: items.length, errors });
  });

  r.post('/asset/bulk', { bodyLimit: BULK_BODY_LIMIT, schema: { body: batch('assets'), tags, summary: 'Create many assets; each item succeeds or fails on its own' } }, async (request) => {
    const actor = actorOf(request);
    requireWriter(actor);
    const items = itemsOf(request.body, 'assets');
    const { done, errors } = await eachItem(items, async (item) => (await assets.create(actor, parseItem(assetInput, item))).view);
    return success(`${done.length} of ${items.length} assets created`, { createdAssets: done.map(presentAsset), processedCount: items.length, errors });
  });

  for (const [resource, remove] of [
    ['artist', artists.remove],
    ['asset', assets.remove],
  ] as const) {
    r.delete(`/${resource}/bulk/delete`, { schema: { body: idsBody, tags, summary: `Delete many ${resource}s; each id succeeds or fails on its own` } }, async (request) => {
      const actor = actorOf(request);
      requireWriter(actor);
      const ids = [...new Set(request.body.ids)];
      const { done, errors } = await eachItem(ids, async (id) => (await remove(actor, id), id));
      return success(`${done.length} of ${ids.length} ${resource}s deleted`, { deletedIds: done, processedCount: ids.length, errors });
    });
  }
}
