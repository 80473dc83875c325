import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Container } from '../../container.js';
import { AppError } from '../../errors.js';
import { registerWebAssets } from '../../web/assets.js';
import { renderEmbedPlayer } from '../../web/pages/embed-player.js';
import { renderLinkUnavailablePage } from '../../web/pages/link-unavailable.js';
import { renderSplitSheetPage } from '../../web/pages/split-sheet.js';
import { renderTrackSharePage } from '../../web/pages/track-share.js';
import type { SharePageCard } from '../../services/workspace/share-page-source.js';
import { chooseCoding, createSharePageCache, etagOf, notModified } from './share-page-cache.js';

const tokenParams = z.object({ token: z.string().min(1).max(200) });
const idParams = z.object({ id: z.string().min(1).max(64) });
const embedQuery = z.object({ key: z.string().max(300).optional(), session: z.string().max(100).optional() });

/**
 * The pages people outside the catalog see: the private track share page, the split-sheet
 * review page and the embeddable players. Server-rendered, with a per-page CSP.
 */
export async function registerPageRoutes(root: FastifyInstance, c: Container): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { publicUrl } = c.config;
  const api = (token: string) => {
    const base = `/api/swayzio/v1/public/track-links/${encodeURIComponent(token)}`;
    return { card: base, playbackUrl: `${base}/playback-url`, downloadUrl: `${base}/download-url`, events: `${base}/events` };
  };
  const storageOrigins = () => {
    try {
      return c.store.kind === 's3' ? [new URL(c.config.storageUrl!.replace(/^s3:\/\/[^?]*\?/, 'http://x/?')).searchParams.get('endpoint') ?? ''].filter(Boolean) : [];
    } catch {
      return [];
    }
  };

  registerWebAssets(app);

  const send = (reply: FastifyReply, page: { html: string; csp: string }, status = 200, cache = 'no-store') =>
    reply
      .status(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', page.csp)
      .header('cache-control', cache)
      .header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff')
      .send(page.html);

  const unavailable = (reply: FastifyReply) => send(reply, renderLinkUnavailablePage({ publicUrl }), 404);
  const isGone = (err: unknown) => err instanceof AppError && (err.status === 404 || err.status === 410 || err.status === 403);

  const sharePages = createSharePageCache();
  const renderSharePage = (token: string, card: SharePageCard) =>
    renderTrackSharePage({
      token,
      title: card.track?.title ?? '',
      artist: card.track?.artist ?? '',
      artworkUrl: card.track?.artworkUrl ?? null,
      durationMs: card.track?.durationMs ?? null,
      peaks: card.peaks ? { data: card.peaks.data, bits: card.peaks.bits, length: card.peaks.length } : null,
      allowDownload: card.allowDownload,
      requiresAccessCode: card.requiresAccessCode,
      publicUrl,
      api: api(token),
      mediaOrigins: storageOrigins(),
      imageOrigins: storageOrigins(),
    });

  // Rendered once per state of the link and its track (see share-page-cache.ts), revalidated
  // with its ETag; the link is read and the view counted on every request, 304s included.
  app.get('/s/:token', { schema: { tags: ['platform'], summary: 'Private track share page', params: tokenParams } }, async (request, reply) => {
    const { token } = request.params;
    try {
      const page = await c.modules.workspace.publicLinks.viewSharePage(token, (source) => sharePages.page(source, (card) => renderSharePage(token, card)));
      const coding = chooseCoding(request.headers['accept-encoding']);
      reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-security-policy', page.csp)
        .header('cache-control', 'private, no-cache')
        .header('vary', 'Accept-Encoding')
        .header('etag', etagOf(page, coding))
        .header('referrer-policy', 'no-referrer')
        .header('x-content-type-options', 'nosniff');
      if (notModified(request.headers['if-none-match'], page)) return reply.status(304).send();
      if (coding) reply.header('content-encoding', coding);
      return reply.status(200).send(coding ? page.encoded(coding) : page.html);
    } catch (err) {
      if (isGone(err)) return unavailable(reply);
      throw err;
    }
  });

  app.get('/s/split/:token', { schema: { tags: ['platform'], summary: 'Split-sheet review page', params: tokenParams } }, async (request, reply) => {
    try {
      const model = await c.modules.workspace.publicLinks.splitSheetReview(request.params.token);
      return send(reply, renderSplitSheetPage(model));
    } catch (err) {
      if (isGone(err)) return unavailable(reply);
      throw err;
    }
  });

  const embedRoute = (kind: 'track' | 'collection') =>
    app.get(
      `/embed/${kind}/:id`,
      { schema: { tags: ['platform'], summary: `Embeddable ${kind} player (player key or play session)`, params: idParams, querystring: embedQuery } },
      async (request, reply) => {
        const auth = { playerKey: request.query.key, playSessionId: request.query.session };
        try {
          const model =
            kind === 'track'
              ? await c.modules.collections.embed.forTrack(request.params.id, auth)
              : await c.modules.collections.embed.forCollection(request.params.id, auth);
          return send(reply, renderEmbedPlayer(model));
        } catch (err) {
          if (isGone(err)) return unavailable(reply);
          throw err;
        }
      },
    );
  embedRoute('track');
  embedRoute('collection');
}
