import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Container } from '../../container.js';
import { AppError, notFound } from '../../errors.js';
import { actorOf } from '../surface.js';
import { id } from './common.schemas.js';
import { presentAsset, presentStoredFile, presentVersions } from './resource.presenter.js';
import { presentRights, presentSplitSheet } from './split-sheet.presenter.js';
import { presentMachineTag, presentTrack } from './track.presenter.js';
import { peaksQuery, tagsQuery, updateLyricsBody, updateMetadataBody } from './track.schemas.js';
import { replaceSplitSheetBody } from './split-sheet.schemas.js';
import { parseWith } from './validation.js';

type Method = 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE';

/** Methods each resource name answers; names served by dedicated routes are listed so other methods get 405, not 404. */
const RESOURCES: Record<string, Method[]> = {
  tags: ['GET'],
  peaks: ['GET'],
  rights: ['GET'],
  lyrics: ['GET', 'PUT'],
  stems: ['GET'],
  versions: ['GET'],
  'media-assets': ['GET'],
  'split-sheet': ['GET', 'PUT'],
  metadata: ['PATCH'],
  'playback-url': ['GET'],
  'download-url': ['GET'],
  'processing-status': ['GET'],
  'share-links': ['GET', 'POST'],
};

const params = z.object({ trackId: id, resource: z.string().min(1).max(100) });

function checkRoute(method: Method, resource: string, reply: FastifyReply): void {
  const allowed = Object.hasOwn(RESOURCES, resource) ? RESOURCES[resource] : undefined;
  if (!allowed) throw notFound('track_resource_not_found', `Unknown track resource ${resource}`);
  if (!allowed.includes(method)) {
    reply.header('allow', allowed.join(', '));
    throw new AppError(405, 'method_not_allowed', `${method} is not supported on ${resource}`);
  }
}

/** The generic `/v1/tracks/:trackId/:resource` dispatcher of the Swayzio API. */
export function registerResourceRoutes(root: FastifyInstance, c: Container): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const ws = c.modules.workspace;
  const tags = ['workspace'];

  async function read(request: FastifyRequest, trackId: string, resource: string) {
    const actor = actorOf(request);
    switch (resource) {
      case 'tags': {
        const q = parseWith(tagsQuery, request.query, 'querystring');
        const t = await ws.tracks.tags(actor, trackId, { includeHidden: q.includeHidden === 'true' });
        return { trackId: t.trackId, userTags: t.userTags, machineTags: t.machineTags.map((m) => presentMachineTag(m, true)) };
      }
      case 'peaks':
        return ws.media.peaks(actor, trackId, { samplesPerPixel: parseWith(peaksQuery, request.query, 'querystring').samplesPerPixel });
      case 'rights':
        return presentRights(await ws.splitSheets.rights(actor, trackId));
      case 'lyrics':
        return ws.tracks.lyrics(actor, trackId);
      case 'stems': {
        const s = await ws.media.stems(actor, trackId);
        return { trackId: s.trackId, status: s.status, stems: s.stems.map(presentAsset) };
      }
      case 'versions':
        return presentVersions(await ws.media.versions(actor, trackId));
      case 'media-assets': {
        const m = await ws.media.mediaAssets(actor, trackId);
        return { trackId: m.trackId, artwork: m.artwork.map(presentStoredFile), documents: m.documents.map(presentStoredFile) };
      }
      case 'split-sheet':
        return presentSplitSheet(await ws.splitSheets.get(actor, trackId));
    }
    throw notFound('track_resource_not_found');
  }

  app.get('/v1/tracks/:trackId/:resource', { schema: { tags, summary: 'Read a track resource: tags, peaks, rights, lyrics, stems, versions, media-assets, split-sheet', params } }, async (request, reply) => {
    checkRoute('GET', request.params.resource, reply);
    return read(request, request.params.trackId, request.params.resource);
  });

  app.put('/v1/tracks/:trackId/:resource', { schema: { tags, summary: 'Replace a track resource: lyrics or split-sheet', params } }, async (request, reply) => {
    const { trackId, resource } = request.params;
    checkRoute('PUT', resource, reply);
    const actor = actorOf(request);
    if (resource === 'lyrics') return ws.tracks.replaceLyrics(actor, trackId, parseWith(updateLyricsBody, request.body).lyrics);
    return presentSplitSheet(await ws.splitSheets.replace(actor, trackId, parseWith(replaceSplitSheetBody, request.body)));
  });

  app.patch('/v1/tracks/:trackId/:resource', { schema: { tags, summary: 'Edit a track resource: metadata', params } }, async (request, reply) => {
    const { trackId, resource } = request.params;
    checkRoute('PATCH', resource, reply);
    return presentTrack(await ws.tracks.updateMetadata(actorOf(request), trackId, parseWith(updateMetadataBody, request.body)));
  });

  app.route({
    method: ['POST', 'DELETE'],
    url: '/v1/tracks/:trackId/:resource',
    schema: { tags, summary: 'Not supported on track resources (405) or unknown resource (404)', params },
    handler: async (request, reply) => {
      checkRoute(request.method as Method, (request.params as { resource: string }).resource, reply);
      throw notFound('track_resource_not_found');
    },
  });
}
