import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Container } from '../../container.js';
import { badRequest } from '../../errors.js';
import { actorOf } from '../surface.js';
import { success, successWith } from './envelope.js';
import { presentTrack } from './release.presenter.js';
import { addTrackBody, linkAssetBody, mediaLink, releaseParams, releaseTrackInput, reorderBody, trackParams } from './release.schemas.js';

const tags = ['distribution'];

/** A release's tracks and their media. Every write needs the release in draft or rejected status. */
export function registerReleaseTrackRoutes(app: FastifyInstance, c: Container): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { releaseTracks, releaseMedia } = c.modules.distribution;

  r.get('/releases/:id/tracks', { schema: { params: releaseParams, tags, summary: 'The tracklist of a release' } }, async (request) =>
    success('Tracks retrieved successfully', (await releaseTracks.list(actorOf(request), request.params.id)).map(presentTrack)),
  );

  r.post('/releases/:id/tracks', { schema: { params: releaseParams, body: addTrackBody, tags, summary: 'Add a track to a release' } }, async (request, reply) => {
    const { view, warnings } = await releaseTracks.add(actorOf(request), request.params.id, request.body);
    return reply.status(201).send(successWith('Track added successfully', presentTrack(view), warnings));
  });

  r.post('/releases/:id/tracks/reorder', { schema: { params: releaseParams, body: reorderBody, tags, summary: 'Reorder release tracks' } }, async (request) =>
    success('Tracks reordered successfully', (await releaseTracks.reorder(actorOf(request), request.params.id, request.body.trackOrder)).map(presentTrack)),
  );

  r.post('/releases/:id/tracks/link-asset', { schema: { params: releaseParams, body: linkAssetBody, tags, summary: 'Link an existing asset to a release as a new track' } }, async (request, reply) => {
    const { view, warnings, title } = await releaseTracks.linkAsset(actorOf(request), request.params.id, request.body);
    return reply.status(201).send(successWith(`Asset "${title}" linked to release successfully`, presentTrack(view), warnings));
  });

  r.put('/releases/:id/tracks/:trackId', { schema: { params: trackParams, body: releaseTrackInput, tags, summary: 'Update a track (release asset)' } }, async (request) => {
    const { view, warnings } = await releaseTracks.update(actorOf(request), request.params.id, request.params.trackId, request.body);
    return successWith('Track updated successfully', presentTrack(view), warnings);
  });

  r.delete('/releases/:id/tracks/:trackId', { schema: { params: trackParams, tags, summary: 'Remove a track from a release' } }, async (request) => {
    await releaseTracks.remove(actorOf(request), request.params.id, request.params.trackId);
    return success('Track deleted successfully', { id: request.params.trackId });
  });

  r.post(
    '/releases/:id/tracks/:trackId/media/file',
    { schema: { params: trackParams, consumes: ['multipart/form-data'], tags, summary: 'Upload the audio or video file of a track (multipart field "file")' } },
    async (request) => {
      if (!request.isMultipart()) throw badRequest('multipart_required', 'Send the file as multipart/form-data in a field named "file"');
      const actor = actorOf(request);
      const part = await request.file();
      if (!part) throw badRequest('file_required', 'No file was sent: add the audio or video file in a field named "file"');
      const media = await releaseMedia.uploadFile(actor, request.params.id, request.params.trackId, {
        stream: part.file,
        fileName: part.filename,
        contentType: part.mimetype,
        truncated: () => part.file.truncated,
      });
      return success('Media uploaded successfully', media);
    },
  );

  r.post('/releases/:id/tracks/:trackId/media/link', { schema: { params: trackParams, body: mediaLink, tags, summary: 'Submit a media link for a track' } }, async (request) =>
    success('Media uploaded successfully', await releaseMedia.submitLink(actorOf(request), request.params.id, request.params.trackId, request.body)),
  );
}
