import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Container } from '../../container.js';
import { actorOf } from '../surface.js';
import { trackParams } from './common.schemas.js';
import { presentTrack } from './track.presenter.js';
import { deleteTrackQuery, listTracksQuery } from './track.schemas.js';

const tags = ['workspace'];

export function registerTrackRoutes(root: FastifyInstance, c: Container): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { tracks } = c.modules.workspace;

  app.get('/v1/tracks', { schema: { tags, summary: 'List your tracks', querystring: listTracksQuery } }, async (request, reply) => {
    // Pages are cached already serialised; an unchanged catalog is answered without re-encoding.
    const body = await tracks.list(actorOf(request), request.query, (page) =>
      JSON.stringify({ records: page.records.map(presentTrack), totalCount: page.totalCount, nextCursor: page.nextCursor }),
    );
    return reply.type('application/json; charset=utf-8').send(body);
  });

  app.get('/v1/tracks/:trackId', { schema: { tags, summary: 'One track', params: trackParams } }, async (request) =>
    presentTrack(await tracks.get(actorOf(request), request.params.trackId)),
  );

  app.delete(
    '/v1/tracks/:trackId',
    { schema: { tags, summary: 'Delete a track (soft; ?purge=true removes it with its files)', params: trackParams, querystring: deleteTrackQuery } },
    async (request) => tracks.remove(actorOf(request), request.params.trackId, { purge: request.query.purge === 'true' }),
  );
}
