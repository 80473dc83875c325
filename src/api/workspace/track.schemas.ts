import { z } from 'zod';
import { normalizeIsrc, parseIswc } from '../../domain/identifiers.js';
import { TRACK_SORTS } from '../../repositories/workspace/track-query.repository.js';

const facetText = z.string().trim().min(1).max(200);
const bpm = z.coerce.number().min(0).max(1000);

export const facetFilterShape = {
  artist: facetText.optional(),
  genre: facetText.optional(),
  musicalKey: facetText.optional(),
  userTag: facetText.optional(),
  mood: facetText.optional(),
  instrument: facetText.optional(),
  minBpm: bpm.optional(),
  maxBpm: bpm.optional(),
};

const bpmOrder = (v: { minBpm?: number; maxBpm?: number }) => v.minBpm === undefined || v.maxBpm === undefined || v.minBpm <= v.maxBpm;

export const listTracksQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(50),
    cursor: z.string().min(1).max(4096).optional(),
    query: z.string().max(1000).optional(),
    sort: z.enum(TRACK_SORTS).default('created_desc'),
    ...facetFilterShape,
  })
  .refine(bpmOrder, { message: 'minBpm must not exceed maxBpm', path: ['minBpm'] });

export const deleteTrackQuery = z.object({ purge: z.enum(['true', 'false']).optional() });

function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

const isrc = z
  .string()
  .trim()
  .refine((s) => s.length === 12 && normalizeIsrc(s) !== null, { message: 'must be a 12-character ISRC such as USRC17607839' })
  .transform((s) => normalizeIsrc(s)!);

const iswc = z
  .string()
  .trim()
  .max(32)
  .refine((s) => parseIswc(s)?.wellFormed === true, { message: 'must be a well-formed ISWC such as T-123456789-0' })
  .transform((s) => parseIswc(s)!.normalized);

/** Swayzio's metadata edit, plus Ledgerline's `genre` and `userTags`. At least one field. */
export const updateMetadataBody = z
  .object({
    title: z.string().trim().min(1).max(240).optional(),
    artist: z
      .string()
      .trim()
      .max(240)
      .nullable()
      .optional()
      .transform((s) => (s === '' ? null : s)),
    isrc: isrc.nullable().optional(),
    iswc: iswc.nullable().optional(),
    releaseDate: z.string().refine(isCalendarDate, { message: 'must be a date as YYYY-MM-DD' }).nullable().optional(),
    genre: z.string().trim().min(1).max(100).nullable().optional(),
    userTags: z
      .array(z.string().trim().min(1).max(64))
      .max(50)
      .optional()
      .transform((tags) => (tags ? [...new Map(tags.map((t) => [t.toLowerCase(), t])).values()] : tags)),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'At least one field must be present' });

export const updateLyricsBody = z.object({ lyrics: z.string().max(100_000).nullable() });

export const tagsQuery = z.object({ includeHidden: z.enum(['true', 'false']).optional() });
export const peaksQuery = z.object({ samplesPerPixel: z.coerce.number().int().min(1).max(1_000_000).optional() });
