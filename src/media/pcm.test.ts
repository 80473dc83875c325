import { readFile, truncate, writeFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMediaTools, type MediaTools } from './ffmpeg.js';
import { parsePcmHeader, type PcmLayout } from './pcm-header.js';
import { decodePcm } from './pcm.js';
import { evalSource, render, useMediaTestContext } from '../../test/helpers/media-fixtures.js';

const media = useMediaTestContext();
// Left and right differ so a wrong channel order or mix shows up.
const stereoSource = ['-f', 'lavfi', '-i', 'aevalsrc=0.6*sin(2*PI*220*t)|0.3*sin(2*PI*330*t):s=44100:d=2'];

async function collect(file: string, using = media.tools) {
  const mono: number[] = [];
  const planar: number[][] = [];
  const info = await decodePcm(using, file, (samples) => samples.forEach((s) => mono.push(s)), {
    onChannels: (channels) => channels.forEach((c, i) => c.forEach((s) => (planar[i] ??= []).push(s))),
  });
  return { info, mono: Float32Array.from(mono), planar };
}

/** The reference: ffmpeg's own decode of the same file to per-channel float. */
async function reference(file: string, channels: number): Promise<Float32Array[]> {
  const { stdout } = await media.tools.run(['-v', 'error', '-i', file, '-f', 'f32le', '-c:a', 'pcm_f32le', '-']);
  const all = new Float32Array(stdout.buffer, stdout.byteOffset, stdout.length / 4);
  return Array.from({ length: channels }, (_, c) => all.filter((_, i) => i % channels === c));
}

describe('direct PCM reading', () => {
  // ffmpeg at /bin/false proves these files never reach a child process.
  let noFfmpeg: MediaTools;
  beforeAll(async () => {
    noFfmpeg = await createMediaTools({ ffmpegPath: '/bin/false', ffprobePath: '/bin/false' });
  });

  it.each([
    ['s16.wav', ['-c:a', 'pcm_s16le']],
    ['s24.wav', ['-c:a', 'pcm_s24le']],
    ['s32.wav', ['-c:a', 'pcm_s32le']],
    ['f32.wav', ['-c:a', 'pcm_f32le']],
    ['s16.aiff', ['-c:a', 'pcm_s16be']],
    ['s24.aiff', ['-c:a', 'pcm_s24be']],
    ['f32.aifc', ['-c:a', 'pcm_f32be', '-f', 'aiff']],
  ])('reads %s without ffmpeg, matching ffmpeg sample for sample', async (name, args) => {
    const file = await render(media.tools, media.scratch.path(name), stereoSource, args);
    const { info, mono, planar } = await collect(file, noFfmpeg);
    expect(info).toMatchObject({ sampleRate: 44100, channels: 2, totalSamples: 88200 });
    const [left, right] = await reference(file, 2);
    expect(planar[0]).toHaveLength(88200);
    for (let i = 0; i < 88200; i += 997) {
      expect(planar[0][i]).toBeCloseTo(left[i], 6);
      expect(planar[1][i]).toBeCloseTo(right[i], 6);
      expect(mono[i]).toBeCloseTo((left[i] + right[i]) / 2, 6);
    }
  });

  it('streams a long file in several chunks', async () => {
    const file = await render(media.tools, media.scratch.path('long.wav'), evalSource('0.5*sin(2*PI*440*t)', 30, 48000), ['-c:a', 'pcm_s16le']);
    let chunks = 0;
    let total = 0;
    let peak = 0;
    const info = await decodePcm(noFfmpeg, file, (samples) => {
      chunks++;
      total += samples.length;
      for (const s of samples) peak = Math.max(peak, Math.abs(s));
    });
    expect(info).toEqual({ sampleRate: 48000, channels: 1, totalSamples: 48000 * 30 });
    expect(total).toBe(48000 * 30);
    expect(chunks).toBeGreaterThan(2);
    expect(peak).toBeGreaterThan(0.49);
    expect(peak).toBeLessThan(0.51);
  });

  it('reads what is there of a truncated file', async () => {
    const file = await render(media.tools, media.scratch.path('cut.wav'), evalSource('0.5*sin(2*PI*440*t)', 2), ['-c:a', 'pcm_s16le']);
    const layout = parsePcmHeader(await readFile(file)) as PcmLayout;
    await truncate(file, layout.dataOffset + 1000 * 2 + 1);
    const { info } = await collect(file, noFfmpeg);
    expect(info.totalSamples).toBe(1000);
  });
});

describe('decoding through ffmpeg', () => {
  it('decodes compressed audio at its native rate with every channel', async () => {
    const file = await render(media.tools, media.scratch.path('stereo.mp3'), stereoSource, ['-ar', '32000', '-b:a', '192k']);
    const { info, mono, planar } = await collect(file);
    expect(info.sampleRate).toBe(32000);
    expect(info.channels).toBe(2);
    expect(info.totalSamples).toBeGreaterThanOrEqual(64000);
    expect(info.totalSamples).toBeLessThan(64000 + 3000);
    const rms = (xs: ArrayLike<number>) => Math.sqrt(Array.from(xs).reduce((a, x) => a + x * x, 0) / xs.length);
    expect(rms(planar[0])).toBeCloseTo(0.6 / Math.SQRT2, 1);
    expect(rms(planar[1])).toBeCloseTo(0.3 / Math.SQRT2, 1);
    expect(mono).toHaveLength(info.totalSamples);

    // Without per-channel output ffmpeg mixes down itself, to the same mean.
    const mixed: number[] = [];
    const mixedInfo = await decodePcm(media.tools, file, (samples) => samples.forEach((s) => mixed.push(s)));
    expect(mixedInfo).toMatchObject({ sampleRate: 32000, channels: 1, totalSamples: info.totalSamples });
    for (let i = 0; i < mixed.length; i += 1009) expect(mixed[i]).toBeCloseTo(mono[i], 5);
  });

  it('rejects what is not audio', async () => {
    const text = media.scratch.path('notes.mp3');
    await writeFile(text, 'these are liner notes, not audio\n'.repeat(100));
    await expect(decodePcm(media.tools, text, () => {})).rejects.toMatchObject({ code: 'unsupported_container', status: 422 });
    const bytes = await readFile(await render(media.tools, media.scratch.path('h.wav'), evalSource('0', 1)));
    await writeFile(media.scratch.path('header-only.wav'), bytes.subarray(0, 30));
    await expect(decodePcm(media.tools, media.scratch.path('header-only.wav'), () => {})).rejects.toMatchObject({ code: 'not_audio' });
  });
});
