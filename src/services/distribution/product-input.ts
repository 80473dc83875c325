import { z } from 'zod';
import { normalizeLanguage, normalizeUpc } from '../../domain/identifiers.js';
import { badRequest } from '../../errors.js';
import { parseDate } from './fields.js';

/**
 * Every field of a product as a client may send it, in JSON or as multipart form fields
 * (where numbers, booleans and JSON values arrive as strings). Each rule names its field.
 */
const typeName = (input: unknown) => (input === null ? 'null' : Array.isArray(input) ? 'an array' : typeof input);
const str = () => z.string({ error: (i) => (i.input === undefined ? 'is required' : `must be a string, not ${typeName(i.input)}`) });
const text = (max: number) => str().trim().max(max, `must be at most ${max} characters`);
const optText = (max: number) => text(max).nullable().optional();

/** Parses text that `parses(text)` accepts as JSON before `schema` sees it; unparseable text is reported, not guessed. */
const jsonWhen = <T extends z.ZodType>(schema: T, parses: (text: string) => boolean) =>
  z.preprocess((v, ctx) => {
    if (typeof v !== 'string' || !parses(v)) return v;
    try {
      return JSON.parse(v);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be valid JSON' });
      return z.NEVER;
    }
  }, schema);

/** Form fields carry JSON as text; a JSON body may too. */
const json = <T extends z.ZodType>(schema: T) => jsonWhen(schema, () => true);

