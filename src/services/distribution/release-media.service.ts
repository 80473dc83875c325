import { createPendingObjects } from '../../storage/pending-objects.js';
import type { CoreDeps } from '../../container.js';
import { crashPoint } from '../../crash-points.js';
import { toProbeResult } from '../lane-results.js';
import { nowIso } from '../../db/time.js';
import type { Actor } from '../../domain/access.js';
import { uuidv7 } from '../../domain/ids.js';
import { isEditable, isReleaseStatus } from '../../domain/release-status.js';
import { notFound } from '../../errors.js';
import type { DistributionRepositories } from '../../repositories/distribution/index.js';
import { releaseMedia } from '../../storage/object-keys.js';
import { requireWriter } from './access.js';
import type { AuditTrail } from './audit-trail.js';
import { linkField } from './fields.js';
import { discard, storeIncoming, type IncomingFile, type StoredFile } from './file-intake.js';
import { mediaMetadata } from './media-metadata.js';
import { lockEditable, markEdited, notEditable } from './release-gate.js';
import { mediaOf, type MediaEntry, type MediaView, type ReleaseViews } from './release-views.js';

/**
 * A release track has one audio or video file (or link); sending another replaces it.
 *
 * Uploaded files are probed before the request is answered, so `media[].metadata` is complete
 * in the response. The file then becomes a version of the release track's catalog track
 * (created on the first upload) and the usual processing lanes run on it.
 */
export interface ReleaseMediaServiceDeps {
  /** `config` and `media` for file intake. */
  core: CoreDeps<'db' | 'catalog' | 'store' | 'config' | 'media', 'tracks', 'uploads'>;
  repos: Pick<DistributionRepositories, 'releases' | 'releaseTracks'>;
  audit: AuditTrail;
  views: ReleaseViews;
}

export function createReleaseMediaService(deps: ReleaseMediaServiceDeps) {
  const { core, repos, audit, views } = deps;
  const pending = createPendingObjects(core.db, core.store);

  async function uploadFile(actor: Actor, releaseId: string, trackId: string, file: IncomingFile): Promise<MediaView> {
    try {
      requireWriter(actor);
      const release = await repos.releases.find(actor.tenantId, releaseId);
      if (!release) throw notFound('release_not_found', 'Release not found');
      if (!isReleaseStatus(release.status) || !isEditable(release.status)) throw notEditable(release.status);
      if (!(await repos.releaseTracks.find(actor.tenantId, releaseId, trackId))) throw notFound('track_not_found', 'Track not found');
    } catch (err) {
      discard(file);
      throw err;
    }
    const stored = await storeIncoming(core, file, (assetId, name) => releaseMedia(actor.tenantId, releaseId, trackId, assetId, name), {
      images: false, anyFile: false, pending: (key) => pending.record(actor.tenantId, key),
    });
    let attached: { uploadId: string; entry: MediaEntry };
    try {
      attached = await attach(actor, releaseId, trackId, stored);
    } catch (err) {
      await pending.discard(stored.key);
      throw err;
    }
    // Dying here leaves a stored, filed upload that a worker's upload watch finalizes.
    crashPoint('release.media.attached');
    // The same finalize as every upload: the file becomes the playing version, the lanes run.
    await core.services.uploads.finalize(actor.tenantId, attached.uploadId, { idempotent: true });
    return views.mediaView(attached.entry);
  }

  /** Records the stored file as the track's media and files it as an upload of its catalog track (created on the first file). */
  function attach(actor: Actor, releaseId: string, trackId: string, stored: StoredFile) {
    const probe = stored.probe!;
    const now = nowIso();
    return core.catalog.transaction(async (w) => {
      const tx = w.tx;
      const release = await lockEditable(repos, actor, releaseId, tx);
      const row = await repos.releaseTracks.find(actor.tenantId, releaseId, trackId, tx);
      if (!row) throw notFound('track_not_found', 'Track not found');
      const existing = row.trackId ? await core.repos.tracks.find(actor.tenantId, row.trackId, {}, tx) : undefined;
      const catalogTrack = existing
        ? (await core.catalog.updateTrack(w, existing, { durationMs: probe.durationMs }), existing)
        : await core.catalog.createTrack(w, {
            tenantId: actor.tenantId, ownerUserId: release.ownerUserId ?? actor.userId, title: row.title, artist: row.displayArtist, isrc: row.isrc, iswc: row.iswc,
            releaseDate: release.releaseDate?.slice(0, 10) ?? null, durationMs: probe.durationMs, lyrics: row.lyrics,
          });
      const upload = await core.services.uploads.registerStored(w, {
        tenantId: actor.tenantId, ownerUserId: actor.userId, trackId: catalogTrack.id, assetId: stored.assetId, key: stored.key, fileName: stored.fileName,
        contentType: stored.contentType, size: stored.size, metadata: JSON.stringify(toProbeResult(probe)), replace: true,
      });
      const entry: MediaEntry = {
        cloudId: stored.assetId, type: stored.kind === 'video' ? 'video' : 'audio', name: stored.originalName || stored.fileName, isLink: false,
        storageKey: stored.key, assetId: stored.assetId, createdTrack: !existing || mediaOf(row).some((m) => m.createdTrack), contentType: stored.contentType,
        metadata: mediaMetadata({ ...toProbeResult(probe), fileSize: stored.size, mimeType: probe.mimeType ?? stored.contentType }, now),
      };
      await repos.releaseTracks.update(
        row.id,
        { trackId: catalogTrack.id, media: JSON.stringify([entry]), duration: row.duration ?? (probe.durationMs != null ? probe.durationMs / 1000 : null), updatedAt: now },
        tx,
      );
      await markEdited(repos, audit, actor, release, tx);
      return { uploadId: upload.id, entry };
    }, { actor });
  }

  /** An external link (validated, never fetched) as the track's media. */
  async function submitLink(actor: Actor, releaseId: string, trackId: string, input: { url: string; name?: string; type?: 'audio' | 'video' }): Promise<MediaView> {
    requireWriter(actor);
    const url = linkField(input.url);
    const now = nowIso();
    const entry: MediaEntry = {
      cloudId: uuidv7(), type: input.type ?? 'audio', name: input.name?.trim() || new URL(url).pathname.split('/').pop() || url, isLink: true, url,
      metadata: { linkValidated: true, processedAt: now },
    };
    await core.db.transaction().execute(async (tx) => {
      const release = await lockEditable(repos, actor, releaseId, tx);
      const row = await repos.releaseTracks.find(actor.tenantId, releaseId, trackId, tx);
      if (!row) throw notFound('track_not_found', 'Track not found');
      await repos.releaseTracks.update(row.id, { media: JSON.stringify([entry]), updatedAt: now }, tx);
      await markEdited(repos, audit, actor, release, tx);
    });
    return views.mediaView(entry);
  }

  return { uploadFile, submitLink };
}
export type ReleaseMediaService = ReturnType<typeof createReleaseMediaService>;
