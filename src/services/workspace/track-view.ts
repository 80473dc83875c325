import { parseJson } from '../../db/time.js';
import type { TrackCardRow } from '../../repositories/workspace/track-query.repository.js';
import type { TrackRow } from '../../repositories/track.repository.js';
import type { BlobStore } from '../../storage/blob-store.js';
import type { TagsResult } from '../lane-results.js';
import { machineTagsOf, type MachineTag } from './machine-tags.js';

/** A track as the workspace shows it: the row plus its current audio, analysis tags and artwork. */
export interface TrackView {
  track: TrackRow;
  primaryAssetId: string | null;
  userTags: string[];
  machineTags: MachineTag[];
  artworkUrl: string | null;
}

export const ARTWORK_URL_TTL_SECONDS = 3600;

export const userTagsOf = (track: Pick<TrackRow, 'userTags'>): string[] => {
  const tags = parseJson<unknown>(track.userTags, []);
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
};

/** Builds views; artwork URLs are best effort, so a signing failure leaves the card without one. */
export function createTrackViews(store: BlobStore) {
  async function artworkUrl(row: TrackCardRow): Promise<string | null> {
    if (!row.artworkKey) return null;
    try {
      return await store.signedGetUrl(row.artworkKey, { expiresInSec: ARTWORK_URL_TTL_SECONDS, contentType: row.artworkContentType ?? undefined });
    } catch {
      return null;
    }
  }

  async function view(row: TrackCardRow): Promise<TrackView> {
    const {
      primaryAssetId, artworkKey, artworkContentType, tagsStatus, tagsResult, tagsAt, ...track
    } = row;
    void artworkKey;
    void artworkContentType;
    const tags = tagsStatus === 'succeeded' ? parseJson<Partial<TagsResult> | null>(tagsResult, null) : null;
    return {
      track,
      primaryAssetId,
      userTags: userTagsOf(track),
      machineTags: machineTagsOf(tags, tagsAt),
      artworkUrl: await artworkUrl(row),
    };
  }

  return { view, views: (rows: TrackCardRow[]) => Promise.all(rows.map(view)) };
}
export type TrackViews = ReturnType<typeof createTrackViews>;
