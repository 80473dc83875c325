import { describe, expect, it } from 'vitest';
import {
  generateUpc,
  gs1CheckDigit,
  isIso6391,
  isValidGtin,
  isValidIsrc,
  iswcCheckDigit,
  normalizeIsrc,
  normalizeLanguage,
  normalizeUpc,
  parseIswc,
  upcCapacity,
} from './identifiers.js';

describe('normalizeIsrc', () => {
  it.each([
    ['USRC17607839', 'USRC17607839'],
    ['US-RC1-76-07839', 'USRC17607839'],
    ['us-rc1-76-07839', 'USRC17607839'],
    ['US RC1 76 07839', 'USRC17607839'],
    ['  GBAYE0601498  ', 'GBAYE0601498'],
    ['gb-aye-06-01498', 'GBAYE0601498'],
    ['QZ-ES6-19-00001', 'QZES61900001'],
    ['US-123-99-00000', 'US1239900000'],
    ['US-RC1 76-07839', 'USRC17607839'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeIsrc(input)).toBe(expected);
    expect(isValidIsrc(input)).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['USRC1760783', 'one character short'],
    ['USRC176078390', 'one character long'],
    ['1SRC17607839', 'digit in country code'],
    ['U-RC17607839', 'hyphen inside country code'],
    ['USR_17607839', 'punctuation in registrant'],
    ['USRC1A607839', 'letter in year'],
    ['USRC1760783X', 'letter in designation'],
    ['USR-C17-607839', 'separators at the wrong boundaries'],
    ['US--RC1-76-07839', 'doubled separator'],
    ['US.RC1.76.07839', 'dots are not ISRC separators'],
    ['US-RC1-76-07839-', 'trailing separator'],
    ['ÜSRC17607839', 'non-ASCII letter'],
    ['ISRC USRC17607839', 'label prefix'],
    ['U'.repeat(40), 'over the length limit'],
  ])('rejects %s (%s)', (input) => {
    expect(normalizeIsrc(input)).toBeNull();
    expect(isValidIsrc(input)).toBe(false);
  });

  it('rejects non-string input at runtime', () => {
    expect(normalizeIsrc(123456789012 as unknown as string)).toBeNull();
    expect(normalizeIsrc(null as unknown as string)).toBeNull();
  });
});

describe('iswcCheckDigit', () => {
  it('applies 1 + Σ i·dᵢ and takes the tens complement', () => {
    // 1 + (1·1 + 2·2 + ... + 9·9) = 286 -> 4
    expect(iswcCheckDigit('123456789')).toBe(4);
    // 1 + 0 = 1 -> 9
    expect(iswcCheckDigit('000000000')).toBe(9);
    expect(iswcCheckDigit('034524680')).toBe(1);
  });

  it('yields 0 rather than 10 when the sum is already a multiple of ten', () => {
    // 1 + 9·1 = 10
    expect(iswcCheckDigit('000000001')).toBe(0);
  });

  it('rejects bodies that are not nine digits', () => {
    expect(() => iswcCheckDigit('12345678')).toThrow(TypeError);
    expect(() => iswcCheckDigit('12345678a')).toThrow(TypeError);
  });
});

describe('parseIswc', () => {
  it('accepts the documented example despite its check digit and reports the mismatch', () => {
    expect(parseIswc('T-123456789-0')).toEqual({
      normalized: 'T-123456789-0',
      wellFormed: true,
      checkDigitValid: false,
      expectedCheckDigit: 4,
    });
  });

  it.each(['T1234567890', 'T-123456789-0', 'T-123.456.789-0', 't-123.456.789-0', ' T1234567890 ', 'T123456789-0'])(
    'reads the published layout %j',
    (input) => {
      const parsed = parseIswc(input);
      expect(parsed?.normalized).toBe('T-123456789-0');
      expect(parsed?.wellFormed).toBe(true);
    },
  );

  it('validates a real ISWC', () => {
    expect(parseIswc('T-034.524.680-1')).toEqual({
      normalized: 'T-034524680-1',
      wellFormed: true,
      checkDigitValid: true,
      expectedCheckDigit: 1,
    });
    expect(parseIswc('T-123456789-4')?.checkDigitValid).toBe(true);
    expect(parseIswc('T0000000010')?.checkDigitValid).toBe(true);
  });

  it.each(['T 123 456 789 0', 'T-123-456-789-0', 'T-123.456789-0', 'T12345.67890'])(
    'recovers the digits of %j but flags it as not well formed',
    (input) => {
      const parsed = parseIswc(input);
      expect(parsed?.normalized).toBe('T-123456789-0');
      expect(parsed?.wellFormed).toBe(false);
      expect(parsed?.checkDigitValid).toBe(false);
    },
  );

  it.each([
    '',
    'T',
    '1234567890',
    'T123456789',
    'T12345678901',
    'X-123456789-0',
    'T-12345678A-0',
    'T-123456789-X',
    'T_123456789_0',
    'T-123456789-0 and more',
  ])('rejects %j', (input) => {
    expect(parseIswc(input)).toBeNull();
  });

  it('enforces the 32-character input limit before trimming', () => {
    const padded = 'T-123456789-0'.padStart(32, ' ');
    expect(parseIswc(padded)?.normalized).toBe('T-123456789-0');
    expect(parseIswc(' ' + padded)).toBeNull();
  });

  it('rejects non-string input at runtime', () => {
    expect(parseIswc(undefined as unknown as string)).toBeNull();
  });
});

