import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Container } from '../../container.js';
import { actorOf } from '../surface.js';
import { trackParams } from './common.schemas.js';
import { presentLink, presentLinkWithToken } from './share-link.presenter.js';
import { createSplitSheetLinkBody, createTrackLinkBody, linkParams } from './share-link.schemas.js';

const tags = ['workspace'];

/** Track share links and split-sheet review links, owner side. */
export function registerShareLinkRoutes(root: FastifyInstance, c: Container): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { shareLinks } = c.modules.workspace;
  const publicUrl = c.config.publicUrl;

  app.get('/v1/tracks/:trackId/share-links', { schema: { tags, summary: 'Share links of a track (redacted)', params: trackParams } }, async (request) => ({
    records: (await shareLinks.list(actorOf(request), request.params.trackId, 'track')).map(presentLink),
  }));

  app.post(
    '/v1/tracks/:trackId/share-links',
    { schema: { tags, summary: 'Create a share link; the token is returned only now (needs tracks.share)', params: trackParams, body: createTrackLinkBody } },
    async (request, reply) => {
      const created = await shareLinks.create(actorOf(request), request.params.trackId, 'track', request.body ?? {});
      return reply.status(201).send(presentLinkWithToken(created, publicUrl));
    },
  );

  app.post(
    '/v1/tracks/:trackId/share-links/:linkId/reset',
    { schema: { tags, summary: 'Rotate the token of a share link; returns the new token once (needs tracks.share)', params: linkParams } },
    async (request) => presentLinkWithToken(await shareLinks.reset(actorOf(request), request.params.trackId, request.params.linkId), publicUrl),
  );

  app.delete('/v1/tracks/:trackId/share-links/:linkId', { schema: { tags, summary: 'Revoke a share link', params: linkParams } }, async (request, reply) => {
    await shareLinks.revoke(actorOf(request), request.params.trackId, 'track', request.params.linkId);
    return reply.status(204).send();
  });

  app.get('/v1/tracks/:trackId/split-sheet/share-links', { schema: { tags, summary: 'Split-sheet review links', params: trackParams } }, async (request) => ({
    records: (await shareLinks.list(actorOf(request), request.params.trackId, 'split_sheet')).map(presentLink),
  }));

  app.post(
    '/v1/tracks/:trackId/split-sheet/share-links',
    { schema: { tags, summary: 'Create a split-sheet review link; the token is returned only now', params: trackParams, body: createSplitSheetLinkBody } },
    async (request, reply) => {
      const created = await shareLinks.create(actorOf(request), request.params.trackId, 'split_sheet', request.body ?? {});
      return reply.status(201).send(presentLinkWithToken(created, publicUrl));
    },
  );

  app.delete('/v1/tracks/:trackId/split-sheet/share-links/:linkId', { schema: { tags, summary: 'Revoke a split-sheet review link', params: linkParams } }, async (request) => {
    const link = await shareLinks.revoke(actorOf(request), request.params.trackId, 'split_sheet', request.params.linkId);
    return { id: link.id, status: 'revoked', revokedAt: link.revokedAt };
  });
}
