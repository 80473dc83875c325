import { isValidGtin, isValidIsrc } from './identifiers.js';

/**
 * What stops a valid DDEX delivery, each with a stable code. Pure: the caller states what the
 * catalog holds (and what the stored files' bytes say), this names every gap.
 */
export type ReadinessCode =
  | 'tracks_missing'
  | 'upc_missing'
  | 'upc_invalid'
  | 'release_date_missing'
  | 'display_artist_missing'
  | 'isrc_missing'
  | 'isrc_invalid'
  | 'audio_missing'
  | 'audio_unreadable'
  | 'audio_sample_rate_too_low'
  | 'audio_bit_depth_too_low'
  | 'artwork_missing'
  | 'artwork_too_small'
  | 'artwork_not_square'
  | 'split_sheet_unbalanced'
  | 'sender_party_missing';

export interface ReadinessIssue {
  code: ReadinessCode;
  field: string;
  message: string;
  /** The asset (catalog track) the issue is about, when it is about one. */
  assetId?: string;
  trackNumber?: number;
}

export const MIN_SAMPLE_RATE = 44_100;
export const MIN_BITS_PER_SAMPLE = 16;
export const MIN_ARTWORK_PX = 1400;

export interface TrackReadinessInput {
  assetId: string;
  trackNumber?: number;
  isrc: string | null;
  displayArtist: string | null;
  /**
   * null: no audio. `bitsPerSample` null means a lossy or unknown format. `linked`: the audio is
   * a link whose bytes are fetched later, so its format cannot be checked yet.
   */
  audio: { sampleRate: number | null; bitsPerSample: number | null; readable: boolean; linked?: boolean } | null;
  splitSheet: { balanced: boolean } | null;
}

export interface ArtworkReadinessInput {
  width: number | null;
  height: number | null;
}

const where = (t: TrackReadinessInput) => (t.trackNumber ? `Track ${t.trackNumber}` : 'The asset');

export function trackReadiness(t: TrackReadinessInput): ReadinessIssue[] {
  const out: ReadinessIssue[] = [];
  const at = { assetId: t.assetId, ...(t.trackNumber ? { trackNumber: t.trackNumber } : {}) };
  const w = where(t);
  if (!t.isrc?.trim()) out.push({ code: 'isrc_missing', field: 'isrc', message: `${w} has no ISRC`, ...at });
  else if (!isValidIsrc(t.isrc)) out.push({ code: 'isrc_invalid', field: 'isrc', message: `${w} has an invalid ISRC ${t.isrc}`, ...at });
  if (!t.displayArtist?.trim()) out.push({ code: 'display_artist_missing', field: 'displayArtist', message: `${w} has no display artist`, ...at });
  if (!t.audio) out.push({ code: 'audio_missing', field: 'audio', message: `${w} has no audio`, ...at });
  else if (t.audio.linked) {
    // Checked once the file is fetched and filed.
  } else if (!t.audio.readable) out.push({ code: 'audio_unreadable', field: 'audio', message: `${w}'s audio could not be read`, ...at });
  else {
    if (!t.audio.sampleRate || t.audio.sampleRate < MIN_SAMPLE_RATE) {
      out.push({ code: 'audio_sample_rate_too_low', field: 'audio', message: `${w}'s audio is sampled at ${t.audio.sampleRate ?? 'an unknown rate'} Hz; at least ${MIN_SAMPLE_RATE} Hz is needed`, ...at });
    }
    if (!t.audio.bitsPerSample || t.audio.bitsPerSample < MIN_BITS_PER_SAMPLE) {
      const what = t.audio.bitsPerSample ? `${t.audio.bitsPerSample}-bit` : 'lossy or of unknown bit depth';
      out.push({ code: 'audio_bit_depth_too_low', field: 'audio', message: `${w}'s audio is ${what}; a lossless master of at least ${MIN_BITS_PER_SAMPLE} bits is needed`, ...at });
    }
  }
  if (t.splitSheet && !t.splitSheet.balanced) out.push({ code: 'split_sheet_unbalanced', field: 'splitSheet', message: `${w}'s split sheet does not add up to 100%`, ...at });
  return out;
}

/** Artwork rules; `required` for a release (stores need a cover), optional for a single asset. */
export function artworkReadiness(art: ArtworkReadinessInput | null, required: boolean): ReadinessIssue[] {
  if (!art) return required ? [{ code: 'artwork_missing', field: 'artwork', message: 'There is no cover artwork' }] : [];
  const out: ReadinessIssue[] = [];
  const { width, height } = art;
  if (!width || !height || Math.min(width, height) < MIN_ARTWORK_PX) {
    out.push({ code: 'artwork_too_small', field: 'artwork', message: `The artwork is ${width ?? '?'}x${height ?? '?'} px; at least ${MIN_ARTWORK_PX}x${MIN_ARTWORK_PX} is needed` });
  }
  if (width && height && width !== height) out.push({ code: 'artwork_not_square', field: 'artwork', message: `The artwork is ${width}x${height} px; it must be square` });
  return out;
}

export interface ReleaseReadinessInput {
  /** null when the UPC is assigned later (a release before approval). */
  upc: string | null | undefined;
  releaseDate: string | null;
  displayArtist: string | null;
  tracks: TrackReadinessInput[];
  artwork: ArtworkReadinessInput | null;
  /** Whether the artwork is checked (a release before approval may add it later). */
  requireArtwork?: boolean;
  requireUpc?: boolean;
}

export function releaseReadiness(r: ReleaseReadinessInput): ReadinessIssue[] {
  const out: ReadinessIssue[] = [];
  if (r.requireUpc !== false) {
    if (!r.upc) out.push({ code: 'upc_missing', field: 'upc', message: 'The release has no UPC' });
    else if (!isValidGtin(r.upc)) out.push({ code: 'upc_invalid', field: 'upc', message: `The UPC ${r.upc} is not a valid GTIN` });
  }
  if (!r.releaseDate) out.push({ code: 'release_date_missing', field: 'releaseDate', message: 'The release has no release date' });
  if (!r.displayArtist?.trim()) out.push({ code: 'display_artist_missing', field: 'displayArtist', message: 'The release has no display artist' });
  if (r.tracks.length === 0) out.push({ code: 'tracks_missing', field: 'assets', message: 'The release has no tracks' });
  for (const t of r.tracks) out.push(...trackReadiness(t));
  out.push(...artworkReadiness(r.artwork, r.requireArtwork !== false));
  return out;
}
