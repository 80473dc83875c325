import { describe, expect, it } from 'vitest';
import { formatShare, HUNDRED_PERCENT, isShareError, parseShare, sumHundredths, type ParsedShare } from './shares.js';

const hundredths = (p: ParsedShare): number => {
  if (isShareError(p)) throw new Error(`unexpected ${p.error}`);
  return p.hundredths;
};

describe('parseShare', () => {
  it.each<[number | string, number]>([
    [100, 10_000],
    [33.33, 3333],
    [33.34, 3334],
    [0.01, 1],
    [0.1, 10],
    [50.5, 5050],
    [0, 0],
    [-0, 0],
    [-12.5, -1250],
    [1.1, 110],
    [4.35, 435],
    [1.15, 115],
    ['33.33', 3333],
    ['33.330', 3333],
    ['  7.5 ', 750],
    ['+5', 500],
    ['-5.25', -525],
    ['.5', 50],
    ['5.', 500],
    ['007', 700],
    ['-0.00', 0],
    ['100.00', 10_000],
  ])('%j -> %i hundredths', (input, expected) => {
    const parsed = parseShare(input);
    expect(parsed).toEqual({ hundredths: expected });
    expect(Object.is(hundredths(parsed), -0)).toBe(false);
  });

  it.each<[number | string, string]>([
    [33.333, 'too_many_decimals'],
    ['33.333', 'too_many_decimals'],
    ['33.3301', 'too_many_decimals'],
    [0.1 + 0.2, 'too_many_decimals'],
    [100 / 3, 'too_many_decimals'],
    [1e-7, 'too_many_decimals'],
    [-0.001, 'too_many_decimals'],
    [Number.NaN, 'not_a_number'],
    ['', 'not_a_number'],
    ['  ', 'not_a_number'],
    ['.', 'not_a_number'],
    ['-', 'not_a_number'],
    ['abc', 'not_a_number'],
    ['1,5', 'not_a_number'],
    ['1e2', 'not_a_number'],
    ['NaN', 'not_a_number'],
    ['Infinity', 'not_a_number'],
    ['0x10', 'not_a_number'],
    ['5%', 'not_a_number'],
    ['1.2.3', 'not_a_number'],
    ['1'.repeat(33), 'not_a_number'],
    [Number.POSITIVE_INFINITY, 'out_of_range'],
    [Number.NEGATIVE_INFINITY, 'out_of_range'],
    [1e21, 'out_of_range'],
    [1e15, 'out_of_range'],
    ['99999999999999999999', 'out_of_range'],
  ])('rejects %j with %s', (input, code) => {
    const parsed = parseShare(input);
    expect(isShareError(parsed)).toBe(true);
    expect(parsed).toMatchObject({ error: code, message: expect.any(String) });
  });

  it('rejects values that are neither numbers nor strings at runtime', () => {
    expect(parseShare(null as unknown as number)).toMatchObject({ error: 'not_a_number' });
    expect(parseShare({} as unknown as number)).toMatchObject({ error: 'not_a_number' });
  });

  it('round-trips every two-decimal percentage from 0.00 to 100.00 through formatShare', () => {
    for (let h = 0; h <= HUNDRED_PERCENT; h++) {
      const pct = formatShare(h);
      expect(pct).toBe(Number((h / 100).toFixed(2)));
      expect(parseShare(pct)).toEqual({ hundredths: h });
    }
  });
});

describe('sumHundredths', () => {
  it('sums 33.33 + 33.33 + 33.34 to exactly 100', () => {
    const total = sumHundredths([33.33, 33.33, 33.34].map((v) => hundredths(parseShare(v))));
    expect(total).toBe(HUNDRED_PERCENT);
    expect(formatShare(total)).toBe(100);
  });

  it('sums exactly where floating point does not', () => {
    expect(0.01 + 66.79 + 33.2).not.toBe(100);
    expect(sumHundredths([0.01, 66.79, 33.2].map((v) => hundredths(parseShare(v))))).toBe(HUNDRED_PERCENT);
  });

  it('handles ten tenths, a classic float trap', () => {
    expect(Array(10).fill(0.1).reduce((a: number, b: number) => a + b, 0)).not.toBe(1);
    expect(sumHundredths(Array(10).fill(hundredths(parseShare(0.1))))).toBe(100);
  });

  it('sums empty input to zero and accepts any iterable', () => {
    expect(sumHundredths([])).toBe(0);
    expect(sumHundredths(new Set([1, 2, 3]))).toBe(6);
    expect(sumHundredths([5000, -1000])).toBe(4000);
  });

  it('refuses fractional or unsafe inputs and overflow', () => {
    expect(() => sumHundredths([1.5])).toThrow(TypeError);
    expect(() => sumHundredths([Number.NaN])).toThrow(TypeError);
    expect(() => sumHundredths([Number.MAX_SAFE_INTEGER, 1])).toThrow(RangeError);
  });
});

describe('formatShare', () => {
  it.each([
    [3333, 33.33],
    [10_000, 100],
    [1, 0.01],
    [5050, 50.5],
    [-1250, -12.5],
    [0, 0],
  ])('%i -> %d', (h, pct) => expect(formatShare(h)).toBe(pct));

  it('never returns negative zero', () => {
    expect(Object.is(formatShare(-0), 0)).toBe(true);
  });

  it('rejects non-integers', () => {
    expect(() => formatShare(33.3)).toThrow(TypeError);
    expect(() => formatShare(Number.POSITIVE_INFINITY)).toThrow(TypeError);
  });
});
