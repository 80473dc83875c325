import type { FastifyInstance } from 'fastify';
import type { Container } from '../../container.js';
import { setupSurface } from '../surface.js';
import { renderWorkspaceError } from './envelope.js';

/** The Swayzio-compatible API, mounted at /api/swayzio (routes under /v1). */
export async function registerWorkspaceSurface(app: FastifyInstance, c: Container): Promise<void> {
  setupSurface(app, { render: renderWorkspaceError, auth: c.services.auth });
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('cache-control', 'no-store');
    return payload;
  });
  app.get('/health', { config: { public: true }, schema: { tags: ['workspace'], summary: 'Health' } }, async () => ({
    status: 'ok',
    service: 'ledgerline',
    runtime: 'node',
    timestamp: new Date().toISOString(),
  }));
}
