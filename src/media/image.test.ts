import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { dominantColor } from './image.js';
import { render, useMediaTestContext } from '../../test/helpers/media-fixtures.js';

const media = useMediaTestContext();

const channels = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

describe('dominantColor', () => {
  it('returns the colour of a solid image', async () => {
    const red = await render(media.tools, media.scratch.path('red.png'), ['-f', 'lavfi', '-i', 'color=c=red:s=64x64'], ['-frames:v', '1']);
    const [r, g, b] = channels(await dominantColor(media.tools, red));
    expect(r).toBeGreaterThan(240);
    expect(g).toBeLessThan(16);
    expect(b).toBeLessThan(16);
  });

  it('prefers a small vivid area over a large dull one', async () => {
    const file = await render(media.tools, media.scratch.path('mostly-grey.jpg'), [
      '-f', 'lavfi', '-i', 'color=c=0x8a8580:s=128x128', '-f', 'lavfi', '-i', 'color=c=0x1060f0:s=48x48',
    ], ['-filter_complex', '[0][1]overlay=40:40', '-frames:v', '1']);
    const [r, g, b] = channels(await dominantColor(media.tools, file));
    expect(b).toBeGreaterThan(200);
    expect(r).toBeLessThan(60);
    expect(g).toBeGreaterThan(60);
    expect(g).toBeLessThan(130);
  });

  it('picks a saturated colour out of a test pattern', async () => {
    const file = await render(media.tools, media.scratch.path('testsrc.png'), ['-f', 'lavfi', '-i', 'testsrc=s=320x240'], ['-frames:v', '1']);
    const [r, g, b] = channels(await dominantColor(media.tools, file));
    expect(Math.max(r, g, b) - Math.min(r, g, b)).toBeGreaterThan(150);
  });

  it('returns grey for a colourless image', async () => {
    const file = await render(media.tools, media.scratch.path('grey.png'), ['-f', 'lavfi', '-i', 'color=c=0x808080:s=32x32'], ['-frames:v', '1']);
    const [r, g, b] = channels(await dominantColor(media.tools, file));
    expect(Math.max(r, g, b) - Math.min(r, g, b)).toBeLessThan(4);
    expect(r).toBeGreaterThan(120);
    expect(r).toBeLessThan(136);
  });

  it('rejects a file that is not an image', async () => {
    await writeFile(media.scratch.path('cover.jpg'), 'not a picture');
    await expect(dominantColor(media.tools, media.scratch.path('cover.jpg'))).rejects.toMatchObject({ code: 'not_image', status: 422 });
  });
});
