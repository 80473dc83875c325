import { ISO_639_1_SET, type Iso6391Code } from './iso-639-1.js';

/** Longest raw input any identifier parser looks at; anything longer is rejected unparsed. */
const MAX_INPUT_LENGTH = 32;

const usable = (input: unknown): input is string =>
  typeof input === 'string' && input.length <= MAX_INPUT_LENGTH;

// ---------------------------------------------------------------------------------------------
// ISRC (ISO 3901): CC-XXX-YY-NNNNN. The country part is not checked against ISO 3166 because
// agencies also issue non-country prefixes (QM, QZ, ZZ, ...).

/** Separators are tolerated only at the four group boundaries, so `US-RC1-76-07839` passes but
 * `USR-C17-607839` does not. */
const ISRC_RE = /^([A-Z]{2})[- ]?([A-Z0-9]{3})[- ]?(\d{2})[- ]?(\d{5})$/;

/** The 12-character uppercase ISRC, or null when the input is not an ISRC. */
export function normalizeIsrc(input: string): string | null {
  if (!usable(input)) return null;
  const m = ISRC_RE.exec(input.trim().toUpperCase());
  return m ? m.slice(1).join('') : null;
}

export const isValidIsrc = (input: string): boolean => normalizeIsrc(input) !== null;

// ---------------------------------------------------------------------------------------------
// ISWC (ISO 15707): T-DDDDDDDDD-C.

export interface ParsedIswc {
  /** Canonical `T-123456789-0` form. */
  normalized: string;
  /** True when separators follow one of the published layouts (`T1234567890`,
   * `T-123456789-0`, `T-123.456.789-0`); false when the digits were recovered from a looser
   * spelling such as `T 123 456 789 0`. */
  wellFormed: boolean;
  checkDigitValid: boolean;
  expectedCheckDigit: number;
}

const ISWC_STRICT_RE = /^T-?(\d{3})(\.?)(\d{3})\2(\d{3})-?(\d)$/;
const ISWC_LOOSE_RE = /^T(\d{9})(\d)$/;

/** Weighted sum 1 + Σ i·dᵢ over the nine work digits, as specified by the ISWC agency. */
export function iswcCheckDigit(nineDigits: string): number {
  if (!/^\d{9}$/.test(nineDigits)) throw new TypeError('An ISWC body is exactly nine digits');
  let sum = 1;
  for (let i = 0; i < 9; i++) sum += (i + 1) * Number(nineDigits[i]);
  return (10 - (sum % 10)) % 10;
}

/**
 * Parses an ISWC. A wrong check digit does not make it unparseable: catalogues (and the ISWC
 * documentation's own `T-123456789-0` example) carry such codes, so the mismatch is reported
 * and the caller decides.
 */
export function parseIswc(input: string): ParsedIswc | null {
  if (!usable(input)) return null;
  const s = input.trim().toUpperCase();
  let body: string;
  let check: number;
  let wellFormed: boolean;
  const strict = ISWC_STRICT_RE.exec(s);
  if (strict) {
    body = strict[1] + strict[3] + strict[4];
    check = Number(strict[5]);
    wellFormed = true;
  } else {
    const loose = ISWC_LOOSE_RE.exec(s.replace(/[-. ]/g, ''));
    if (!loose) return null;
    body = loose[1];
    check = Number(loose[2]);
    wellFormed = false;
  }
  const expectedCheckDigit = iswcCheckDigit(body);
  return {
    normalized: `T-${body}-${check}`,
    wellFormed,
    checkDigitValid: expectedCheckDigit === check,
    expectedCheckDigit,
  };
}

// ---------------------------------------------------------------------------------------------
// GS1 barcodes: UPC-A (GTIN-12) and EAN-13 (GTIN-13).

/** GS1 mod-10: weights 3,1,3,1,... starting from the digit nearest the check digit. */
export function gs1CheckDigit(digitsWithoutCheck: string): number {
  if (!/^\d+$/.test(digitsWithoutCheck)) throw new TypeError('GS1 check digits are computed over digits only');
  let sum = 0;
  for (let i = digitsWithoutCheck.length - 1, weight = 3; i >= 0; i--, weight = 4 - weight) {
    sum += weight * Number(digitsWithoutCheck[i]);
  }
  return (10 - (sum % 10)) % 10;
}

/** True for a 12-digit UPC-A or 13-digit EAN-13 with a correct check digit. */
export function isValidGtin(code: string): boolean {
  if (typeof code !== 'string' || !/^(\d{12}|\d{13})$/.test(code)) return false;
  return gs1CheckDigit(code.slice(0, -1)) === Number(code[code.length - 1]);
}

/** Digits only, or null when what remains is not a valid UPC-A/EAN-13. */
export function normalizeUpc(input: string): string | null {
  if (!usable(input)) return null;
  const digits = input.replace(/[- ]/g, '');
  return isValidGtin(digits) ? digits : null;
}

const UPC_PREFIX_RE = /^\d{6,10}$/;

function itemReferenceLength(prefix: string): number {
  if (typeof prefix !== 'string' || !UPC_PREFIX_RE.test(prefix)) {
    throw new RangeError('A UPC company prefix is 6 to 10 digits');
  }
  return 11 - prefix.length;
}

/** How many distinct UPCs a company prefix can produce (counter values 0..capacity-1). */
export function upcCapacity(prefix: string): number {
  return 10 ** itemReferenceLength(prefix);
}

/**
 * Builds the UPC-A for the `counter`-th item under a GS1 company prefix. Throws once the
 * counter no longer fits in the item reference, rather than silently spilling into the prefix.
 */
export function generateUpc(prefix: string, counter: number): string {
  const width = itemReferenceLength(prefix);
  if (!Number.isSafeInteger(counter) || counter < 0) {
    throw new RangeError('A UPC counter is a non-negative integer');
  }
  if (counter >= 10 ** width) {
    throw new RangeError(`Company prefix ${prefix} has room for ${10 ** width} item numbers; ${counter} does not fit`);
  }
  const body = prefix + String(counter).padStart(width, '0');
  return body + gs1CheckDigit(body);
}

// ---------------------------------------------------------------------------------------------
// Languages.

/** Exact membership test: lowercase two-letter ISO 639-1 codes only. */
export function isIso6391(code: string): code is Iso6391Code {
  return typeof code === 'string' && ISO_639_1_SET.has(code);
}

/** Withdrawn codes still emitted by older software (notably Java locales). */
const WITHDRAWN_ALIASES: Readonly<Record<string, Iso6391Code>> = { iw: 'he', in: 'id', ji: 'yi', mo: 'ro' };

const LANGUAGE_TAG_RE = /^([a-z]{2})(?:-[a-z0-9]{1,8})*$/;

/**
 * Lenient reading of a language as ISO 639-1: case and surrounding space are ignored, a BCP 47
 * tag is reduced to its primary subtag (`pt-BR` -> `pt`, `en_US` -> `en`) and withdrawn codes
 * map to their successors. Null when no ISO 639-1 language can be read from the input.
 */
export function normalizeLanguage(code: string): Iso6391Code | null {
  if (!usable(code)) return null;
  const m = LANGUAGE_TAG_RE.exec(code.trim().toLowerCase().replace(/_/g, '-'));
  if (!m) return null;
  const primary = WITHDRAWN_ALIASES[m[1]] ?? m[1];
  return isIso6391(primary) ? primary : null;
}
