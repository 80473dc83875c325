import swagger from '@fastify/swagger';
import scalar from '@scalar/fastify-api-reference';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/** OpenAPI 3.1 generated from the routes' zod schemas, served at /openapi.json, with a reference page at /docs. */
export async function registerDocs(app: FastifyInstance, publicUrl: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Ledgerline',
        version: '0.1.0',
        description:
          'One music catalog behind three wire-compatible APIs: collections (AudioDN) at /v1, workspace (Swayzio) at /api/swayzio/v1, distribution (Royalti) at /.',
      },
      servers: [{ url: publicUrl }],
      tags: [
        { name: 'platform', description: 'Health, metrics, docs' },
        { name: 'admin', description: 'Tenants, users, API keys, webhooks' },
        { name: 'collections', description: 'AudioDN-compatible API at /v1' },
        { name: 'workspace', description: 'Swayzio-compatible API at /api/swayzio/v1' },
        { name: 'distribution', description: 'Royalti-compatible API at /' },
      ],
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'JWT or ll_ API key' } } },
      security: [{ bearerAuth: [] }],
    },
    transform: jsonSchemaTransform,
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(scalar, { routePrefix: '/docs', configuration: { url: '/openapi.json' } });
}