/** For values that may be a bare id or a JSON object: only text that looks like JSON is parsed. */
const jsonIfStructured = <T extends z.ZodType>(schema: T) => jsonWhen(schema, (text) => /^\s*[{["]/.test(text));

const int = (min: number, max: number, message: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v),
    z.number({ error: message }).int(message).min(min, message).max(max, message),
  );

const bool = z.preprocess(
  (v) => (v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : v),
  z.boolean({ error: 'must be true or false' }),
);

const date = str().refine((s) => parseDate(s) !== null, 'must be a date such as 2024-06-15').transform((s) => parseDate(s)!);
const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item.transform((v) => [v] as z.output<T>[]), z.array(item)], { error: 'must be a string or a list of strings' });
const object = z.record(z.string(), z.unknown(), { error: 'must be a JSON object' });
const objectList = json(z.union([object.transform((o) => [o]), z.array(object)], { error: 'must be a JSON object or a list of objects' }));
const genre = z.union([text(100), z.array(text(100))], { error: 'must be a string (at most 100 characters) or a list of them' });

const artistRef = jsonIfStructured(
  z.union(
    [
      text(100).min(1, 'must not be empty').transform((id) => ({ id, type: 'primary' })),
      z.object({ id: text(100).min(1, 'must not be empty'), type: text(50).optional().default('primary') }).transform((a) => ({ id: a.id, type: a.type || 'primary' })),
    ],
    { error: 'must be an artist id or { "id": ..., "type": "primary" | "featuring" }' },
  ),
);
const assetRef = jsonIfStructured(
  z.union(
    [
      text(100).min(1, 'must not be empty').transform((asset) => ({ asset, number: null as number | null })),
      z.object({ asset: text(100).min(1, 'must not be empty'), number: int(1, 100000, 'must be a whole number of at least 1').optional() }).transform((a) => ({ asset: a.asset, number: a.number ?? null })),
    ],
    { error: 'must be an asset id or { "asset": ..., "number": 1 }' },
  ),
);

const explicit = z.preprocess(
  (v) => (v === true || v === 'true' ? 'explicit' : v === false || v === 'false' ? 'clean' : v === '' ? null : v),
  z.enum(['explicit', 'clean'], { error: 'must be "explicit" or "clean" (or a boolean)' }).nullable(),
);

export const productInputSchema = z.object({
  title: text(255).min(1, 'must be between 1 and 255 characters'),
  id: text(100).min(1, 'must not be empty').optional(),
  // An empty UPC is no UPC: a new product gets one generated, an update keeps the one it has.
  upc: z
    .preprocess(
      (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
      z
        .union([str(), z.number().transform(String)], { error: 'must be a string of digits' })
        .refine((v) => normalizeUpc(String(v)) !== null, 'must be a 12-digit UPC-A or 13-digit EAN-13 with a valid check digit')
        .transform((v) => normalizeUpc(String(v))!)
        .optional(),
    )
    .optional(),
  catalogNumber: optText(100),
  catalog: optText(100),
  externalId: optText(100),
  displayArtist: optText(255),
  type: z.enum(['Audio', 'Video', 'Ringtone'], { error: 'must be one of Audio, Video, Ringtone' }).optional(),
  format: optText(50),
  version: optText(100),
  explicit: explicit.optional(),
  releaseDate: date.nullable().optional(),
  takedownDate: date.nullable().optional(),
  originalReleaseDate: date.nullable().optional(),
  mainGenre: genre.nullable().optional(),
  subGenre: genre.nullable().optional(),
  status: z.enum(['Live', 'Taken Down', 'Scheduled', 'Pending', 'Error'], { error: 'must be one of Live, Taken Down, Scheduled, Pending, Error' }).optional(),
  label: optText(255),
  distribution: json(object.nullable()).optional(),
  contributors: objectList.optional(),
  metadata: json(object).optional(),
  chartHistory: objectList.optional(),
  totalTracks: int(1, 100000, 'must be a whole number of at least 1').nullable().optional(),
  totalDiscs: int(1, 1000, 'must be a whole number of at least 1').nullable().optional(),
  packageType: optText(100),
  edition: optText(100),
  reissue: bool.optional(),
  recordingLocation: optText(255),
  masteringLocation: optText(255),
  producer: oneOrMany(text(255)).optional(),
  engineer: oneOrMany(text(255)).optional(),
  sequenceNumber: int(0, 1_000_000_000, 'must be a whole number of at least 0').nullable().optional(),
  parentReleaseId: z.uuid({ error: 'must be a UUID' }).nullable().optional(),
  language: text(10)
    .refine((v) => v === '' || normalizeLanguage(v) !== null, 'must be an ISO 639-1 language code such as en')
    .transform((v) => (v === '' ? null : normalizeLanguage(v)))
    .nullable()
    .optional(),
  c_line_year: int(1900, 2100, 'must be a year between 1900 and 2100').nullable().optional(),
  p_line_year: int(1900, 2100, 'must be a year between 1900 and 2100').nullable().optional(),
  artists: z.array(artistRef, { error: 'must be a list of artists' }).optional(),
  assets: z.array(assetRef, { error: 'must be a list of assets' }).optional(),
  split: json(z.union([z.array(z.unknown()), object], { error: 'must be a JSON list or object' })).optional(),
  media: z
    .preprocess((v) => {
      if (typeof v !== 'string') return v;
      const t = v.trim();
      if (!t.startsWith('[') && !t.startsWith('{')) return v;
      try {
        return JSON.parse(t);
      } catch {
        return v;
      }
    }, z.union([z.string().max(2048, 'must be at most 2048 characters'), z.array(z.unknown()), object], { error: 'must be a string, a list or an object' }))
    .optional(),
});

export type ProductInput = z.output<typeof productInputSchema>;

/** Older spellings clients still send, mapped onto the current field names. */
const ALIASES: Record<string, string> = {
  UPC: 'upc', catalog_number: 'catalogNumber', display_artist: 'displayArtist', release_date: 'releaseDate', takedown_date: 'takedownDate',
  external_id: 'externalId', main_genre: 'mainGenre', sub_genre: 'subGenre', cLineYear: 'c_line_year', pLineYear: 'p_line_year',
};

const pathOf = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), '');

/**
 * Validates a product body. `partial` (updates) leaves absent fields alone but still requires
 * the title, as the contract does. The deprecated `catalog` fills `catalogNumber` when that is absent.
 */
export function parseProductInput(raw: unknown): ProductInput {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw badRequest('validation_error', 'The request body must be an object of product fields');
  const body: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    const key = ALIASES[k] ?? k;
    if (!(key in body) || k === key) body[key] = v;
  }
  const parsed = productInputSchema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: pathOf(i.path) || 'body', message: i.message }));
    throw badRequest('validation_error', issues.map((i) => `${i.path} ${i.message}`).join('; '), { issues });
  }
  const input = parsed.data;
  if (input.catalogNumber === undefined && input.catalog !== undefined) input.catalogNumber = input.catalog;
  return input;
}
