import { z } from 'zod';
import { RELEASE_STATUSES } from '../../domain/release-status.js';
import { jsonObject, optText, reqText, str, stringList } from './common.schemas.js';
import { listQuery } from './paging.js';

const artistType = z.enum(['primary', 'featuring'], { error: 'must be "primary" or "featuring"' });
/** `{ "<artist id or name>": "primary" | "featuring" }`; names unknown to the workspace create artists. */
export const artistMap = z.record(z.string().min(1).max(255), artistType, { error: 'must be an object of artist id or name to "primary" or "featuring"' });

const explicit = z.union([z.boolean(), z.enum(['explicit', 'clean'])], { error: 'must be "explicit", "clean", a boolean or null' }).nullable();

export const mediaLink = z.object({
  url: str().max(2048, 'must be at most 2048 characters'),
  name: optText(255).transform((v) => v ?? undefined),
  type: z.enum(['audio', 'video'], { error: 'must be "audio" or "video"' }).optional(),
});

/** Royalti's ReleaseTrackInput (title and displayArtist required), plus the extras its examples carry. */
export const releaseTrackInput = z.object({
  title: reqText(255),
  displayArtist: reqText(255),
  version: optText(255),
  isrc: optText(32),
  iswc: optText(32),
  duration: z.number({ error: 'must be a number of seconds' }).min(0, 'must not be negative').max(86400, 'must be at most 86400 seconds').nullable().optional(),
  lyrics: optText(100_000),
  language: optText(35),
  artists: artistMap.optional(),
  mainGenre: stringList(100).optional(),
  subGenre: stringList(100).optional(),
  contributors: z.unknown().optional(),
  metadata: jsonObject.optional(),
  explicit: explicit.optional(),
  media: z.array(mediaLink).max(1, 'holds at most one audio or video file per track').optional(),
});

export const addTrackBody = releaseTrackInput.extend({ trackNumber: z.number().int('must be a whole number').min(1, 'must be at least 1').optional() });

export const releaseInput = z.object({
  title: reqText(255),
  displayArtist: optText(255),
  artists: artistMap.optional(),
  format: optText(50),
  type: optText(50),
  version: optText(255),
  label: optText(255),
  copyright: optText(255),
  mainGenre: stringList(100).optional(),
  subGenre: stringList(100).optional(),
  contributors: z.unknown().optional(),
  description: optText(5000),
  metadata: jsonObject.optional(),
  media: z.array(mediaLink).max(50).optional(),
  explicit: explicit.optional(),
  releaseDate: optText(40),
  preReleaseDate: optText(40),
  ownerId: z.uuid({ error: 'must be a UUID' }).optional(),
  upc: z.union([str(), z.number().transform(String)]).nullable().optional(),
  catalogNumber: optText(100),
  tracks: z.array(releaseTrackInput).max(500).optional(),
});
export const releaseUpdate = releaseInput.omit({ tracks: true }).partial();

export const releaseListQuery = listQuery(
  {
    status: z.enum(RELEASE_STATUSES, { error: `must be one of ${RELEASE_STATUSES.join(', ')}` }).optional(),
    format: z.string().max(50).optional(),
    type: z.string().max(50).optional(),
    search: z.string().max(200).optional(),
    sort: z.enum(['createdAt', 'updatedAt', 'title', 'releaseDate', 'status']).default('createdAt'),
  },
  { defaultSize: 20 },
);

export const reviewBody = z.object({
  action: z.enum(['approve', 'reject'], { error: 'must be "approve" or "reject"' }),
  feedback: optText(5000),
});

export const revertBody = z.object({
  targetStatus: z.enum(['draft', 'submitted', 'approved'], { error: 'must be "draft" or "submitted" (or "approved" for a completed release)' }),
  reason: reqText(2000),
});

export const reorderBody = z.object({
  trackOrder: z.array(z.string().max(100), { error: 'must be a list of track ids' }).min(1, 'must list the release\'s tracks').max(1000),
});

export const linkAssetBody = z.object({
  assetId: reqText(100),
  trackNumber: z.number().int('must be a whole number').min(1, 'must be at least 1').optional(),
  overrides: releaseTrackInput.partial().optional(),
});

export const releaseParams = z.object({ id: z.string().min(1).max(100) });
export const trackParams = z.object({ id: z.string().min(1).max(100), trackId: z.string().min(1).max(100) });
