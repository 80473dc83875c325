import { createHash } from 'node:crypto';
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
  await app.register(async (docs) => {
    docs.addHook('onSend', async (_request, reply, payload) => {
      reply.header('x-content-type-options', 'nosniff');
      reply.header('x-frame-options', 'DENY');
      reply.header('referrer-policy', 'no-referrer');
      const type = String(reply.getHeader('content-type') ?? '');
      if (type.startsWith('text/html') && typeof payload === 'string') reply.header('content-security-policy', docsPolicy(payload));
      else reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
      return payload;
    });
    await docs.register(scalar, { routePrefix: '/docs', configuration: { url: '/openapi.json' } });
  });
}

/**
 * The reference page runs the bundled script from this origin and its one inline bootstrap,
 * allowed by hash; it talks to this server only and cannot be framed.
 */
export function docsPolicy(html: string): string {
  const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]).digest('base64')}'`);
  return [
    "default-src 'self'",
    `script-src 'self' ${hashes.join(' ')}`.trim(),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data: https://fonts.scalar.com",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
