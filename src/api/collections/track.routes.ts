import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CollectionsModule } from '../../services/collections/index.js';
import { actorOf } from '../surface.js';
import { ok, okJson } from './envelope.js';
import { fileName, title, trackFields, trackFieldsInput } from './schemas.js';

const tags = ['collections'];
const params = z.object({ track_id: z.uuid() });

export function registerTrackRoutes(root: FastifyInstance, m: CollectionsModule): void {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.get('/track/:track_id', { schema: { tags, summary: 'Get track', params } }, async (request, reply) => {
    const track = await m.tracks.getJson(actorOf(request), request.params.track_id);
    return okJson(reply, request, { track_id: request.params.track_id }, { track });
  });

  app.post(
    '/track',
    { schema: { tags, summary: 'Create a track and its upload URL', body: z.object({ collection_id: z.uuid(), file_name: fileName, ...trackFields }) } },
    async (request) => {
      const b = request.body;
      const created = await m.tracks.create(actorOf(request), { collectionId: b.collection_id, fileName: b.file_name, ...trackFieldsInput(b) });
      return ok(request, { track_id: created.track.id, track: created.track, track_upload: created.trackUpload, track_cover_upload: created.coverUpload });
    },
  );

  app.put(
    '/track/:track_id',
    {
      schema: {
        tags,
        summary: 'Update track',
        params,
        body: z.object({ title: title.optional(), collection_id: z.uuid().optional(), file_name: fileName.optional(), ...trackFields }),
      },
    },
    async (request) => {
      const b = request.body;
      const track = await m.tracks.update(actorOf(request), request.params.track_id, { ...trackFieldsInput(b), collectionId: b.collection_id, fileName: b.file_name });
      return ok(request, { track_id: track.id, track });
    },
  );

  app.delete('/track/:track_id', { schema: { tags, summary: 'Delete track and its files', params } }, async (request) => {
    const deleted = await m.tracks.remove(actorOf(request), request.params.track_id);
    return ok(request, { track_id: deleted.id, deleted_track: deleted });
  });

  app.post('/track/:track_id/cover', { schema: { tags, summary: 'Track cover upload URL', params } }, async (request) => {
    const { track, coverUpload } = await m.tracks.coverUpload(actorOf(request), request.params.track_id);
    return ok(request, { track_id: track.id, track, track_cover_upload: coverUpload });
  });
}
