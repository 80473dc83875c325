import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Container } from '../../container.js';
import { providerInput } from '../../services/distribution/delivery/provider-config.js';
import { actorOf } from '../surface.js';

/** The tenant's DDEX delivery providers (SFTP, S3, local folder). Admins only, like the rest of /admin. */
export function registerDeliveryProviderAdminRoutes(root: FastifyInstance, c: Container): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { deliveries } = c.modules.distribution;
  const tags = ['admin'];

  app.get('/admin/delivery-providers', { schema: { tags, summary: 'Delivery providers of the tenant (secrets masked)' } }, async (request) => ({
    providers: await deliveries.listProviders(actorOf(request)),
  }));
  app.post(
    '/admin/delivery-providers',
    {
      schema: {
        tags,
        summary: 'Add a delivery provider: sftp {host, port, username, privateKey|password, path}, s3 {bucket, prefix, endpoint, credentials}, or folder {path under DATA_DIR/deliveries/<tenant>}',
        body: providerInput,
      },
    },
    async (request, reply) => reply.status(201).send(await deliveries.createProvider(actorOf(request), request.body)),
  );
  app.delete('/admin/delivery-providers/:id', { schema: { tags, summary: 'Remove a delivery provider (its deliveries go with it)', params: z.object({ id: z.string().max(100) }) } }, async (request, reply) => {
    await deliveries.removeProvider(actorOf(request), request.params.id);
    return reply.status(204).send();
  });
}
