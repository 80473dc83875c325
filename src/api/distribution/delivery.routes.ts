import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Container } from '../../container.js';
import { ERN_MESSAGE_KINDS, type ErnMessageKind } from '../../services/distribution/ddex/ern-model.js';
import { actorOf } from '../surface.js';
import { idParam } from './common.schemas.js';
import { notReadyResponse, readinessIssue } from './ddex.schemas.js';
import { success } from './envelope.js';

const tags = ['distribution'];

const delivery = z.object({
  id: z.string(), productId: z.string(), providerId: z.string(), batchId: z.string(), type: z.string(),
  status: z.enum(['queued', 'sending', 'delivered', 'failed']), messageId: z.string().nullable(), bytes: z.number(), files: z.number(), attempts: z.number(),
  error: z.string().nullable(), createdAt: z.string(), updatedAt: z.string(), deliveredAt: z.string().nullable(),
});
const provider = z.object({ id: z.string(), name: z.string(), kind: z.enum(['sftp', 's3', 'folder']), config: z.record(z.string(), z.unknown()), recipient: z.object({ partyId: z.string(), name: z.string() }) });
const envelope = <T extends z.ZodType>(data: T) => z.object({ success: z.literal(true), message: z.string(), data });

const batchBody = z.object({
  productIds: z.array(z.string().min(1).max(100)).min(1).max(200),
  provider: z.string().min(1).max(100).describe('Delivery provider id or name'),
  type: z.enum(ERN_MESSAGE_KINDS as [string, ...string[]]).default('new'),
});

/** DDEX delivery of products to the tenant's providers, and the record of every delivery. */
export function registerDeliveryRoutes(app: FastifyInstance, c: Container): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { deliveries } = c.modules.distribution;

  r.get('/product/delivery-providers', { schema: { tags, summary: 'Where products can be delivered: the tenant\'s providers (secrets masked)', response: { 200: envelope(z.array(provider)) } } }, async (request) =>
    success('Delivery providers retrieved successfully', await deliveries.listProviders(actorOf(request))),
  );

  r.post(
    '/product/batch-delivery',
    {
      schema: {
        body: batchBody,
        tags,
        summary: 'Queue a DDEX batch: one folder per release (by UPC) with its ERN message, masters and artwork, then BatchComplete_<batchId>.xml',
        response: { 202: envelope(z.object({ batchId: z.string(), provider, deliveries: z.array(delivery) })), 422: notReadyResponse },
      },
    },
    async (request, reply) => {
      const result = await deliveries.batchDelivery(actorOf(request), { ...request.body, type: request.body.type as ErnMessageKind });
      return reply.status(202).send(success('Batch delivery queued successfully', result));
    },
  );

  r.get('/product/:id/delivery', { schema: { params: idParam, tags, summary: "The product's latest delivery and its readiness", response: { 200: envelope(z.object({ ready: z.boolean(), issues: z.array(readinessIssue), status: z.string(), latestDelivery: delivery.nullable() }).passthrough()) } } }, async (request) =>
    success('Delivery retrieved successfully', await deliveries.status(actorOf(request), request.params.id)),
  );

  r.get(
    '/product/:id/delivery/status',
    { schema: { params: idParam, tags, summary: 'Whether the product is ready for delivery (every issue with a stable code) and where its latest delivery stands', response: { 200: envelope(z.object({ ready: z.boolean(), issues: z.array(readinessIssue), status: z.string(), latestDelivery: delivery.nullable() }).passthrough()) } } },
    async (request) => success('Delivery status retrieved successfully', await deliveries.status(actorOf(request), request.params.id)),
  );

  r.get('/product/:id/deliveries', { schema: { params: idParam, tags, summary: 'Every delivery of the product, newest first', response: { 200: envelope(z.array(delivery)) } } }, async (request) =>
    success('Deliveries retrieved successfully', await deliveries.forProduct(actorOf(request), request.params.id)),
  );

  r.post(
    '/product/:id/deliveries/:deliveryId/retry',
    { schema: { params: idParam.extend({ deliveryId: z.string().min(1).max(100) }), tags, summary: 'Queue a failed delivery again; files already delivered whole are not sent twice', response: { 202: envelope(delivery) } } },
    async (request, reply) => reply.status(202).send(success('Delivery retry queued successfully', await deliveries.retry(actorOf(request), request.params.id, request.params.deliveryId))),
  );
}
