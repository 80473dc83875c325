import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Container } from '../../container.js';
import type { DistDeliveryRow } from '../../repositories/distribution/webhook.repository.js';
import { DELIVERY_STATUSES } from '../../services/distribution/webhooks/event-names.js';
import { actorOf } from '../surface.js';
import { listQuery, paged } from './paging.js';
import { success } from './envelope.js';

const tags = ['distribution'];

/** A delivery as its log shows it; `payload` (what was sent, without the per-attempt block) on the detail only. */
const presentDelivery = (d: DistDeliveryRow, withPayload = false) => ({
  id: d.id,
  event: d.event,
  category: d.category,
  status: d.status,
  resource: { type: d.resourceType, id: d.resourceId },
  url: d.url,
  attempts: d.attempt,
  maxAttempts: d.maxAttempts,
  nextRetryAt: d.nextRetryAt,
  responseCode: d.responseCode,
  responseTimeMs: d.responseMs,
  error: d.lastError,
  manualRetries: d.retriesRequested,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
  completedAt: d.completedAt,
  ...(withPayload ? { payload: JSON.parse(d.payload) as unknown } : {}),
});

const day = /^\d{4}-\d{2}-\d{2}$/;
const dateBound = z
  .string()
  .max(40)
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be a date (YYYY-MM-DD) or an ISO timestamp');
const deliveryFilter = z.object({
  status: z.enum(DELIVERY_STATUSES, { error: `must be one of ${DELIVERY_STATUSES.join(', ')}` }).optional(),
  event: z.string().max(60).optional(),
  eventType: z.string().max(60).optional(),
  /** From this day (or instant) on, inclusive. */
  start: dateBound.optional(),
  /** Up to this day (inclusive) or instant (exclusive). */
  end: dateBound.optional(),
});

/** A day bound covers the whole day; an instant is taken as given. */
function filterOf(q: z.infer<typeof deliveryFilter>) {
  const endOf = (s: string) => (day.test(s) ? new Date(Date.parse(`${s}T00:00:00Z`) + 86_400_000).toISOString() : new Date(s).toISOString());
  return {
    status: q.status,
    event: q.event ?? q.eventType,
    from: q.start ? new Date(day.test(q.start) ? `${q.start}T00:00:00Z` : q.start).toISOString() : undefined,
    to: q.end ? endOf(q.end) : undefined,
  };
}

const deliveryId = z.object({ id: z.string().min(1).max(100) });

/** Royalti §5: the tenant's webhook settings and the delivery log. Admins only. */
export function registerWebhookRoutes(app: FastifyInstance, c: Container): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { webhooks } = c.modules.distribution;

  r.get('/tenant/settings/webhook', { schema: { tags, summary: 'The webhook settings of the workspace' } }, async (request) =>
    success('Webhook settings retrieved successfully', await webhooks.settings(actorOf(request))),
  );

  r.put(
    '/tenant/settings/webhook-url',
    {
      schema: {
        tags,
        summary: 'Set (or clear, with null) the webhook URL; a new URL gets a new signing secret, shown once',
        body: z.object({ webhookUrl: z.string().max(2000).nullable() }),
      },
    },
    async (request) => success('Webhook URL updated successfully', await webhooks.setUrl(actorOf(request), request.body.webhookUrl)),
  );

  r.put(
    '/tenant/settings/webhook-isActive',
    { schema: { tags, summary: 'Turn webhooks on or off', body: z.object({ isActive: z.boolean() }) } },
    async (request) => success('Webhook status updated successfully', await webhooks.setActive(actorOf(request), request.body.isActive)),
  );

  r.put(
    '/tenant/settings/webhook-enabledEvents',
    { schema: { tags, summary: 'The event types sent to the webhook', body: z.object({ enabledEvents: z.array(z.string().min(1).max(60)).max(100) }) } },
    async (request) => success('Webhook events updated successfully', await webhooks.setEnabledEvents(actorOf(request), request.body.enabledEvents)),
  );

  r.get(
    '/webhook-deliveries',
    { schema: { tags, summary: 'Webhook deliveries, newest first (filter by status, event type, date)', querystring: listQuery(deliveryFilter.shape, { defaultSize: 10 }) } },
    async (request) => {
      const q = request.query;
      const { rows, total } = await webhooks.list(actorOf(request), filterOf(q), { page: q.page, size: q.size, order: q.order });
      return paged('Webhook deliveries retrieved successfully', rows.map((d) => presentDelivery(d)), total, q.page, q.size);
    },
  );

  r.get('/webhook-deliveries/summary', { schema: { tags, summary: 'Delivery counts by status and event, success rate', querystring: deliveryFilter } }, async (request) => ({
    message: 'Summary retrieved successfully',
    summary: await webhooks.summary(actorOf(request), filterOf(request.query)),
  }));

  r.get('/webhook-deliveries/:id', { schema: { tags, summary: 'A webhook delivery, with what it sent', params: deliveryId } }, async (request) =>
    success('Webhook delivery retrieved successfully', presentDelivery(await webhooks.get(actorOf(request), request.params.id), true)),
  );

  r.post('/webhook-deliveries/:id/retry', { schema: { tags, summary: 'Send a failed, timed-out or cancelled delivery again', params: deliveryId } }, async (request, reply) =>
    reply.status(202).send(success('Webhook delivery queued for retry', presentDelivery(await webhooks.retry(actorOf(request), request.params.id)))),
  );
}
