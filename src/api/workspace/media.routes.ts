import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Container } from '../../container.js';
import { actorOf } from '../surface.js';
import { id, trackParams } from './common.schemas.js';
import { presentProcessingStatus, presentVersions } from './resource.presenter.js';

const tags = ['workspace'];
const versionParams = z.object({ trackId: id, versionId: id });

export function registerMediaRoutes(root: FastifyInstance, c: Container): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { media } = c.modules.workspace;

  app.get(
    '/v1/tracks/:trackId/playback-url',
    {
      schema: {
        tags,
        summary: 'Short-lived signed stream URL of the playback transcode',
        params: trackParams,
        querystring: z.object({ codec: z.enum(['aac', 'mp3', 'ogg', 'opus']).optional() }),
      },
    },
    async (request) => {
      const p = await media.playbackUrl(actorOf(request), request.params.trackId, request.query.codec);
      return { url: p.url, expiresAt: p.expiresAt, mimeType: p.mimeType, codec: p.codec, bitrateKbps: p.bitrateKbps };
    },
  );

  app.get(
    '/v1/tracks/:trackId/download-url',
    { schema: { tags, summary: 'Signed download URL of a stored file (default: the current version); records track.downloaded', params: trackParams, querystring: z.object({ assetId: id.optional() }) } },
    async (request) => {
      const d = await media.downloadUrl(actorOf(request), request.params.trackId, request.query.assetId);
      return { url: d.url, expiresAt: d.expiresAt, fileName: d.fileName, assetId: d.assetId };
    },
  );

  app.get('/v1/tracks/:trackId/processing-status', { schema: { tags, summary: 'Per-lane processing state and readiness', params: trackParams } }, async (request) =>
    presentProcessingStatus(await media.processingStatus(actorOf(request), request.params.trackId)),
  );

  app.post(
    '/v1/tracks/:trackId/processing/media-intelligence/retry',
    { schema: { tags, summary: 'Re-dispatch failed lanes: 202 dispatched, 200 already running or nothing to retry', params: trackParams } },
    async (request, reply) => {
      const outcome = await media.retry(actorOf(request), request.params.trackId);
      return reply.status(outcome === 'dispatched' ? 202 : 200).send({ trackId: request.params.trackId, status: outcome });
    },
  );

  app.post('/v1/tracks/:trackId/versions/:versionId/promote', { schema: { tags, summary: 'Make a version the one that plays', params: versionParams } }, async (request) =>
    presentVersions(await media.promote(actorOf(request), request.params.trackId, request.params.versionId)),
  );

  app.delete('/v1/tracks/:trackId/versions/:versionId', { schema: { tags, summary: 'Delete a version (not the original)', params: versionParams } }, async (request) =>
    presentVersions(await media.deleteVersion(actorOf(request), request.params.trackId, request.params.versionId)),
  );
}
