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

function toHsv(r: number, g: number, b: number) {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const delta = max - min;
  return { h: hue(r, g, b, max, delta), s: max === 0 ? 0 : delta / max, v: max / 255 };
}

function hue(r: number, g: number, b: number, max: number, delta: number): number {
  if (delta === 0) return 0;
  const h = max === r ? ((g - b) / delta) % 6 : max === g ? (b - r) / delta + 2 : (r - g) / delta + 4;
  return (h * 60 + 360) % 360;
}

function toHex(r: number, g: number, b: number): string {
  return `#${[r, g, b].map((v) => Math.round(Math.min(255, Math.max(0, v))).toString(16).padStart(2, '0')).join('')}`;
}
