import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Container } from '../../container.js';
import { actorOf } from '../surface.js';
import { id, trackParams, uploadBody } from './common.schemas.js';

const tags = ['workspace'];

export function registerUploadRoutes(root: FastifyInstance, c: Container): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { uploads } = c.modules.workspace;

  app.post('/v1/uploads', { schema: { tags, summary: 'Upload intent for a new track (audio)', body: uploadBody('audio', 'Track') } }, async (request, reply) =>
    reply.status(201).send(await uploads.createTrackUpload(actorOf(request), request.body)),
  );

  app.post(
    '/v1/uploads/:uploadId/finalize',
    { schema: { tags, summary: 'Finalize an upload once its bytes are stored; audio starts processing', params: z.object({ uploadId: id }) } },
    async (request) => {
      const done = await uploads.finalize(actorOf(request), request.params.uploadId);
      return {
        uploadId: done.upload.id,
        trackId: done.upload.trackId,
        assetId: done.asset.id,
        kind: done.upload.kind,
        status: 'finalized',
        ...(done.versionId ? { versionId: done.versionId } : {}),
        processing: done.upload.kind === 'audio' ? 'queued' : null,
      };
    },
  );

  app.post(
    '/v1/tracks/:trackId/versions/uploads',
    {
      schema: {
        tags,
        summary: 'Upload intent for a new audio version',
        params: trackParams,
        body: uploadBody('audio', 'Version').extend({ label: z.string().trim().min(1).max(120).optional() }),
      },
    },
    async (request, reply) => {
      const { label, ...file } = request.body;
      return reply.status(201).send(await uploads.createAttachedUpload(actorOf(request), request.params.trackId, 'audio', { ...file, name: label }));
    },
  );

  app.post(
    '/v1/tracks/:trackId/artwork/uploads',
    { schema: { tags, summary: 'Upload intent for cover art (images only)', params: trackParams, body: uploadBody('artwork', 'Artwork') } },
    async (request, reply) => reply.status(201).send(await uploads.createAttachedUpload(actorOf(request), request.params.trackId, 'artwork', request.body)),
  );

  app.post(
    '/v1/tracks/:trackId/documents/uploads',
    { schema: { tags, summary: 'Upload intent for a document (PDF, office, text, image)', params: trackParams, body: uploadBody('document', 'Document') } },
    async (request, reply) => reply.status(201).send(await uploads.createAttachedUpload(actorOf(request), request.params.trackId, 'document', request.body)),
  );

  app.post(
    '/v1/tracks/:trackId/stems/uploads',
    {
      schema: {
        tags,
        summary: 'Upload intent for a named stem (audio)',
        params: trackParams,
        body: uploadBody('stem', 'Stem').extend({ name: z.string().trim().min(1).max(120) }),
      },
    },
    async (request, reply) => reply.status(201).send(await uploads.createAttachedUpload(actorOf(request), request.params.trackId, 'stem', request.body)),
  );
}
