import { normalizeIsrc } from '../domain/identifiers.js';
import type { TrackPatch, TrackRow } from '../repositories/track.repository.js';
import type { ProbeResult } from '../services/lane-results.js';
import { trackFileMeta, type TrackFileMeta } from './file-title.js';

/**
 * What a track takes from the tags embedded in its audio (ID3, Vorbis comments, MP4 atoms): only
 * what nobody set. The title replaces one the file name gave (and nothing a client chose, nor a
 * title changed since); artist, ISRC (a valid one), lyrics, album and track number fill blanks.
 */
export function embeddedTagPatch(track: Pick<TrackRow, 'title' | 'artist' | 'isrc' | 'lyrics' | 'metadata'>, tags: ProbeResult['tags']): TrackPatch {
  const meta = trackFileMeta(track.metadata);
  const title = tags.title?.trim().slice(0, 240);
  const artist = tags.artist?.trim().slice(0, 240);
  const isrc = tags.isrc ? normalizeIsrc(tags.isrc) : null;
  const album = tags.album?.trim().slice(0, 240);
  const next: TrackFileMeta = {
    ...meta,
    ...(meta.album === undefined && album ? { album } : {}),
    ...(meta.trackNumber === undefined && tags.trackNumber ? { trackNumber: tags.trackNumber } : {}),
  };
  const retitle = !!title && meta.fileNameTitle !== undefined && meta.fileNameTitle === track.title;
  if (retitle) delete next.fileNameTitle;
  const metadata = JSON.stringify(next);
  return {
    ...(retitle ? { title } : {}),
    ...(!track.artist && artist ? { artist } : {}),
    ...(!track.isrc && isrc ? { isrc } : {}),
    ...(!track.lyrics && tags.lyrics ? { lyrics: tags.lyrics, lyricsSource: 'embedded' } : {}),
    ...(metadata !== (track.metadata ?? '{}') ? { metadata } : {}),
  };
}
