import { normalizeIsrc, normalizeLanguage, normalizeUpc, parseIswc } from '../../domain/identifiers.js';
import { badRequest } from '../../errors.js';

/** A non-blocking remark about an accepted value (e.g. an ISWC whose check digit does not add up). */
export interface FieldWarning {
  field: string;
  message: string;
}

/** 400 whose message starts with the offending field, so a client can point at it. */
export const invalidField = (field: string, message: string) =>
  badRequest('validation_error', `${field} ${message}`, { issues: [{ path: field, message }] });

const blank = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

export function isrcField(value: string | null | undefined, field = 'isrc'): string | null {
  if (blank(value)) return null;
  const isrc = normalizeIsrc(value!);
  if (!isrc) throw invalidField(field, 'must be a 12-character ISRC such as USABC1234567 (CC-XXX-YY-NNNNN)');
  return isrc;
}

/**
 * A well-formed ISWC is accepted even when its check digit is wrong (published examples such
 * as T-123456789-0 carry one); the mismatch is reported back as a warning.
 */
export function iswcField(value: string | null | undefined, warnings: FieldWarning[], field = 'iswc'): string | null {
  if (blank(value)) return null;
  const parsed = parseIswc(value!);
  if (!parsed || !parsed.wellFormed) throw invalidField(field, 'must be an ISWC such as T-123456789-0');
  if (!parsed.checkDigitValid) {
    warnings.push({ field, message: `ISWC ${parsed.normalized} has check digit ${parsed.normalized.slice(-1)} but ${parsed.expectedCheckDigit} was expected` });
  }
  return parsed.normalized;
}

export function languageField(value: string | null | undefined, field = 'language'): string | null {
  if (blank(value)) return null;
  const lang = normalizeLanguage(value!);
  if (!lang) throw invalidField(field, 'must be an ISO 639-1 language code such as en');
  return lang;
}

export function upcField(value: string | null | undefined, field = 'upc'): string | null {
  if (blank(value)) return null;
  const upc = normalizeUpc(String(value));
  if (!upc) throw invalidField(field, 'must be a 12-digit UPC-A or 13-digit EAN-13 with a valid check digit');
  return upc;
}

/** `explicit` is "explicit" | "clean"; booleans (and their spellings in forms) map onto it. */
export function explicitField(value: unknown, field = 'explicit'): 'explicit' | 'clean' | null {
  if (value === undefined || value === null || value === '') return null;
  if (value === true || value === 'true' || value === 'explicit') return 'explicit';
  if (value === false || value === 'false' || value === 'clean') return 'clean';
  throw invalidField(field, 'must be "explicit" or "clean" (or a boolean)');
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** A calendar date (YYYY-MM-DD, kept as is) or an ISO 8601 date-time (as UTC ISO); null when neither. */
export function parseDate(value: string): string | null {
  const s = value.trim();
  const m = DATE_RE.exec(s);
  if (m) {
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]) ? s : null;
  }
  return DATETIME_RE.test(s) && !Number.isNaN(Date.parse(s)) ? new Date(s).toISOString() : null;
}

export function dateField(value: string | null | undefined, field: string): string | null {
  if (blank(value)) return null;
  const d = parseDate(value!);
  if (!d) throw invalidField(field, 'must be a date such as 2024-06-15');
  return d;
}

/** Only http(s) URLs without embedded credentials; nothing is fetched. */
export function linkField(value: string, field = 'url'): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw invalidField(field, 'must be an absolute http or https URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw invalidField(field, 'must be an absolute http or https URL');
  if (u.username || u.password) throw invalidField(field, 'must not embed credentials');
  if (!u.hostname || value.length > 2048) throw invalidField(field, 'must be an absolute http or https URL of at most 2048 characters');
  return u.toString();
}

export const stringList = (v: string | string[] | null | undefined): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
