import type { MediaTools, RunOptions } from './ffmpeg.js';
import { imageInputArgs } from './image-kind.js';
import { isMediaError, MediaError } from './media-error.js';

const THUMB = 64;
const HUE_BINS = 36;
const LEVEL_BINS = 4;

/**
 * The most vibrant colour of an image (artwork accent), as #rrggbb. ffmpeg shrinks the image
 * to a 64x64 RGBA thumbnail; pixels fall into hue/saturation/value bins, each weighted by
 * saturation x value so one vivid area outweighs a larger dull one; the winning bin's mean
 * colour is returned. Images without colour give their mean grey.
 */
export async function dominantColor(tools: MediaTools, imagePath: string, run: Pick<RunOptions, 'signal' | 'timeoutMs'> = {}): Promise<string> {
  let pixels: Buffer;
  const input = await imageInputArgs(imagePath);
  try {
    ({ stdout: pixels } = await tools.run([
      '-nostdin', '-v', 'error', ...input, '-frames:v', '1',
      '-vf', `scale=${THUMB}:${THUMB}:flags=area`, '-pix_fmt', 'rgba', '-f', 'rawvideo', 'pipe:1',
    ], run));
  } catch (err) {
    if (isMediaError(err, 'ffmpeg_failed')) throw new MediaError('not_image', 'the file could not be decoded as an image', { stderr: err.stderr, cause: err });
    throw err;
  }
  if (pixels.length < THUMB * THUMB * 4) throw new MediaError('not_image', 'no picture could be decoded from the file');

  const bins = new Map<number, { weight: number; r: number; g: number; b: number; n: number }>();
  const grey = { r: 0, g: 0, b: 0, n: 0 };
  for (let i = 0; i < THUMB * THUMB * 4; i += 4) {
    if (pixels[i + 3] < 128) continue;
    const [r, g, b] = [pixels[i], pixels[i + 1], pixels[i + 2]];
    grey.r += r;
    grey.g += g;
    grey.b += b;
    grey.n++;
    const { h, s, v } = toHsv(r, g, b);
    const weight = s * v;
    if (weight < 0.05) continue;
    const key = Math.min(HUE_BINS - 1, Math.floor((h / 360) * HUE_BINS)) * LEVEL_BINS ** 2
      + Math.min(LEVEL_BINS - 1, Math.floor(s * LEVEL_BINS)) * LEVEL_BINS
      + Math.min(LEVEL_BINS - 1, Math.floor(v * LEVEL_BINS));
    let bin = bins.get(key);
    if (!bin) bins.set(key, (bin = { weight: 0, r: 0, g: 0, b: 0, n: 0 }));
    bin.weight += weight;
    bin.r += r;
    bin.g += g;
    bin.b += b;
    bin.n++;
  }
  const best = [...bins.values()].sort((a, b) => b.weight - a.weight)[0] ?? grey;
  if (best.n === 0) return '#000000';
  return toHex(best.r / best.n, best.g / best.n, best.b / best.n);
}

/**
 * Variants of an accent for light and dark themes: the same hue and saturation, with HSL
 * lightness moved until the relative luminance (WCAG) reaches a target above or below the
 * original, so even a yellow gets a dark variant that is really dark.
 */
export function deriveColorVariants(hex: string): { light: string; dark: string } {
  const match = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  if (!match) throw new RangeError(`not a #rrggbb colour: ${hex}`);
  const value = parseInt(match[1], 16);
  const [r, g, b] = [(value >> 16) & 255, (value >> 8) & 255, value & 255];
  const { h, s } = toHsl(r, g, b);
  const y = relativeLuminance(r, g, b);
  return {
    light: withLuminance(h, s, Math.min(0.85, Math.max(0.45, y + 0.25))),
    dark: withLuminance(h, s, Math.max(0.01, Math.min(0.05, y - 0.15))),
  };
}

/** The HSL colour of hue `h` and saturation `s` whose relative luminance is `target`. */
function withLuminance(h: number, s: number, target: number): string {
  let [low, high] = [0, 1];
  for (let i = 0; i < 24; i++) {
    const mid = (low + high) / 2;
    const [r, g, b] = fromHsl(h, s, mid);
    if (relativeLuminance(r, g, b) < target) low = mid;
    else high = mid;
  }
  return toHex(...fromHsl(h, s, (low + high) / 2));
}

function relativeLuminance(r: number, g: number, b: number): number {
  const linear = (v: number) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

function toHsv(r: number, g: number, b: number) {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const delta = max - min;
  return { h: hue(r, g, b, max, delta), s: max === 0 ? 0 : delta / max, v: max / 255 };
}

function toHsl(r: number, g: number, b: number) {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const delta = max - min;
  const l = (max + min) / 510;
  const s = delta === 0 ? 0 : delta / 255 / (1 - Math.abs(2 * l - 1));
  return { h: hue(r, g, b, max, delta), s, l };
}

function hue(r: number, g: number, b: number, max: number, delta: number): number {
  if (delta === 0) return 0;
  const h = max === r ? ((g - b) / delta) % 6 : max === g ? (b - r) / delta + 2 : (r - g) / delta + 4;
  return (h * 60 + 360) % 360;
}

function fromHsl(h: number, s: number, l: number): [number, number, number] {
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const x = c * (1 - Math.abs(((h / 60) % 2) - 1));
  const m = l - c / 2;
  const [r, g, b] = h < 60 ? [c, x, 0] : h < 120 ? [x, c, 0] : h < 180 ? [0, c, x] : h < 240 ? [0, x, c] : h < 300 ? [x, 0, c] : [c, 0, x];
  return [(r + m) * 255, (g + m) * 255, (b + m) * 255];
}

function toHex(r: number, g: number, b: number): string {
  return `#${[r, g, b].map((v) => Math.round(Math.min(255, Math.max(0, v))).toString(16).padStart(2, '0')).join('')}`;
}
