import { access, readFile, writeFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MediaTools } from './ffmpeg.js';
import { decodePcm } from './pcm.js';
import { probeAudio } from './probe.js';
import { transcode, type PlaybackCodec } from './transcode.js';
import { render, useMediaTestContext } from '../../test/helpers/media-fixtures.js';

const media = useMediaTestContext();
let source: string;

beforeAll(async () => {
  source = await render(media.tools, media.scratch.path('source.wav'), ['-f', 'lavfi', '-i', 'aevalsrc=0.5*sin(2*PI*440*t)|0.5*sin(2*PI*660*t):s=44100:d=6']);
});

describe('transcode', () => {
  it.each([
    ['aac', 'aac', 'audio/mp4', 'm4a'],
    ['mp3', 'mp3', 'audio/mpeg', 'mp3'],
    ['ogg', 'vorbis', 'audio/ogg', 'ogg'],
    ['opus', 'opus', 'audio/ogg', 'opus'],
  ] as const)('encodes %s that probes back as %s', async (codec: PlaybackCodec, probedCodec, mimeType, extension) => {
    const output = media.scratch.path(`out.${extension}`);
    const result = await transcode(media.tools, source, output, { codec, bitrateKbps: 96 });
    expect(result).toMatchObject({ output, mimeType, extension });
    const probe = await probeAudio(media.tools, output);
    expect(probe.codec).toBe(probedCodec);
    expect(probe.channels).toBe(2);
    expect(result.fileSize).toBe(probe.fileSize);
    expect(Math.abs(result.durationMs - 6000)).toBeLessThan(150);
    expect(Math.abs(probe.bitrate - 96_000)).toBeLessThan(40_000);
  });

  it('writes AAC with the index first so playback can start before the download ends', async () => {
    const output = media.scratch.path('faststart.m4a');
    await transcode(media.tools, source, output, { codec: 'aac', bitrateKbps: 128, channels: 1, sampleRate: 22050 });
    const bytes = await readFile(output);
    expect(bytes.indexOf('moov')).toBeLessThan(bytes.indexOf('mdat'));
    const probe = await probeAudio(media.tools, output);
    expect(probe).toMatchObject({ sampleRate: 22050, channels: 1 });
  });

  it('cuts a preview clip with fades at both ends', async () => {
    const output = media.scratch.path('preview.mp3');
    const result = await transcode(media.tools, source, output, { codec: 'mp3', bitrateKbps: 128, startSec: 2, durationSec: 3 });
    expect(Math.abs(result.durationMs - 3000)).toBeLessThan(100);
    const samples: number[] = [];
    await decodePcm(media.tools, output, (chunk) => chunk.forEach((s) => samples.push(s)));
    const rms = (from: number, to: number) => Math.sqrt(samples.slice(from, to).reduce((a, x) => a + x * x, 0) / (to - from));
    const rate = 44100;
    const middle = rms(rate, 2 * rate);
    // The decoder's priming delay sits before the audio; look just past it.
    expect(rms(2000, 2000 + rate / 50)).toBeLessThan(middle / 4);
    expect(rms(samples.length - 2000 - rate / 50, samples.length - 2000)).toBeLessThan(middle / 4);
    expect(middle).toBeGreaterThan(0.2);
  });

  it('leaves nothing behind when encoding fails', async () => {
    const output = media.scratch.path('never.opus');
    // libopus refuses 44.1 kHz: an encoder failure, not the input's fault.
    await expect(transcode(media.tools, source, output, { codec: 'opus', bitrateKbps: 64, sampleRate: 44100 })).rejects.toMatchObject({ code: 'ffmpeg_failed' });
    await expect(access(output)).rejects.toThrow();
  });

  it('blames input that is not audio, so nobody retries it', async () => {
    const text = media.scratch.path('lyrics.wav');
    await writeFile(text, 'la la la\n'.repeat(200));
    await expect(transcode(media.tools, text, media.scratch.path('never.mp3'), { codec: 'mp3', bitrateKbps: 64 })).rejects.toMatchObject({ code: 'unsupported_container', status: 422 });
    await expect(access(media.scratch.path('never.mp3'))).rejects.toThrow();
  });
});
