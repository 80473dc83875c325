import type { FastifyInstance } from 'fastify';
import type { Container } from '../../container.js';
import { setupSurface } from '../surface.js';
import { renderDistributionError } from './envelope.js';

/** The Royalti-compatible API, mounted at / (/releases, /product, /asset, /artist). */
export async function registerDistributionSurface(app: FastifyInstance, c: Container): Promise<void> {
  setupSurface(app, { render: renderDistributionError, auth: c.services.auth });
}
