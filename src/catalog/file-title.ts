import { parseJson } from '../db/time.js';

/** A track title from a file's name: no folders, no extension; "Untitled" when nothing is left. */
export function titleFromFileName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const title = base.replace(/\.[A-Za-z0-9]{1,10}$/, '').trim().slice(0, 240);
  return title || 'Untitled';
}

/**
 * What `tracks.metadata` keeps of a track's audio file: the title its file name gave it (only
 * when no client chose one, so a tag may replace it) and the album and track number of the tags.
 */
export interface TrackFileMeta {
  fileNameTitle?: string;
  album?: string;
  trackNumber?: number;
}

export const trackFileMeta = (json: string | null | undefined): TrackFileMeta => parseJson<TrackFileMeta>(json, {}) ?? {};

/** A new track's title and metadata when only the file name speaks for it. */
export function fileNameDefaults(fileName: string): { title: string; metadata: string } {
  const title = titleFromFileName(fileName);
  return { title, metadata: JSON.stringify({ fileNameTitle: title } satisfies TrackFileMeta) };
}
