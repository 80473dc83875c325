import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Container } from '../../container.js';
import type { ErnMessageKind } from '../../services/distribution/ddex/ern-model.js';
import { actorOf } from '../surface.js';
import { idParam } from './common.schemas.js';
import { assetMetadataResponse, assetReadinessResponse, ddexQuery, notReadyResponse } from './ddex.schemas.js';
import { success } from './envelope.js';
import { allPages, csvLines } from './csv.js';
import { Readable } from 'node:stream';
import { METADATA_COLUMNS } from '../../services/distribution/ddex/metadata-export.js';
import { badRequest } from '../../errors.js';

const tags = ['distribution'];

/** DDEX ERN 4.3 messages of products, and readiness for delivery of products and assets. */
export function registerDdexRoutes(app: FastifyInstance, c: Container): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { ddex, deliveries } = c.modules.distribution;

  r.get(
    '/product/:id/ddex',
    {
      schema: {
        params: idParam,
        querystring: ddexQuery,
        tags,
        summary: 'The product as a DDEX ERN 4.3 message (application/xml): new, update, takedown (deals end) or purge',
        produces: ['application/xml'],
        response: { 200: z.string().describe('ERN 4.3 NewReleaseMessage or PurgeReleaseMessage'), 422: notReadyResponse },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const recipient = request.query.provider ? await deliveries.recipientOf(actor, request.query.provider) : null;
      const { xml, draft } = await ddex.message(actor, request.params.id, request.query.type as ErnMessageKind, recipient);
      const upc = draft.message.release.upc ?? draft.message.release.productId;
      return reply.type('application/xml; charset=utf-8').header('content-disposition', `inline; filename="${upc}.xml"`).send(xml);
    },
  );

  r.get('/asset/:id/ddex-readiness', { schema: { params: idParam, tags, summary: 'What stops the asset from a valid DDEX delivery, each issue with a stable code', response: { 200: assetReadinessResponse } } }, async (request) =>
    success('DDEX readiness retrieved successfully', await ddex.assetReadiness(actorOf(request), request.params.id)),
  );

  r.get('/asset/:id/ddex-metadata', { schema: { params: idParam, tags, summary: "The asset's DDEX SoundRecording metadata and the delivered file's technical details", response: { 200: assetMetadataResponse } } }, async (request) =>
    success('DDEX metadata retrieved successfully', await ddex.assetMetadata(actorOf(request), request.params.id)),
  );

  r.get(
    '/product/download/metadata',
    {
      schema: {
        querystring: z.object({
          format: z.enum(['csv', 'ern']).default('csv'),
          q: z.string().max(200).optional().describe('csv: only products matching this text'),
          id: z.string().min(1).max(100).optional().describe('ern: the product whose message to download'),
          type: ddexQuery.shape.type,
        }),
        tags,
        summary: 'Metadata export: every product track as CSV (streamed, formula-safe), or one product as its ERN 4.3 message (format=ern&id=)',
        produces: ['text/csv', 'application/xml'],
        response: { 200: z.string(), 422: notReadyResponse },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const q = request.query;
      if (q.format === 'ern') {
        if (!q.id) throw badRequest('validation_error', 'id is required when format is ern');
        const { xml, draft } = await ddex.message(actor, q.id, q.type as ErnMessageKind);
        const name = draft.message.release.upc ?? draft.message.release.productId;
        return reply.type('application/xml; charset=utf-8').header('content-disposition', `attachment; filename="${name}.xml"`).send(xml);
      }
      const pages = await allPages((page, size) => ddex.metadataPage(actor, q.q, page, size), 200);
      reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="product-metadata.csv"');
      // A stream, not one of the documented bodies' types: typed as the plain reply it is.
      return (reply as FastifyReply).send(Readable.from(csvLines(METADATA_COLUMNS, pages)));
    },
  );
}
