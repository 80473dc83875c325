import { BULK_BODY_LIMIT } from '../platform/http-limits.js';
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Container } from '../../container.js';
import type { Actor } from '../../domain/access.js';
import { badRequest } from '../../errors.js';
import type { StoredFile } from '../../services/distribution/file-intake.js';
import { productInputSchema } from '../../services/distribution/product-input.js';
import { actorOf } from '../surface.js';
import { idParam } from './common.schemas.js';
import { listQuery as pagedListQuery, paged, textQueryShape } from './paging.js';
import { success } from './envelope.js';
import { readForm } from './form-fields.js';
import { presentProduct } from './product.presenter.js';

const tags = ['distribution'];

/**
 * Product bodies arrive as JSON or as multipart form fields; both are checked by the product
 * rules in the service (which name each field), so the route only validates params and query.
 */
const bodyByService =
  <S>(): FastifySchemaCompiler<S> =>
  (route) =>
    route.httpPart === 'body' ? (data: unknown) => ({ value: data }) : (validatorCompiler as unknown as FastifySchemaCompiler<S>)(route);

const listQuery = pagedListQuery(
  {
    ...textQueryShape,
    sort: z.enum(['updatedAt', 'createdAt', 'title', 'releaseDate', 'upc', 'status']).default('updatedAt'),
    status: z.string().max(50).optional(),
    type: z.string().max(50).optional(),
  },
  { defaultSize: 10 },
);

export function registerProductRoutes(app: FastifyInstance, c: Container): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { products } = c.modules.distribution;

  /** The body as fields, with the `file` part (if any) already streamed into the store. */
  async function readBody(actor: Actor, request: Parameters<typeof actorOf>[0]): Promise<{ fields: unknown; file: StoredFile | null }> {
    if (!request.isMultipart()) return { fields: request.body ?? {}, file: null };
    return readForm(
      request,
      (part) => products.stageFile(actor, { stream: part.file, fileName: part.filename, contentType: part.mimetype, truncated: () => part.file.truncated }),
      (staged) => products.discardFile(staged),
    );
  }

  r.post(
    '/product',
    { validatorCompiler: bodyByService(), schema: { body: productInputSchema, consumes: ['application/json', 'multipart/form-data'], tags, summary: 'Create a product (UPC generated when absent)' } },
    async (request, reply) => {
      const actor = actorOf(request);
      const { fields, file } = await readBody(actor, request);
      return reply.status(201).send(success('Product created successfully', presentProduct(await products.create(actor, fields, file))));
    },
  );

  r.post(
    '/product/bulk',
    { bodyLimit: BULK_BODY_LIMIT, validatorCompiler: bodyByService(), schema: { body: z.object({ products: z.array(productInputSchema) }), tags, summary: 'Create many products; each item succeeds or fails on its own' } },
    async (request) => {
      const body = request.body as unknown;
      const items = Array.isArray(body) ? body : body && typeof body === 'object' && Array.isArray((body as { products?: unknown }).products) ? (body as { products: unknown[] }).products : null;
      if (!items) throw badRequest('validation_error', 'products must be a list of products');
      if (items.length > 500) throw badRequest('validation_error', 'products must hold at most 500 items');
      const result = await products.bulk(actorOf(request), items);
      return success(`${result.createdProducts.length} of ${result.processedCount} products created`, {
        createdProducts: result.createdProducts.map(presentProduct),
        processedCount: result.processedCount,
        errors: result.errors,
      });
    },
  );

  r.get('/product', { schema: { querystring: listQuery, tags, summary: 'List products' } }, async (request) => {
    const q = request.query;
    const { views, total } = await products.list(actorOf(request), { q: q.q ?? q.search, status: q.status, type: q.type }, { page: q.page, size: q.size, order: q.order, sort: q.sort });
    return paged('Products retrieved successfully', views.map(presentProduct), total, q.page, q.size);
  });

  r.get('/product/:id', { schema: { params: idParam, tags, summary: 'A product' } }, async (request) =>
    success('Product retrieved successfully', presentProduct(await products.get(actorOf(request), request.params.id))),
  );

  r.get('/product/:id/assets', { schema: { params: idParam, tags, summary: "A product's assets, in order" } }, async (request) =>
    success('Product assets retrieved successfully', presentProduct(await products.get(actorOf(request), request.params.id)).assets),
  );

  r.put(
    '/product/:id',
    { validatorCompiler: bodyByService(), schema: { params: idParam, body: productInputSchema, consumes: ['multipart/form-data', 'application/json'], tags, summary: 'Update a product' } },
    async (request) => {
      const actor = actorOf(request);
      const { fields, file } = await readBody(actor, request);
      const view = await products.update(actor, request.params.id, fields, file);
      return { message: 'Product updated successfully', product: presentProduct(view) };
    },
  );

  r.delete('/product/:id', { schema: { params: idParam, tags, summary: 'Delete a product' } }, async (request) => {
    await products.remove(actorOf(request), request.params.id);
    return success('Product deleted successfully', { id: request.params.id });
  });
}
