import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CollectionsModule } from '../../services/collections/index.js';
import { actorOf } from '../surface.js';
import { ok } from './envelope.js';
import { metadata, organizationIndex, page } from './schemas.js';

const tags = ['collections'];
const params = z.object({ creator_id: z.uuid() });

export function registerCreatorRoutes(root: FastifyInstance, m: CollectionsModule): void {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.get('/creator', { schema: { tags, summary: 'List creators', querystring: page } }, async (request) => {
    const { count, creators } = await m.creators.list(actorOf(request), request.query);
    return ok(request, { count, creators });
  });

  app.post(
    '/creator',
    { schema: { tags, summary: 'Create creator', body: z.object({ organization_index: organizationIndex, metadata: metadata.optional() }) } },
    async (request) => {
      const creator = await m.creators.create(actorOf(request), { organizationIndex: request.body.organization_index, metadata: request.body.metadata });
      return ok(request, { creator_id: creator.id, creator });
    },
  );

  app.get('/creator/:creator_id', { schema: { tags, summary: 'Get creator', params } }, async (request) => {
    const creator = await m.creators.get(actorOf(request), request.params.creator_id);
    return ok(request, { creator_id: creator.id, creator });
  });

  app.put(
    '/creator/:creator_id',
    { schema: { tags, summary: 'Update creator', params, body: z.object({ organization_index: organizationIndex.optional(), metadata: metadata.optional() }) } },
    async (request) => {
      const creator = await m.creators.update(actorOf(request), request.params.creator_id, {
        organizationIndex: request.body.organization_index,
        metadata: request.body.metadata,
      });
      return ok(request, { creator_id: creator.id, creator });
    },
  );

  app.delete('/creator/:creator_id', { schema: { tags, summary: 'Delete creator', params } }, async (request) => {
    const deleted = await m.creators.remove(actorOf(request), request.params.creator_id);
    return ok(request, { creator_id: deleted.id, deleted_creator: deleted });
  });
}
