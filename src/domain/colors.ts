const HEX_RE = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/** `#rgb` or `#rrggbb`, any case. Alpha forms are not accepted. */
export const isHexColor = (value: string): boolean => typeof value === 'string' && HEX_RE.test(value);

/** Canonical `#rrggbb` lowercase form, or null when the input is not a hex colour. */
export function normalizeHex(value: string): string | null {
  if (typeof value !== 'string') return null;
  const v = value.trim();
  if (!isHexColor(v)) return null;
  const digits = v.slice(1).toLowerCase();
  return '#' + (digits.length === 3 ? [...digits].map((d) => d + d).join('') : digits);
}

type Rgb = [number, number, number];

function toRgb(hex: string): Rgb {
  const n = normalizeHex(hex);
  if (n === null) throw new TypeError(`Not a hex colour: ${JSON.stringify(hex)}`);
  return [1, 3, 5].map((i) => parseInt(n.slice(i, i + 2), 16)) as Rgb;
}

const toHex = (rgb: Rgb): string => '#' + rgb.map((c) => c.toString(16).padStart(2, '0')).join('');

/** WCAG 2 relative luminance, 0 (black) to 1 (white). */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = toRgb(hex).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio between two colours, 1 to 21, independent of argument order. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

function rgbToHsl([r8, g8, b8]: Rgb): [number, number, number] {
  const [r, g, b] = [r8 / 255, g8 / 255, b8 / 255];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 2;
  const d = max - min;
  if (d === 0) return [0, 0, l];
  const s = d / (1 - Math.abs(2 * l - 1));
  let h: number;
  if (max === r) h = ((g - b) / d) % 6;
  else if (max === g) h = (b - r) / d + 2;
  else h = (r - g) / d + 4;
  return [(h * 60 + 360) % 360, s, l];
}

function hslToRgb(h: number, s: number, l: number): Rgb {
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const x = c * (1 - Math.abs(((h / 60) % 2) - 1));
  const m = l - c / 2;
  const [r, g, b] =
    h < 60 ? [c, x, 0] : h < 120 ? [x, c, 0] : h < 180 ? [0, c, x] : h < 240 ? [0, x, c] : h < 300 ? [x, 0, c] : [c, 0, x];
  return [r, g, b].map((v) => Math.round(Math.min(1, Math.max(0, v + m)) * 255)) as Rgb;
}

/** AA contrast for normal text. */
export const MIN_VARIANT_CONTRAST = 4.5;

/** How far (in HSL lightness percent) a variant starts from the base before contrast tuning. */
const START_OFFSET = 20;

export interface ColorVariants {
  light: string;
  dark: string;
}

/**
 * Lighter and darker variants of a brand colour, keeping its hue and saturation. `dark` is
 * readable on white and `light` is readable on `dark` (and therefore on black), both at
 * MIN_VARIANT_CONTRAST or better, so either can be text on the other. Lightness moves in 1 %
 * steps from ±20 % until the contrast is met; white and black guarantee the loops end.
 */
export function deriveColorVariants(hex: string): ColorVariants {
  const [h, s, l] = rgbToHsl(toRgb(hex));
  const at = (percent: number): string => toHex(hslToRgb(h, s, percent / 100));
  const base = Math.round(l * 100);

  let darkL = Math.max(0, base - START_OFFSET);
  while (darkL > 0 && contrastRatio(at(darkL), '#ffffff') < MIN_VARIANT_CONTRAST) darkL--;
  const dark = at(darkL);

  let lightL = Math.min(100, base + START_OFFSET);
  while (lightL < 100 && contrastRatio(at(lightL), dark) < MIN_VARIANT_CONTRAST) lightL++;
  return { light: at(lightL), dark };
}
