import type { FastifyInstance } from 'fastify';
import type { Container } from '../../container.js';
import { setupSurface } from '../surface.js';
import { registerApiKeyRoutes } from './api-key.routes.js';
import { registerCollectionRoutes } from './collection.routes.js';
import { registerCoverUploadRoutes } from './cover-upload.routes.js';
import { registerCreatorRoutes } from './creator.routes.js';
import { renderCollectionsError } from './envelope.js';
import { registerOrganizationRoutes } from './organization.routes.js';
import { registerSessionRoutes } from './session.routes.js';
import { registerTrackRoutes } from './track.routes.js';
import { registerVariantRoutes } from './variant.routes.js';

/** The AudioDN-compatible API, mounted at /v1. */
export async function registerCollectionsSurface(app: FastifyInstance, c: Container): Promise<void> {
  setupSurface(app, { render: renderCollectionsError, auth: c.services.auth, scopedKeys: 'allow' });
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-api-request-id', request.id);
    done();
  });
  const m = c.modules.collections;
  registerOrganizationRoutes(app, m);
  registerCreatorRoutes(app, m);
  registerCollectionRoutes(app, m);
  registerTrackRoutes(app, m);
  registerVariantRoutes(app, m);
  registerSessionRoutes(app, m);
  registerApiKeyRoutes(app, m);
  await app.register(async (uploads) => registerCoverUploadRoutes(uploads, m, c.config.limits.imageBytes));
}
