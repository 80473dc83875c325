/**
 * Opaque keyset-pagination cursors: the sort-key values of the last row seen, as base64url
 * JSON. Opaque so clients cannot come to depend on the format; decoding treats every input as
 * hostile because cursors come straight from query strings.
 */

export type CursorValue = string | number;
export type CursorValues = Record<string, CursorValue>;
export type CursorShape = Record<string, 'string' | 'number'>;
export type ShapedCursor<S extends CursorShape> = { [K in keyof S]: S[K] extends 'string' ? string : number };

/** Longest cursor (in characters) that will be produced or read. */
export const MAX_CURSOR_LENGTH = 4096;

const BASE64URL_RE = /^[A-Za-z0-9_-]+$/;
// Own "__proto__" keys survive JSON.parse but turn into prototype changes the moment someone
// copies them with plain assignment or spread-into-literal; refuse them outright.
const FORBIDDEN_KEY = '__proto__';

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const isCursorValue = (v: unknown): v is CursorValue =>
  typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));

export function encodeCursor(values: CursorValues): string {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) {
    throw new TypeError('Cursor values must be an object');
  }
  for (const [key, v] of Object.entries(values)) {
    if (key === FORBIDDEN_KEY) throw new TypeError(`Cursor key ${key} is not allowed`);
    if (!isCursorValue(v)) throw new TypeError(`Cursor value for ${key} must be a string or a finite number`);
  }
  const cursor = toBase64Url(new TextEncoder().encode(JSON.stringify(values)));
  if (cursor.length > MAX_CURSOR_LENGTH) throw new RangeError('Cursor values are too large');
  return cursor;
}

/** The values in a cursor, or null for anything that is not a cursor this module produced. */
export function decodeCursor(cursor: unknown): CursorValues | null;
/** As above, and additionally null unless the cursor has exactly the keys and types in `shape`. */
export function decodeCursor<S extends CursorShape>(cursor: unknown, shape: S): ShapedCursor<S> | null;
export function decodeCursor(cursor: unknown, shape?: CursorShape): CursorValues | null {
  if (typeof cursor !== 'string' || cursor.length > MAX_CURSOR_LENGTH || !BASE64URL_RE.test(cursor)) return null;

  let parsed: unknown;
  try {
    const binary = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    // Several spellings decode to the same bytes (unused trailing bits); only ours is valid.
    if (toBase64Url(bytes) !== cursor) return null;
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return null;
  }

  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const entries = Object.entries(parsed);
  if (entries.some(([key, v]) => key === FORBIDDEN_KEY || !isCursorValue(v))) return null;

  if (shape) {
    const expected = Object.keys(shape);
    if (entries.length !== expected.length) return null;
    if (!expected.every((key) => Object.hasOwn(parsed as object, key) && typeof (parsed as CursorValues)[key] === shape[key])) {
      return null;
    }
  }
  return Object.fromEntries(entries) as CursorValues;
}
