/**
 * Split percentages as exact integer hundredths. Binary floats cannot represent 33.33, so
 * summing them drifts (33.33 + 33.33 + 33.34 !== 100 in floating point); integers do not.
 */

/** 100.00 % in hundredths. */
export const HUNDRED_PERCENT = 10_000;

export type ShareErrorCode = 'not_a_number' | 'too_many_decimals' | 'out_of_range';
export type ShareError = { error: ShareErrorCode; message: string };
export type ParsedShare = { hundredths: number } | ShareError;

const MAX_TEXT_LENGTH = 32;
const DECIMAL_RE = /^([+-]?)(\d*)(?:\.(\d*))?$/;

const fail = (error: ShareErrorCode, message: string): ShareError => ({ error, message });

export const isShareError = (parsed: ParsedShare): parsed is ShareError => 'error' in parsed;

/**
 * Reads a percentage with at most two decimal places. Numbers are read through their shortest
 * round-trip decimal form (what JSON carried), so `33.33` is exact while a computed
 * `0.1 + 0.2` (0.30000000000000004) is rejected instead of being silently rounded. Trailing
 * zeros (`"33.330"`) add no precision and are accepted. Sign is kept: whether a negative share
 * is acceptable is for the caller to decide.
 */
export function parseShare(value: number | string): ParsedShare {
  let text: string;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return fail('not_a_number', 'Share is not a number');
    if (!Number.isFinite(value)) return fail('out_of_range', 'Share must be finite');
    text = String(value);
    // Exponent notation only appears below 1e-6 or from 1e21 upwards.
    if (text.includes('e')) {
      return Math.abs(value) < 1
        ? fail('too_many_decimals', 'Share has more than two decimal places')
        : fail('out_of_range', 'Share is too large');
    }
  } else if (typeof value === 'string') {
    if (value.length > MAX_TEXT_LENGTH) return fail('not_a_number', 'Share is not a decimal number');
    text = value.trim();
  } else {
    return fail('not_a_number', 'Share is not a number');
  }

  const m = DECIMAL_RE.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return fail('not_a_number', 'Share is not a decimal number');
  const [, sign, whole, rawFraction = ''] = m;
  const fraction = rawFraction.replace(/0+$/, '');
  if (fraction.length > 2) return fail('too_many_decimals', 'Share has more than two decimal places');

  const magnitude = Number((whole || '0') + fraction.padEnd(2, '0'));
  if (!Number.isSafeInteger(magnitude)) return fail('out_of_range', 'Share is too large');
  return { hundredths: sign === '-' && magnitude !== 0 ? -magnitude : magnitude };
}

/** Exact sum of hundredths; throws on anything that is not a safe integer. */
export function sumHundredths(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) {
    if (!Number.isSafeInteger(v)) throw new TypeError(`Not a whole number of hundredths: ${v}`);
    total += v;
  }
  if (!Number.isSafeInteger(total)) throw new RangeError('Sum of hundredths overflows');
  return total;
}

/** Hundredths back to a percentage number: 3333 -> 33.33 (the same double as the literal). */
export function formatShare(hundredths: number): number {
  if (!Number.isSafeInteger(hundredths)) throw new TypeError(`Not a whole number of hundredths: ${hundredths}`);
  return hundredths / 100 + 0; // `+ 0` turns -0 into 0
}