describe('gs1CheckDigit', () => {
  it.each([
    ['03600029145', 2],
    ['400638133393', 1],
    ['01234567890', 5],
    ['590123412345', 7],
    ['978030640615', 7],
    ['0', 0],
    ['1', 7],
    ['00000000000', 0],
  ])('%s -> %i', (digits, check) => {
    expect(gs1CheckDigit(digits)).toBe(check);
  });

  it.each(['', '12a4', '12 34', '-1'])('rejects %j', (input) => {
    expect(() => gs1CheckDigit(input)).toThrow(TypeError);
  });
});

describe('isValidGtin', () => {
  it.each(['036000291452', '4006381333931', '012345678905', '5901234123457', '9780306406157', '000000000000'])(
    'accepts %s',
    (code) => expect(isValidGtin(code)).toBe(true),
  );

  it.each([
    ['036000291453', 'UPC with wrong check digit'],
    ['4006381333932', 'EAN with wrong check digit'],
    ['03600029145', '11 digits'],
    ['40063813339310', '14 digits'],
    ['96385074', 'EAN-8 is out of scope'],
    ['03600029145A', 'non-digit'],
    ['036000-291452', 'separators are not normalised here'],
    ['', 'empty'],
  ])('rejects %s (%s)', (code) => expect(isValidGtin(code)).toBe(false));

  it('rejects non-string input at runtime', () => {
    expect(isValidGtin(36000291452 as unknown as string)).toBe(false);
  });
});

describe('normalizeUpc', () => {
  it.each([
    ['036000291452', '036000291452'],
    ['0 36000 29145 2', '036000291452'],
    ['0-36000-29145-2', '036000291452'],
    [' 4006381333931 ', '4006381333931'],
    ['4 006381 333931', '4006381333931'],
  ])('%j -> %s', (input, expected) => expect(normalizeUpc(input)).toBe(expected));

  it.each(['036000291453', '0.36000.29145.2', '03600029145', 'abc', '', '0'.repeat(40)])('rejects %j', (input) => {
    expect(normalizeUpc(input)).toBeNull();
  });
});

describe('generateUpc', () => {
  it('builds prefix + zero-padded item reference + check digit', () => {
    expect(generateUpc('036000', 29145)).toBe('036000291452');
    expect(generateUpc('0123456789', 0)).toBe('012345678905');
    expect(generateUpc('012345', 0)).toBe('012345000003');
    expect(generateUpc('012345', 7)).toBe('012345000072');
  });

  it('always produces a valid 12-digit UPC-A', () => {
    for (const prefix of ['123456', '1234567', '12345678', '123456789', '1234567890']) {
      for (const counter of [0, 1, 9, upcCapacity(prefix) - 1]) {
        const upc = generateUpc(prefix, counter);
        expect(upc).toHaveLength(12);
        expect(upc.startsWith(prefix)).toBe(true);
        expect(isValidGtin(upc)).toBe(true);
      }
    }
  });

  it('reports the item-number capacity of each prefix length', () => {
    expect(upcCapacity('123456')).toBe(100_000);
    expect(upcCapacity('1234567890')).toBe(10);
  });

  it('throws once the counter no longer fits', () => {
    expect(generateUpc('1234567890', 9)).toMatch(/^12345678909\d$/);
    expect(() => generateUpc('1234567890', 10)).toThrow(RangeError);
    expect(() => generateUpc('123456', 99_999)).not.toThrow();
    expect(() => generateUpc('123456', 100_000)).toThrow(/does not fit/);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('rejects counter %s', (counter) => {
    expect(() => generateUpc('123456', counter)).toThrow(RangeError);
  });

  it.each(['12345', '12345678901', '12345a', '', ' 123456'])('rejects prefix %j', (prefix) => {
    expect(() => generateUpc(prefix, 0)).toThrow(RangeError);
    expect(() => upcCapacity(prefix)).toThrow(RangeError);
  });
});

describe('isIso6391', () => {
  it.each(['en', 'fr', 'zh', 'aa', 'zu', 'bh', 'nb', 'nn'])('accepts %s', (code) => expect(isIso6391(code)).toBe(true));

  it.each(['EN', 'En', 'eng', 'e', '', 'xx', 'iw', 'in', 'ji', 'mo', 'sh', 'en-US', ' en'])('rejects %j', (code) => {
    expect(isIso6391(code)).toBe(false);
  });
});

describe('normalizeLanguage', () => {
  it.each([
    ['en', 'en'],
    ['EN', 'en'],
    [' fr ', 'fr'],
    ['pt-BR', 'pt'],
    ['en_US', 'en'],
    ['zh-Hant-TW', 'zh'],
    ['iw', 'he'],
    ['in', 'id'],
    ['ji', 'yi'],
    ['mo', 'ro'],
  ])('%j -> %s', (input, expected) => expect(normalizeLanguage(input)).toBe(expected));

  it.each(['', 'xx', 'eng', 'english', 'e', 'en-', 'en--us', '-en', 'sh', 'x-klingon', 'en-US-'.padEnd(40, 'x')])(
    'rejects %j',
    (input) => expect(normalizeLanguage(input)).toBeNull(),
  );
});
