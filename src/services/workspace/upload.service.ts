import { fileNameDefaults } from '../../catalog/file-title.js';
import type { CoreDeps } from '../../container.js';
import type { Actor } from '../../domain/access.js';
import { notFound } from '../../errors.js';
import type { UploadIntent } from '../upload.service.js';
import type { FreshCache } from './fresh-cache.js';
import { canSee, scopeOf, type TrackFinder } from './scope.js';

export interface DeclaredFile {
  fileName: string;
  contentType: string;
  byteSize: number;
}

export type AttachedKind = 'audio' | 'artwork' | 'document' | 'stem';

export interface UploadTicket {
  uploadId: string;
  trackId: string;
  assetId: string;
  signedUrl: string;
  method: 'PUT';
  expiresAt: string;
  requiredHeaders: Record<string, string>;
  finalizeUrl: string;
}

export const finalizeUrlOf = (uploadId: string) => `/api/swayzio/v1/uploads/${uploadId}/finalize`;

export { titleFromFileName } from '../../catalog/file-title.js';

const ticketOf = (intent: UploadIntent): UploadTicket => ({
  uploadId: intent.upload.id,
  trackId: intent.upload.trackId!,
  assetId: intent.asset.id,
  signedUrl: intent.signed.url,
  method: 'PUT',
  expiresAt: intent.signed.expiresAt.toISOString(),
  requiredHeaders: intent.signed.headers,
  finalizeUrl: finalizeUrlOf(intent.upload.id),
});

/** Signed-PUT uploads: a new track from an audio file, or a version, artwork, document or stem of an existing one. */
export function createUploadFlow(deps: { core: CoreDeps<never, 'tracks' | 'assets', 'uploads'>; findTrack: TrackFinder; listCache: FreshCache }) {
  const { core, findTrack, listCache } = deps;
  const { uploads } = core.services;

  async function createTrackUpload(actor: Actor, file: DeclaredFile): Promise<UploadTicket> {
    const scope = scopeOf(actor);
    const intent = await uploads.createIntent({
      tenantId: scope.tenantId,
      ownerUserId: actor.userId,
      kind: 'audio',
      ...file,
      // The file name titles the track until its tags say otherwise.
      track: { create: { ...fileNameDefaults(file.fileName), ownerUserId: actor.userId } },
    });
    listCache.invalidate(scope.tenantId);
    return ticketOf(intent);
  }

  async function createAttachedUpload(actor: Actor, trackId: string, kind: AttachedKind, file: DeclaredFile & { name?: string }): Promise<UploadTicket> {
    const scope = scopeOf(actor);
    const track = await findTrack(scope, trackId);
    const intent = await uploads.createIntent({ tenantId: scope.tenantId, ownerUserId: actor.userId, kind, ...file, track: { id: track.id } });
    return ticketOf(intent);
  }

  async function finalize(actor: Actor, uploadId: string) {
    const scope = scopeOf(actor);
    const upload = await core.repos.assets.findUpload(scope.tenantId, uploadId);
    if (!upload) throw notFound('upload_not_found', 'Upload not found');
    const track = upload.trackId ? await core.repos.tracks.find(scope.tenantId, upload.trackId) : undefined;
    if (!canSee(scope, upload.ownerUserId) && !(track && canSee(scope, track.ownerUserId))) throw notFound('upload_not_found', 'Upload not found');
    const done = await uploads.finalize(scope.tenantId, uploadId);
    listCache.invalidate(scope.tenantId);
    return done;
  }

  return { createTrackUpload, createAttachedUpload, finalize };
}
export type UploadFlow = ReturnType<typeof createUploadFlow>;
