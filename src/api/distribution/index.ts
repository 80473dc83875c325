import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { Container } from '../../container.js';
import { setupSurface } from '../surface.js';
import { registerAssetRoutes } from './asset.routes.js';
import { renderDistributionError } from './envelope.js';
import { registerProductRoutes } from './product.routes.js';
import { registerReleaseTrackRoutes } from './release-track.routes.js';
import { registerReleaseRoutes } from './release.routes.js';

/** The Royalti-compatible API, mounted at / (/releases, /product, /asset, /artist). */
export async function registerDistributionSurface(app: FastifyInstance, c: Container): Promise<void> {
  setupSurface(app, { render: renderDistributionError, auth: c.services.auth });
  // Multipart only in this scope: one file per request, streamed, never larger than an audio upload may be.
  await app.register(multipart, {
    limits: { fileSize: c.config.limits.audioBytes, files: 1, fields: 300, fieldSize: 1024 * 1024, parts: 302 },
  });
  registerReleaseRoutes(app, c);
  registerReleaseTrackRoutes(app, c);
  registerProductRoutes(app, c);
  registerAssetRoutes(app, c);
}
