import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Container } from '../../container.js';
import { createRemoteDispatchService } from '../../services/remote-dispatch.service.js';

const callbackSchema = z.object({
  status: z.enum(['succeeded', 'failed']),
  error: z.string().max(4000).optional(),
  lyrics: z.string().max(100_000).optional(),
  stems: z.array(z.object({ name: z.string().regex(/^[A-Za-z0-9 _-]{1,60}$/), url: z.url(), contentType: z.string().max(100).optional() })).max(16).optional(),
});

/** Where a remote worker reports back. Authorised by the HMAC signature over the raw body, not a Bearer token. */
export async function registerRemoteCallbackRoutes(root: FastifyInstance, c: Container): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const service = createRemoteDispatchService(c);
  // The signature covers the exact bytes sent, so keep them next to the parsed body.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 1024 * 1024 }, (request, body, done) => {
    (request as { rawBody?: string }).rawBody = body as string;
    try {
      done(null, JSON.parse(body as string));
    } catch {
      const err = new SyntaxError('Body is not valid JSON') as SyntaxError & { statusCode: number };
      err.statusCode = 400;
      done(err, undefined);
    }
  });
  app.post(
    '/internal/remote-dispatches/:id/callback',
    {
      config: { public: true },
      schema: { tags: ['platform'], summary: 'Remote worker callback (HMAC-signed)', params: z.object({ id: z.string().max(64) }), body: callbackSchema },
    },
    async (request, reply) => {
      const raw = (request as { rawBody?: string }).rawBody ?? '';
      service.verify(raw, request.headers['x-ledgerline-timestamp'] as string | undefined, request.headers['x-ledgerline-signature'] as string | undefined);
      await service.complete(request.params.id, request.body);
      return reply.status(204).send();
    },
  );
}
