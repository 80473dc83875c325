import type { CoreDeps } from '../../container.js';
import type { AudioDnTrackStatusId } from '../../domain/track-status.js';
import type { CollectionsRepositories } from '../../repositories/collections/index.js';
import type { TrackRecord } from '../../repositories/collections/collection-track.repository.js';
import type { CoverService } from './cover.service.js';
import { resolveTheme } from './theme.js';
import type { TrackFile, TrackFiles } from './track-files.js';
import type { TrackViews } from './track-views.js';

export const MAX_SIGNED_TTL_SECONDS = 3600;

export interface SignedVariant {
  id: string;
  index: string;
  variant_type_id: string;
  format: string | null;
  bitrate: number | null;
  mime_type: string | null;
  size: number | null;
  path: string;
  url: string;
  expires_at: string;
}

/** What players get for a track: signed variant URLs, the waveform levels and the resolved cover. */
export interface PlaybackDeps {
  core: CoreDeps<'config' | 'store'>;
  repos: Pick<CollectionsRepositories, 'collections' | 'organizations'>;
  views: TrackViews;
  files: TrackFiles;
  covers: CoverService;
}

export function createPlayback(deps: PlaybackDeps) {
  const { core, repos, views, files, covers } = deps;
  /** Stored audio files of the track (the waveform levels travel separately). */
  async function audioFiles(record: TrackRecord): Promise<TrackFile[]> {
    return (await files.filesOf(record)).filter((f) => f.isSuccess && f.storageKey && f.variant.type !== 'levels');
  }

  /** Only `ready`, or `incomplete` with something to play, plays. */
  const playable = (status: AudioDnTrackStatusId, available: TrackFile[]) =>
    status === 'ready' || (status === 'incomplete' && available.some((f) => f.variant.type === 'transcode' || f.variant.type === 'preview'));

  async function sign(f: TrackFile, ttlSec: number, downloadName?: string): Promise<{ url: string; expiresAt: string }> {
    const ttl = Math.max(1, Math.min(MAX_SIGNED_TTL_SECONDS, Math.floor(ttlSec)));
    const url = await core.store.signedGetUrl(f.storageKey!, { expiresInSec: ttl, ...(f.mimeType ? { contentType: f.mimeType } : {}), ...(downloadName ? { downloadName } : {}) });
    return { url, expiresAt: new Date(Date.now() + ttl * 1000).toISOString() };
  }

  async function signedVariants(available: TrackFile[], indexes: readonly string[] | null, ttlSec: number): Promise<SignedVariant[]> {
    const chosen = indexes ? indexes.map((i) => available.find((f) => f.variant.index === i)).filter((f): f is TrackFile => !!f) : available;
    return Promise.all(
      chosen.map(async (f) => {
        const { url, expiresAt } = await sign(f, ttlSec);
        return {
          id: f.variant.id,
          index: f.variant.index,
          variant_type_id: f.variant.type,
          format: f.variant.codec ?? f.variant.type,
          bitrate: f.variant.bitrate,
          mime_type: f.mimeType,
          size: f.size,
          path: `${core.config.publicUrl}/storage/${f.storageKey}`,
          url,
          expires_at: expiresAt,
        };
      }),
    );
  }

  /** The track's cover unless the organization or collection forbids overriding the collection's. */
  async function coverUrl(record: TrackRecord): Promise<string | null> {
    const tenantId = record.track.tenantId;
    const [org, collection] = await Promise.all([
      repos.organizations.findSettings(tenantId),
      record.track.collectionId ? repos.collections.find(tenantId, record.track.collectionId) : Promise.resolve(undefined),
    ]);
    const cover = resolveTheme<string>([
      org ? { value: null, overridable: org.isCoverOverridable === 1 } : null,
      collection ? { value: collection.coverAssetId, overridable: collection.isCoverOverridable === 1 } : null,
      { value: record.track.artworkAssetId, overridable: true },
    ]);
    return covers.urlOf(tenantId, cover.value);
  }

  return { audioFiles, playable, sign, signedVariants, coverUrl, views };
}
export type Playback = ReturnType<typeof createPlayback>;
