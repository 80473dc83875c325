import { trackFileMeta } from '../../../catalog/file-title.js';
import type { AudioDnTrackStatusId } from '../../../domain/track-status.js';
import type { TrackRecord } from '../../../repositories/collections/collection-track.repository.js';
import { bool, colorTrio, jsonObject, type ColorTrio } from './colors.js';

export interface TrackView extends ColorTrio {
  id: string;
  organization_id: string;
  collection_id: string | null;
  creator_id: string | null;
  organization_index: string | null;
  title: string;
  file_name: string | null;
  /** Seconds, from the probe. */
  duration: number | null;
  size: number | null;
  metadata: Record<string, unknown>;
  is_cover_overridable: boolean;
  is_theme_overridable: boolean;
  player_title: string | null;
  player_subtitle: string | null;
  status: AudioDnTrackStatusId;
  track_status_id: AudioDnTrackStatusId;
  base_path: string;
  base_url: string;
  cover_image: string | null;
  upload_session_id: string | null;
  files_completed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface TrackPresentation {
  status: AudioDnTrackStatusId;
  basePath: string;
  baseUrl: string;
  coverUrl: string | null;
}

/**
 * What the catalog knows of the track beyond its title (artist and ISRC, album and track number
 * from the file's tags), in the metadata keys AudioDN clients use; the client's own keys win.
 */
function trackFacts(t: TrackRecord['track']): Record<string, unknown> {
  const file = trackFileMeta(t.metadata);
  const facts = { artist: t.artist, isrc: t.isrc, album: file.album, track_number: file.trackNumber };
  return Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== null && v !== undefined));
}

/** The AudioDN track object. Tracks filed from another surface have no AudioDN fields yet: defaults apply. */
export function presentTrack(r: TrackRecord, p: TrackPresentation): TrackView {
  const t = r.track;
  const x = r.extras;
  return {
    id: t.id,
    organization_id: t.tenantId,
    collection_id: t.collectionId,
    creator_id: x?.creatorId ?? null,
    organization_index: x?.organizationIndex ?? null,
    title: t.title,
    file_name: x?.fileName ?? null,
    duration: t.durationMs === null || t.durationMs === undefined ? null : Number(t.durationMs) / 1000,
    size: r.sourceSize === null ? null : Number(r.sourceSize),
    metadata: { ...trackFacts(t), ...jsonObject(x?.metadata) },
    is_cover_overridable: bool(x?.isCoverOverridable),
    is_theme_overridable: bool(x?.isThemeOverridable),
    player_title: x?.playerTitle ?? null,
    player_subtitle: x?.playerSubtitle ?? null,
    ...colorTrio(x?.playerColor),
    status: p.status,
    track_status_id: p.status,
    base_path: p.basePath,
    base_url: p.baseUrl,
    cover_image: p.coverUrl,
    upload_session_id: x?.uploadSessionId ?? null,
    files_completed_at: x?.filesCompletedAt ?? null,
    created_at: t.createdAt,
    updated_at: x && x.updatedAt > t.updatedAt ? x.updatedAt : t.updatedAt,
  };
}
