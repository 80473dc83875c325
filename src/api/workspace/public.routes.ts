import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Container } from '../../container.js';
import { AppError } from '../../errors.js';
import { publicEventBody, tokenParams } from './share-link.schemas.js';

const tags = ['workspace-public'];
const config = { public: true };
const accessCode = (request: FastifyRequest) => {
  const v = request.headers['x-access-code'];
  return typeof v === 'string' ? v : undefined;
};

/**
 * The unauthenticated consumer side of share links. Only GET and POST are answered, nothing
 * in the catalog changes (views, plays and downloads are counted), and each client IP gets
 * `publicRateLimit` requests a minute, across every API process.
 */
export async function registerPublicRoutes(root: FastifyInstance, c: Container): Promise<void> {
  await root.register(rateLimit, {
    max: c.config.publicRateLimit,
    timeWindow: 60_000,
    keyGenerator: (request) => request.ip,
    // Counted in PostgreSQL when processes share it, so the limit is per client, not per process;
    // should the count fail, the request is served rather than refused.
    ...(c.rateLimitStore ? { store: c.rateLimitStore, skipOnError: true } : {}),
    errorResponseBuilder: (_request, context) =>
      new AppError(429, 'rate_limited', 'Too many requests', { details: { retryAfterSeconds: Math.ceil(context.ttl / 1000) } }),
  });
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { publicLinks } = c.modules.workspace;
  // HEAD is not a method this surface answers, so GET routes do not get one implicitly.
  const get = { exposeHeadRoute: false, config };

  app.get('/v1/public/track-links/:token', { ...get, schema: { tags, summary: 'The shared track: title, artist, artwork, peaks (counts a view)', params: tokenParams } }, async (request) => {
    const card = await publicLinks.card(request.params.token, accessCode(request));
    return {
      link: { name: card.link.name, expiresAt: card.link.expiresAt, allowDownload: card.allowDownload, requiresAccessCode: card.requiresAccessCode },
      track: card.track,
      peaks: card.peaks,
    };
  });

  app.get('/v1/public/track-links/:token/playback-url', { ...get, schema: { tags, summary: 'Signed stream URL of the shared track', params: tokenParams } }, async (request) => {
    const p = await publicLinks.playbackUrl(request.params.token, accessCode(request));
    return { url: p.url, expiresAt: p.expiresAt, mimeType: p.mimeType };
  });

  app.get('/v1/public/track-links/:token/download-url', { ...get, schema: { tags, summary: 'Signed download URL when the link allows downloads (counts a download)', params: tokenParams } }, async (request) => {
    const d = await publicLinks.downloadUrl(request.params.token, accessCode(request));
    return { url: d.url, expiresAt: d.expiresAt, fileName: d.fileName };
  });

  app.post(
    '/v1/public/track-links/:token/events',
    { config, schema: { tags, summary: 'Count a play of the shared track', params: tokenParams, body: publicEventBody } },
    async (request, reply) => {
      await publicLinks.recordPlay(request.params.token, accessCode(request));
      return reply.status(204).send();
    },
  );

  app.get('/v1/public/split-sheet-links/:token', { ...get, schema: { tags, summary: 'The split sheet behind a review link (counts a view)', params: tokenParams } }, async (request) =>
    publicLinks.splitSheetReview(request.params.token),
  );

  app.route({
    method: ['HEAD', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: '/v1/public/*',
    config,
    schema: { hide: true },
    handler: async (_request, reply) => {
      reply.header('allow', 'GET, POST');
      throw new AppError(405, 'method_not_allowed', 'The public API answers only GET and POST');
    },
  });
}
