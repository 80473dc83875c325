import { z } from 'zod';
import { jsonObject, optText, reqText, str, stringList } from './common.schemas.js';
import { listQuery, textQueryShape } from './paging.js';
import { artistMap } from './release.schemas.js';

const year = z.number({ error: 'must be a year' }).int('must be a whole number').min(1900, 'must be between 1900 and 2100').max(2100, 'must be between 1900 and 2100');

/** Royalti asset fields; `ISRC` is accepted as well as `isrc`. */
const assetFields = z.object({
  title: reqText(255),
  isrc: optText(32),
  ISRC: optText(32),
  iswc: optText(32),
  type: z.enum(['Audio', 'Video', 'Ringtone', 'YouTube'], { error: 'must be one of Audio, Video, Ringtone, YouTube' }).optional(),
  version: optText(100),
  displayArtist: optText(255),
  mainArtist: stringList(255).optional(),
  artists: artistMap.optional(),
  mainGenre: stringList(100).optional(),
  subGenre: stringList(100).optional(),
  explicit: z.union([z.boolean(), z.enum(['explicit', 'clean'])], { error: 'must be "explicit", "clean" or a boolean' }).nullable().optional(),
  language: optText(35),
  tempo: z.number({ error: 'must be a number' }).min(0, 'must not be negative').max(1000, 'must be at most 1000').nullable().optional(),
  key: optText(20),
  mood: stringList(100).optional(),
  lyrics: optText(100_000),
  label: optText(255),
  copyright: optText(255),
  publisher: optText(255),
  copyrightOwner: optText(255),
  recordingDate: optText(40),
  recordingLocation: optText(255),
  productionYear: year.nullable().optional(),
  releaseDate: optText(40),
  duration: z.number({ error: 'must be a number of seconds' }).min(0, 'must not be negative').max(86400, 'must be at most 86400').nullable().optional(),
  contributors: z.unknown().optional(),
  metadata: jsonObject.optional(),
});

const isrcAlias = <T extends { ISRC?: string | null; isrc?: string | null }>({ ISRC, ...rest }: T) => ({ ...rest, isrc: rest.isrc !== undefined ? rest.isrc : ISRC });
export const assetInput = assetFields.transform(isrcAlias);
export const assetUpdate = assetFields.partial().transform(isrcAlias);

export const assetListQuery = listQuery(
  { ...textQueryShape, sort: z.enum(['updatedAt', 'createdAt', 'title', 'isrc']).default('updatedAt'), type: z.string().max(20).optional() },
  { defaultSize: 10 },
);

export const artistInput = z.object({
  artistName: reqText(255),
  realName: optText(255),
  signDate: optText(40),
  label: optText(255),
  publisher: optText(255),
  copyright: optText(255),
  externalId: optText(100),
  artistImg: optText(2048),
  links: jsonObject.optional(),
  genres: stringList(100).optional(),
  pseudonyms: stringList(255).optional(),
  biography: optText(20_000),
  contributors: z.unknown().optional(),
  split: z.unknown().optional(),
  users: z.array(str()).optional(),
});
export const artistUpdate = artistInput.partial();

export const artistListQuery = listQuery({ ...textQueryShape, sort: z.enum(['artistName', 'createdAt', 'updatedAt']).default('updatedAt') }, { defaultSize: 10 });

export const mergeQuery = z.object({ ids: z.string().max(4000).optional() });
export const mergeBody = z.object({ ids: z.union([z.string().max(4000), z.array(z.string().max(100)).max(100)]).optional() }).nullable().optional();
