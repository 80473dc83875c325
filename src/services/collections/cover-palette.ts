import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { MediaTools } from '../../media/ffmpeg.js';
import { dominantColor } from '../../media/image.js';
import { imageInputArgs } from '../../media/image-kind.js';
import type { ImageColor } from './presenters/organization.presenter.js';

const SIDE = 32;

/** The image scaled to SIDE x SIDE, as packed RGB bytes. */
async function thumbnailPixels(media: MediaTools, file: string): Promise<Buffer> {
  const { stdout } = await media.run(
    ['-nostdin', '-v', 'error', ...(await imageInputArgs(file)), '-vf', `scale=${SIDE}:${SIDE}:flags=area`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    { timeoutMs: 30_000 },
  );
  return stdout;
}

function hsl(r: number, g: number, b: number): { lightness: number; saturation: number } {
  const [R, G, B] = [r / 255, g / 255, b / 255];
  const max = Math.max(R, G, B);
  const min = Math.min(R, G, B);
  const l = (max + min) / 2;
  const d = max - min;
  return { lightness: l, saturation: d === 0 ? 0 : d / (1 - Math.abs(2 * l - 1)) };
}

const hex = (r: number, g: number, b: number) => '#' + [r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('');
const round3 = (n: number) => Math.round(n * 1000) / 1000;

export interface Palette {
  /** Main colours by area, largest first (AudioDN `theme`). */
  colors: ImageColor[];
  /** The most vibrant colour: the default `player_color`. */
  vibrant: string | null;
}

/** Groups pixels into coarse colour cells and ranks them by the area they cover. */
export function themeColors(pixels: Buffer): ImageColor[] {
  const cells = new Map<number, { r: number; g: number; b: number; n: number }>();
  const count = Math.floor(pixels.length / 3);
  for (let i = 0; i < count; i++) {
    const [r, g, b] = [pixels[i * 3], pixels[i * 3 + 1], pixels[i * 3 + 2]];
    const key = ((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4);
    const cell = cells.get(key) ?? { r: 0, g: 0, b: 0, n: 0 };
    cell.r += r;
    cell.g += g;
    cell.b += b;
    cell.n++;
    cells.set(key, cell);
  }
  return [...cells.values()]
    .sort((a, b) => b.n - a.n)
    .slice(0, 6)
    .map((c) => {
      const [r, g, b] = [c.r / c.n, c.g / c.n, c.b / c.n];
      const { lightness, saturation } = hsl(r, g, b);
      return { hex: hex(r, g, b), area: round3(c.n / count), lightness: round3(lightness), saturation: round3(saturation) };
    });
}

/** The cover's theme colours and its most vibrant colour (media `dominantColor`). */
export async function coverPalette(media: MediaTools, bytes: Buffer, ext: string): Promise<Palette> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'll-cover-'));
  try {
    const file = path.join(dir, `cover.${ext}`);
    await writeFile(file, bytes);
    const vibrant = await dominantColor(media, file, { timeoutMs: 30_000 });
    return { colors: themeColors(await thumbnailPixels(media, file)), vibrant };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
