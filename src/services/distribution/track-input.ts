import type { ReleaseTrackPatch } from '../../repositories/distribution/release-track.repository.js';
import type { ArtistMap } from './artist.service.js';
import { invalidField, isrcField, iswcField, languageField, type FieldWarning } from './fields.js';

/** A release track as clients send it (Royalti's ReleaseTrackInput plus the extras its examples carry). */
export interface ReleaseTrackInput {
  title: string;
  displayArtist: string;
  version?: string | null;
  isrc?: string | null;
  iswc?: string | null;
  duration?: number | null;
  lyrics?: string | null;
  language?: string | null;
  artists?: ArtistMap;
  mainGenre?: string[];
  subGenre?: string[];
  contributors?: unknown;
  metadata?: Record<string, unknown>;
  explicit?: boolean | string | null;
  media?: Array<{ url: string; type?: string; name?: string }>;
}

const EXPLICIT_VALUES = new Set(['explicit', 'clean']);

/** The columns a (partial) track input sets; identifiers normalised, remarks collected in `warnings`. */
export function trackColumns(input: Partial<ReleaseTrackInput>, warnings: FieldWarning[], prefix = ''): ReleaseTrackPatch {
  const f = (name: string) => `${prefix}${name}`;
  const patch: ReleaseTrackPatch = {};
  if (input.title !== undefined) {
    if (!input.title.trim()) throw invalidField(f('title'), 'must not be empty');
    patch.title = input.title.trim();
  }
  if (input.displayArtist !== undefined) {
    if (!input.displayArtist.trim()) throw invalidField(f('displayArtist'), 'must not be empty');
    patch.displayArtist = input.displayArtist.trim();
  }
  if (input.version !== undefined) patch.version = input.version;
  if (input.isrc !== undefined) patch.isrc = isrcField(input.isrc, f('isrc'));
  if (input.iswc !== undefined) patch.iswc = iswcField(input.iswc, warnings, f('iswc'));
  if (input.duration !== undefined) patch.duration = input.duration;
  if (input.lyrics !== undefined) patch.lyrics = input.lyrics;
  if (input.language !== undefined) patch.language = languageField(input.language, f('language')) ?? 'en';
  if (input.mainGenre !== undefined) patch.mainGenre = JSON.stringify(input.mainGenre);
  if (input.subGenre !== undefined) patch.subGenre = JSON.stringify(input.subGenre);
  if (input.contributors !== undefined) patch.contributors = JSON.stringify(input.contributors ?? {});
  if (input.metadata !== undefined) patch.metadata = JSON.stringify(input.metadata ?? {});
  if (input.explicit !== undefined) {
    const e = input.explicit;
    if (e !== null && typeof e !== 'boolean' && !EXPLICIT_VALUES.has(e)) throw invalidField(f('explicit'), 'must be "explicit", "clean", a boolean or null');
    patch.explicit = JSON.stringify(e);
  }
  return patch;
}
