import multipart from '@fastify/multipart';
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { Container } from '../../container.js';
import { setupSurface } from '../surface.js';
import { registerAssetRoutes } from './asset.routes.js';
import { registerCatalogBulkRoutes } from './catalog-bulk.routes.js';
import { registerDdexRoutes } from './ddex.routes.js';
import { registerDeliveryRoutes } from './delivery.routes.js';
import { registerWorksRoutes } from './works.routes.js';
import { renderDistributionError } from './envelope.js';
import { registerProductRoutes } from './product.routes.js';
import { registerReleaseTrackRoutes } from './release-track.routes.js';
import { registerReleaseRoutes } from './release.routes.js';
import { registerWebhookRoutes } from './webhook.routes.js';

/** Royalti documents its collections with a trailing slash (`GET /artist/`); both spellings answer. */
const COLLECTIONS = new Set(['/releases', '/product', '/product/bulk', '/asset', '/artist', '/webhook-deliveries']);

/** The Royalti-compatible API, mounted at / (/releases, /product, /asset, /artist). */
export async function registerDistributionSurface(app: FastifyInstance, c: Container): Promise<void> {
  setupSurface(app, { render: renderDistributionError, auth: c.services.auth });
  // Multipart only in this scope: one file per request, streamed, never larger than an audio upload may be.
  await app.register(multipart, {
    limits: { fileSize: c.config.limits.audioBytes, files: 1, fields: 300, fieldSize: 1024 * 1024, parts: 302 },
  });
  const slashed: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    if (COLLECTIONS.has(route.url) && route.method !== 'HEAD') slashed.push(route);
  });
  registerReleaseRoutes(app, c);
  registerReleaseTrackRoutes(app, c);
  registerProductRoutes(app, c);
  registerAssetRoutes(app, c);
  registerCatalogBulkRoutes(app, c);
  registerWebhookRoutes(app, c);
  registerDdexRoutes(app, c);
  registerDeliveryRoutes(app, c);
  registerWorksRoutes(app, c);
  for (const route of slashed) {
    app.route({
      method: route.method,
      url: `${route.url}/`,
      schema: { ...route.schema, hide: true },
      handler: route.handler,
      validatorCompiler: route.validatorCompiler,
      config: route.config,
    });
  }
}
