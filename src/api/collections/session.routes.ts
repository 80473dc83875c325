import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CollectionsModule } from '../../services/collections/index.js';
import { actorOf } from '../surface.js';
import { ok } from './envelope.js';
import { expiresIn, fileName, metadata, organizationIndex } from './schemas.js';

const tags = ['collections'];
/** Session ids in the URL are the credential: these routes take no Bearer token. */
const capability = { public: true };

export function registerSessionRoutes(root: FastifyInstance, m: CollectionsModule): void {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/upload_session',
    {
      schema: {
        tags,
        summary: 'Create upload session',
        body: z.object({
          collection_id: z.uuid().optional(),
          creator_id: z.uuid().nullable().optional(),
          organization_index: organizationIndex.nullable().optional(),
          metadata: metadata.optional(),
          expires_in: expiresIn,
        }),
      },
    },
    async (request) => {
      const b = request.body;
      const { session, colors } = await m.uploadSessions.create(actorOf(request), {
        collectionId: b.collection_id,
        creatorId: b.creator_id,
        organizationIndex: b.organization_index,
        metadata: b.metadata,
        expiresIn: b.expires_in,
      });
      return ok(request, { upload_session_id: session.id, upload_session: session, ...colors, expires_at: session.expires_at });
    },
  );

  app.get(
    '/upload_session/:upload_session_id',
    { config: capability, schema: { tags, summary: 'Get upload session (the id is the credential)', params: z.object({ upload_session_id: z.uuid() }) } },
    async (request) => {
      const session = await m.uploadSessions.get(request.params.upload_session_id);
      return ok(request, { upload_session_id: session.id, upload_session: session });
    },
  );

  app.post(
    '/upload/:upload_session_id/track',
    {
      config: capability,
      schema: {
        tags,
        summary: 'Create a track in an upload session (the id is the credential)',
        params: z.object({ upload_session_id: z.uuid() }),
        body: z.object({ file_name: fileName, organization_index: organizationIndex.nullable().optional(), metadata: metadata.optional() }),
      },
    },
    async (request) => {
      const b = request.body;
      const created = await m.uploadSessions.createTrack(request.params.upload_session_id, {
        fileName: b.file_name,
        organizationIndex: b.organization_index,
        metadata: b.metadata,
      });
      return ok(request, {
        upload_session_id: created.session.id,
        track_id: created.track.id,
        track: created.track,
        upload_session: created.session,
        track_upload: created.trackUpload,
        track_cover_upload: created.coverUpload,
      });
    },
  );

  app.post(
    '/play_session/:scope',
    {
      schema: {
        tags,
        summary: 'Create play session (scope: collection or track)',
        params: z.object({ scope: z.string().max(32) }),
        body: z.object({
          variants: z.array(z.string().min(1).max(64)).max(32).optional(),
          collection_id: z.uuid().optional(),
          track_id: z.uuid().optional(),
          is_downloadable: z.boolean().optional(),
          expires_in: expiresIn,
        }),
      },
    },
    async (request) => {
      const b = request.body;
      const created = await m.playSessions.create(actorOf(request), request.params.scope, {
        variants: b.variants,
        collectionId: b.collection_id,
        trackId: b.track_id,
        isDownloadable: b.is_downloadable,
        expiresIn: b.expires_in,
      });
      return ok(request, {
        play_session_id: created.session.id,
        play_session: created.session,
        tracks: created.tracks,
        first_track: created.firstTrack,
        expires_at: created.session.expires_at,
      });
    },
  );

  app.get(
    '/play_session/:play_session_id',
    { config: capability, schema: { tags, summary: 'Get play session (the id is the credential)', params: z.object({ play_session_id: z.uuid() }) } },
    async (request) => {
      const { session, tracks } = await m.playSessions.get(request.params.play_session_id);
      return ok(request, { play_session_id: session.id, play_session: session, tracks });
    },
  );

  app.get(
    '/play/:play_session_id/:play_track_id',
    {
      config: capability,
      schema: { tags, summary: 'A track of a play session with signed variant URLs', params: z.object({ play_session_id: z.uuid(), play_track_id: z.uuid() }) },
    },
    async (request) => {
      const { session, ...track } = await m.playSessions.play(request.params.play_session_id, request.params.play_track_id);
      return ok(request, { play_session_id: session.id, play_session: session, ...track });
    },
  );

  app.get(
    '/play/:play_session_id/:play_track_id/:variant_index/download',
    {
      config: capability,
      schema: {
        tags,
        summary: 'Signed download URL of one variant (downloadable sessions only)',
        params: z.object({ play_session_id: z.uuid(), play_track_id: z.uuid(), variant_index: z.string().min(1).max(64) }),
        querystring: z.object({ redirect: z.enum(['true', 'false', '1', '0']).optional() }),
      },
    },
    async (request, reply) => {
      const p = request.params;
      const download = await m.playSessions.download(p.play_session_id, p.play_track_id, p.variant_index);
      if (request.query.redirect === 'true' || request.query.redirect === '1') return reply.redirect(download.url, 302);
      return ok(request, { play_session_id: p.play_session_id, track_id: p.play_track_id, download });
    },
  );
}
