import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Container } from '../../container.js';
import { actorOf } from '../surface.js';
import { presentAsset, presentArtist } from './asset.presenter.js';
import { artistInput, artistListQuery, artistUpdate, assetInput, assetListQuery, assetUpdate, mergeBody, mergeQuery } from './asset.schemas.js';
import { idParam } from './common.schemas.js';
import { paged } from './paging.js';
import { success, successWith } from './envelope.js';

const tags = ['distribution'];

/** Assets (the catalog's tracks) and artists. */
export function registerAssetRoutes(app: FastifyInstance, c: Container): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { assets, artists } = c.modules.distribution;

  r.post('/asset', { schema: { body: assetInput, tags, summary: 'Create an asset (a catalog track)' } }, async (request, reply) => {
    const { view, warnings } = await assets.create(actorOf(request), request.body);
    return reply.status(201).send(successWith('Asset created successfully', presentAsset(view), warnings));
  });
  r.get('/asset', { schema: { querystring: assetListQuery, tags, summary: "List the workspace's assets (every catalog track)" } }, async (request) => {
    const q = request.query;
    const { views, total } = await assets.list(actorOf(request), { page: q.page, size: q.size, order: q.order, sort: q.sort, q: q.q ?? q.search, type: q.type });
    return paged('Assets retrieved successfully', views.map(presentAsset), total, q.page, q.size);
  });
  r.get('/asset/:id', { schema: { params: idParam, tags, summary: 'An asset' } }, async (request) =>
    success('Asset retrieved successfully', presentAsset(await assets.get(actorOf(request), request.params.id))),
  );
  r.put('/asset/:id', { schema: { params: idParam, body: assetUpdate, tags, summary: 'Update an asset' } }, async (request) => {
    const { view, warnings } = await assets.update(actorOf(request), request.params.id, request.body);
    return successWith('Asset updated successfully', presentAsset(view), warnings);
  });
  r.delete('/asset/:id', { schema: { params: idParam, tags, summary: 'Delete an asset and its files' } }, async (request) => {
    await assets.remove(actorOf(request), request.params.id);
    return success('Asset deleted successfully', { id: request.params.id });
  });

  r.post('/artist', { schema: { body: artistInput, tags, summary: 'Create an artist' } }, async (request, reply) => {
    const { contributors, split, users, ...input } = request.body;
    const row = await artists.create(actorOf(request), { ...input, extra: { contributors, split, users } });
    return reply.status(201).send(success('Artist created successfully', presentArtist(row)));
  });
  r.get('/artist', { schema: { querystring: artistListQuery, tags, summary: 'List artists' } }, async (request) => {
    const q = request.query;
    const { rows, total } = await artists.list(actorOf(request), { page: q.page, size: q.size, order: q.order, sort: q.sort, q: q.q ?? q.search });
    return paged('Artists retrieved successfully', rows.map(presentArtist), total, q.page, q.size);
  });
  r.get('/artist/:id', { schema: { params: idParam, tags, summary: 'An artist' } }, async (request) =>
    success('Artist retrieved successfully', presentArtist(await artists.get(actorOf(request), request.params.id))),
  );
  r.put('/artist/:id', { schema: { params: idParam, body: artistUpdate, tags, summary: 'Update an artist' } }, async (request) => {
    const { contributors, split, users, ...input } = request.body;
    const extra = contributors !== undefined || split !== undefined || users !== undefined ? { extra: { contributors, split, users } } : {};
    return success('Artist updated successfully', presentArtist(await artists.update(actorOf(request), request.params.id, { ...input, ...extra })));
  });
  r.delete('/artist/:id', { schema: { params: idParam, tags, summary: 'Delete an artist' } }, async (request) => {
    await artists.remove(actorOf(request), request.params.id);
    return success('Artist deleted successfully', { id: request.params.id });
  });

  // Royalti documents PUT with `?ids=a,b`; POST and a JSON `ids` are accepted too.
  for (const method of ['put', 'post'] as const) {
    r[method]('/artist/:id/merge', { schema: { params: idParam, querystring: mergeQuery, body: mergeBody, tags, summary: 'Merge artists into this one' } }, async (request) => {
      const fromBody = request.body?.ids;
      const raw = [request.query.ids ?? '', ...(Array.isArray(fromBody) ? fromBody : [fromBody ?? ''])].join(',');
      const result = await artists.merge(actorOf(request), request.params.id, raw.split(','));
      return { success: true, message: 'Artists merged successfully', ...result };
    });
  }
}
