import { trackFileMeta } from '../../catalog/file-title.js';
import type { MachineTag } from '../../services/workspace/machine-tags.js';
import type { TrackView } from '../../services/workspace/track-view.js';

/** Drops keys whose value is null or undefined, for the DTO's optional fields. */
export function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;
}

export const presentMachineTag = (t: MachineTag, withHidden = false) => ({
  source: t.source,
  type: t.type,
  value: t.value,
  confidence: t.confidence,
  ...(t.rawLabel ? { rawLabel: t.rawLabel } : {}),
  curationStatus: t.curationStatus,
  ...(withHidden ? { hidden: t.hidden } : {}),
  createdAt: t.createdAt,
});

/** Swayzio's Track: never the owner, storage keys or analysis internals. */
export function presentTrack(v: TrackView) {
  const t = v.track;
  const file = trackFileMeta(t.metadata);
  return {
    id: t.id,
    title: t.title,
    artist: t.artist ?? '',
    ...compact({
      isrc: t.isrc,
      iswc: t.iswc,
      releaseDate: t.releaseDate,
      durationMs: t.durationMs,
      bpm: t.bpm,
      musicalKey: t.musicalKey,
      genre: t.genre,
      album: file.album,
      trackNumber: file.trackNumber,
    }),
    userTags: v.userTags,
    machineTags: v.machineTags.filter((m) => !m.hidden).map((m) => presentMachineTag(m)),
    ...compact({ primaryAssetId: v.primaryAssetId }),
    visibility: t.visibility,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    ...compact({ deletedAt: t.deletedAt, artworkUrl: v.artworkUrl }),
  };
}
