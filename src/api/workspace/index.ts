import type { FastifyInstance } from 'fastify';
import type { Container } from '../../container.js';
import { AppError } from '../../errors.js';
import { setupSurface } from '../surface.js';
import { registerCollaboratorRoutes } from './collaborator.routes.js';
import { renderWorkspaceError } from './envelope.js';
import { registerMediaRoutes } from './media.routes.js';
import { registerPublicRoutes } from './public.routes.js';
import { registerResourceRoutes } from './resource.routes.js';
import { registerSearchRoutes } from './search.routes.js';
import { registerShareLinkRoutes } from './share-link.routes.js';
import { registerTrackRoutes } from './track.routes.js';
import { registerUploadRoutes } from './upload.routes.js';
import { findNul } from './validation.js';

/** The Swayzio-compatible API, mounted at /api/swayzio (routes under /v1). */
export async function registerWorkspaceSurface(app: FastifyInstance, c: Container): Promise<void> {
  setupSurface(app, { render: renderWorkspaceError, auth: c.services.auth });
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('cache-control', 'no-store');
    return payload;
  });
  // The same input must be accepted or refused alike on SQLite and PostgreSQL, whose text cannot hold NUL.
  app.addHook('preValidation', async (request) => {
    for (const [part, value] of [['params', request.params], ['querystring', request.query], ['body', request.body]] as const) {
      const path = findNul(value, part);
      if (path) throw new AppError(400, 'validation_error', 'Text must not contain NUL characters', { issues: [{ path, message: 'must not contain NUL characters' }] });
    }
  });
  app.get('/health', { config: { public: true }, schema: { tags: ['workspace'], summary: 'Health' } }, async () => ({
    status: 'ok',
    service: 'ledgerline',
    runtime: 'node',
    timestamp: new Date().toISOString(),
  }));
  registerTrackRoutes(app, c);
  registerUploadRoutes(app, c);
  registerMediaRoutes(app, c);
  registerShareLinkRoutes(app, c);
  registerCollaboratorRoutes(app, c);
  registerSearchRoutes(app, c);
  registerResourceRoutes(app, c);
  // Its own scope, so the rate limit applies to the public routes only.
  await app.register(async (pub) => registerPublicRoutes(pub, c));
}
