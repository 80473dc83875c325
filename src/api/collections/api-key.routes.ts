import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CollectionsModule } from '../../services/collections/index.js';
import { actorOf } from '../surface.js';
import { ok } from './envelope.js';

const tags = ['collections'];

export function registerApiKeyRoutes(root: FastifyInstance, m: CollectionsModule): void {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/api_key',
    {
      schema: {
        tags,
        summary: 'Create a player, uploader or share key (returned once)',
        body: z.object({
          title: z.string().trim().min(1).max(200),
          api_key_type_id: z.enum(['player', 'uploader', 'share', 'api', 'server']),
          collection_id: z.uuid().optional(),
          track_id: z.uuid().optional(),
          creator_id: z.uuid().optional(),
          variants: z.array(z.string().min(1).max(64)).max(32).optional(),
          expires_at: z.iso.datetime({ offset: true }).optional(),
          is_downloadable: z.boolean().optional(),
        }),
      },
    },
    async (request) => {
      const b = request.body;
      const { apiKey, id } = await m.apiKeys.create(actorOf(request), {
        title: b.title,
        type: b.api_key_type_id,
        collectionId: b.collection_id,
        trackId: b.track_id,
        creatorId: b.creator_id,
        variants: b.variants,
        expiresAt: b.expires_at,
        isDownloadable: b.is_downloadable,
      });
      return ok(request, { api_key: apiKey, api_key_id: id, api_key_type_id: b.api_key_type_id });
    },
  );
}
