import { nowIso } from '../db/time.js';
import { uuidv7 } from '../domain/ids.js';
import type { NewTrackRow } from '../repositories/track.repository.js';

/** What a surface decides about a new track; everything else takes the catalog's default. */
export type TrackDefaults = Partial<Omit<NewTrackRow, 'tenantId' | 'title' | 'createdAt' | 'updatedAt' | 'deletedAt'>> & {
  tenantId: string;
  title: string;
};

/** The one place a `tracks` row is built: a private, active track with no version yet. */
export function newTrackRow(defaults: TrackDefaults, now = nowIso()): NewTrackRow & { id: string } {
  return {
    ownerUserId: null,
    collectionId: null,
    artist: null,
    isrc: null,
    iswc: null,
    releaseDate: null,
    durationMs: null,
    bpm: null,
    musicalKey: null,
    genre: null,
    visibility: 'private',
    status: 'active',
    currentVersionId: null,
    artworkAssetId: null,
    metadata: '{}',
    userTags: '[]',
    lyrics: null,
    ...defaults,
    id: defaults.id ?? uuidv7(),
    lyricsSource: defaults.lyricsSource ?? (defaults.lyrics ? 'user' : null),
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
}
