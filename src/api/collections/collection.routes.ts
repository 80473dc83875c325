import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CollectionsModule } from '../../services/collections/index.js';
import { actorOf } from '../surface.js';
import { ok, okJson } from './envelope.js';
import { hexColor, label, metadata, organizationIndex, page, theme, title } from './schemas.js';

const tags = ['collections'];
const params = z.object({ collection_id: z.uuid() });
const fields = {
  creator_id: z.uuid().nullable().optional(),
  organization_index: organizationIndex.nullable().optional(),
  metadata: metadata.optional(),
  theme: theme.optional(),
  is_cover_overridable: z.boolean().optional(),
  is_theme_overridable: z.boolean().optional(),
  player_color: hexColor.nullable().optional(),
  player_subtitle: label.nullable().optional(),
};
type Fields = { [K in keyof typeof fields]?: z.infer<(typeof fields)[K]> };
const input = (b: Fields) => ({
  creatorId: b.creator_id,
  organizationIndex: b.organization_index,
  metadata: b.metadata,
  theme: b.theme,
  isCoverOverridable: b.is_cover_overridable,
  isThemeOverridable: b.is_theme_overridable,
  playerColor: b.player_color,
  playerSubtitle: b.player_subtitle,
});

export function registerCollectionRoutes(root: FastifyInstance, m: CollectionsModule): void {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.get('/collection', { schema: { tags, summary: 'List collections', querystring: page } }, async (request) => {
    const { count, collections } = await m.collections.list(actorOf(request), request.query);
    return ok(request, { count, collections });
  });

  app.post('/collection', { schema: { tags, summary: 'Create collection', body: z.object({ title, ...fields }) } }, async (request) => {
    const { collection, coverUpload } = await m.collections.create(actorOf(request), { title: request.body.title, ...input(request.body) });
    return ok(request, { collection_id: collection.id, collection, collection_cover_upload: coverUpload });
  });

  app.get('/collection/:collection_id', { schema: { tags, summary: 'Get collection', params } }, async (request) => {
    const collection = await m.collections.get(actorOf(request), request.params.collection_id);
    return ok(request, { collection_id: collection.id, collection });
  });

  app.put('/collection/:collection_id', { schema: { tags, summary: 'Update collection', params, body: z.object({ title: title.optional(), ...fields }) } }, async (request) => {
    const collection = await m.collections.update(actorOf(request), request.params.collection_id, { title: request.body.title, ...input(request.body) });
    return ok(request, { collection_id: collection.id, collection });
  });

  app.delete('/collection/:collection_id', { schema: { tags, summary: 'Delete collection with its tracks', params } }, async (request) => {
    const deleted = await m.collections.remove(actorOf(request), request.params.collection_id);
    return ok(request, { collection_id: deleted.id, deleted_collection: deleted });
  });

  app.get(
    '/collection/:collection_id/track',
    { schema: { tags, summary: 'List tracks in a collection', params, querystring: page } },
    async (request, reply) => {
      const { count, tracks } = await m.tracks.listJson(actorOf(request), request.params.collection_id, request.query);
      return okJson(reply, request, { count }, { tracks });
    },
  );

  app.post('/collection/:collection_id/cover', { schema: { tags, summary: 'Collection cover upload URL', params } }, async (request) => {
    const { collection, coverUpload } = await m.collections.coverUpload(actorOf(request), request.params.collection_id);
    return ok(request, { collection_id: collection.id, collection, collection_cover_upload: coverUpload });
  });
}
