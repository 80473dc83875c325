import { describe, expect, it } from 'vitest';
import {
  contrastRatio,
  deriveColorVariants,
  isHexColor,
  MIN_VARIANT_CONTRAST,
  normalizeHex,
  relativeLuminance,
} from './colors.js';

describe('isHexColor', () => {
  it.each(['#abc', '#ABC', '#aabbcc', '#AaBbCc', '#000', '#ffffff', '#123456'])('accepts %s', (v) => {
    expect(isHexColor(v)).toBe(true);
  });

  it.each(['abc', 'aabbcc', '#ab', '#abcd', '#aabbccdd', '#aabbc', '#aabbccd', '#ggg', '# abc', ' #abc', '#abc ', '', '#', 'red', 'rgb(0,0,0)'])(
    'rejects %j',
    (v) => expect(isHexColor(v)).toBe(false),
  );

  it('rejects non-strings at runtime', () => {
    expect(isHexColor(0xabc as unknown as string)).toBe(false);
  });
});

describe('normalizeHex', () => {
  it.each([
    ['#abc', '#aabbcc'],
    ['#ABC', '#aabbcc'],
    ['#AABBCC', '#aabbcc'],
    ['#0f0', '#00ff00'],
    ['  #123456 ', '#123456'],
    ['#fff', '#ffffff'],
  ])('%j -> %s', (input, expected) => expect(normalizeHex(input)).toBe(expected));

  it.each(['abc', '#abcd', '#12345g', '', 'blue'])('returns null for %j', (v) => expect(normalizeHex(v)).toBeNull());

  it('is idempotent', () => {
    for (const v of ['#abc', '#DEF012']) expect(normalizeHex(normalizeHex(v)!)).toBe(normalizeHex(v));
  });
});

describe('relativeLuminance', () => {
  it('spans 0 for black to 1 for white', () => {
    expect(relativeLuminance('#000')).toBe(0);
    expect(relativeLuminance('#fff')).toBeCloseTo(1, 12);
  });

  it('weights green above red above blue', () => {
    expect(relativeLuminance('#00ff00')).toBeCloseTo(0.7152, 4);
    expect(relativeLuminance('#ff0000')).toBeCloseTo(0.2126, 4);
    expect(relativeLuminance('#0000ff')).toBeCloseTo(0.0722, 4);
  });

  it('uses the linear segment for very dark channels', () => {
    expect(relativeLuminance('#0a0a0a')).toBeCloseTo(10 / 255 / 12.92, 10);
  });
});

describe('contrastRatio', () => {
  it.each([
    ['#000000', '#ffffff', 21],
    ['#ffffff', '#ffffff', 1],
    ['#767676', '#ffffff', 4.54],
    ['#777777', '#ffffff', 4.48],
    ['#595959', '#ffffff', 7.0],
    ['#0000ff', '#ffffff', 8.59],
    ['#ff0000', '#ffffff', 4.0],
  ])('%s vs %s ≈ %d', (a, b, ratio) => {
    expect(contrastRatio(a, b)).toBeCloseTo(ratio, 2);
  });

  it('does not depend on argument order and accepts short forms', () => {
    expect(contrastRatio('#fff', '#336699')).toBe(contrastRatio('#336699', '#ffffff'));
  });

  it('throws on invalid colours', () => {
    expect(() => contrastRatio('white', '#000')).toThrow(TypeError);
    expect(() => contrastRatio('#000', '#00')).toThrow(TypeError);
  });
});

/** Small deterministic PRNG so the sample is the same on every run. */
function* sampleColors(count: number): Generator<string> {
  let seed = 0x2f6b1a3d;
  for (let i = 0; i < count; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    yield '#' + (seed >>> 8).toString(16).padStart(6, '0');
  }
}

describe('deriveColorVariants', () => {
  it.each([
    ['#3366cc', '#91ace3', '#1f3d7a'],
    ['#ff0000', '#ff9e9e', '#990000'],
    ['#000000', '#757575', '#000000'],
    ['#ffffff', '#ffffff', '#757575'],
  ])('%s -> light %s, dark %s', (base, light, dark) => {
    expect(deriveColorVariants(base)).toEqual({ light, dark });
  });

  it('accepts short and uppercase input', () => {
    expect(deriveColorVariants('#F00')).toEqual(deriveColorVariants('#ff0000'));
  });

  it('keeps the hue: a red stays red', () => {
    const { light, dark } = deriveColorVariants('#e53935');
    for (const v of [light, dark]) {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(v.slice(i, i + 2), 16));
      expect(r).toBeGreaterThan(g);
      expect(r).toBeGreaterThan(b);
    }
  });

  it('keeps greys grey', () => {
    const { light, dark } = deriveColorVariants('#808080');
    for (const v of [light, dark]) expect(v.slice(1, 3).repeat(3)).toBe(v.slice(1));
  });

  it('meets the contrast guarantees for every short colour and a wide sample of full ones', () => {
    const inputs = [...Array(4096).keys()].map((n) => '#' + n.toString(16).padStart(3, '0'));
    inputs.push(...sampleColors(2000));
    for (const base of inputs) {
      const { light, dark } = deriveColorVariants(base);
      expect(light, base).toMatch(/^#[0-9a-f]{6}$/);
      expect(dark, base).toMatch(/^#[0-9a-f]{6}$/);
      expect(contrastRatio(dark, '#ffffff'), base).toBeGreaterThanOrEqual(MIN_VARIANT_CONTRAST);
      expect(contrastRatio(light, dark), base).toBeGreaterThanOrEqual(MIN_VARIANT_CONTRAST);
      expect(contrastRatio(light, '#000000'), base).toBeGreaterThanOrEqual(MIN_VARIANT_CONTRAST);
      expect(relativeLuminance(dark), base).toBeLessThanOrEqual(relativeLuminance(base));
      expect(relativeLuminance(light), base).toBeGreaterThanOrEqual(relativeLuminance(base));
    }
  });

  it('throws on invalid input', () => {
    expect(() => deriveColorVariants('teal')).toThrow(TypeError);
    expect(() => deriveColorVariants('#12345')).toThrow(TypeError);
  });
});
