import type { FastifyInstance } from 'fastify';
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import type { EventBus } from '../../catalog/events.js';
import { createHttpMetrics } from './http-metrics.js';

/** Prometheus metrics: process metrics on a registry of this app's own (several apps may live in one test process) plus per-route HTTP metrics. */
export function registerMetrics(app: FastifyInstance, events?: Pick<EventBus, 'subscribe'>): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  if (events) {
    const published = new Counter({ name: 'ledgerline_catalog_events_total', help: 'Catalog events published, by type', labelNames: ['type'], registers: [registry] });
    events.subscribe((event) => void published.inc({ type: event.type }));
  }
  const http = createHttpMetrics();
  app.addHook('onResponse', (request, reply, done) => {
    http.record(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    reply.header('content-type', registry.contentType);
    return `${await registry.metrics()}\n${http.exposition()}`;
  });
  return registry;
}
