import type { FastifyInstance } from 'fastify';
import type { Container } from '../../container.js';
import { setupSurface } from '../surface.js';
import { renderCollectionsError } from './envelope.js';

/** The AudioDN-compatible API, mounted at /v1. */
export async function registerCollectionsSurface(app: FastifyInstance, c: Container): Promise<void> {
  setupSurface(app, { render: renderCollectionsError, auth: c.services.auth });
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-api-request-id', request.id);
    return payload;
  });
}
