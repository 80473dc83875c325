import { readFile, truncate, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { MediaTools } from './ffmpeg.js';
import { probeAudio } from './probe.js';
import { evalSource, render, useMediaTestContext } from '../../test/helpers/media-fixtures.js';

const media = useMediaTestContext();
const tone = (seconds: number, rate = 44100) => evalSource('0.5*sin(2*PI*440*t)', seconds, rate);

/** Deterministic noise bytes (xorshift32), so a failure can be replayed. */
function randomBytes(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

describe('probeAudio', () => {
  it('reads format, tags and cover art of a tagged MP3', async () => {
    const cover = await render(media.tools, media.scratch.path('cover.png'), ['-f', 'lavfi', '-i', 'color=c=red:s=32x32'], ['-frames:v', '1']);
    const file = await render(media.tools, media.scratch.path('tagged.mp3'), [...tone(3), '-i', cover], [
      '-map', '0:a', '-map', '1:v', '-c:a', 'libmp3lame', '-b:a', '128k', '-ac', '2', '-c:v', 'copy',
      '-disposition:v', 'attached_pic', '-id3v2_version', '3',
      '-metadata', 'title=Night Drive', '-metadata', 'artist=Lumen', '-metadata', 'album=Roads',
      '-metadata', 'TSRC=USRC17607839', '-metadata', 'lyrics-eng=first line', '-metadata', 'TBPM=121',
      '-metadata', 'TKEY=Am', '-metadata', 'genre=Synthwave',
    ]);
    const probe = await probeAudio(media.tools, file);
    expect(probe).toMatchObject({ codec: 'mp3', container: 'mpeg', mimeType: 'audio/mpeg', sampleRate: 44100, channels: 2, bitrate: 128000 });
    expect(probe.durationMs).toBeGreaterThan(2990);
    expect(probe.durationMs).toBeLessThan(3100);
    expect(probe.tags).toEqual({
      title: 'Night Drive', artist: 'Lumen', album: 'Roads', isrc: 'USRC17607839',
      lyrics: 'first line', bpm: 121, key: 'Am', genre: 'Synthwave',
    });
    expect(probe.artwork?.mimeType).toBe('image/png');
    expect(probe.artwork?.data.subarray(1, 4).toString()).toBe('PNG');
    expect(probe.fileSize).toBe((await readFile(file)).length);
  });

  it.each([
    ['a.wav', ['-c:a', 'pcm_s24le', '-ac', '2'], { codec: 'pcm_s24le', container: 'wav', mimeType: 'audio/wav', channels: 2, bitrate: 44100 * 24 * 2 }],
    ['a.aiff', ['-c:a', 'pcm_s16be'], { codec: 'pcm_s16be', container: 'aiff', mimeType: 'audio/aiff', channels: 1 }],
    ['a.flac', [], { codec: 'flac', container: 'flac', mimeType: 'audio/flac', channels: 1 }],
    ['a.m4a', ['-c:a', 'aac', '-b:a', '96k'], { codec: 'aac', container: 'mp4', mimeType: 'audio/mp4', channels: 1 }],
    ['a.ogg', ['-c:a', 'libvorbis'], { codec: 'vorbis', container: 'ogg', mimeType: 'audio/ogg', channels: 1 }],
    ['a.opus', ['-c:a', 'libopus'], { codec: 'opus', container: 'ogg', sampleRate: 48000 }],
    ['a.caf', [], { codec: 'pcm_s16be', container: 'caf', channels: 1 }],
  ])('describes %s', async (name, args, expected) => {
    const file = await render(media.tools, media.scratch.path(name), tone(2), args as string[]);
    const probe = await probeAudio(media.tools, file);
    expect(probe).toMatchObject(expected);
    expect(probe.durationMs).toBeGreaterThanOrEqual(1990);
    expect(probe.durationMs).toBeLessThan(2100);
    expect(probe.bitrate).toBeGreaterThan(0);
  });

  it('probes truncated audio that still decodes', async () => {
    const wav = await render(media.tools, media.scratch.path('cut.wav'), tone(4, 8000), ['-c:a', 'pcm_s16le']);
    await truncate(wav, (await readFile(wav)).length - 8000 * 2 * 2);
    expect((await probeAudio(media.tools, wav)).durationMs).toBe(2000);

    const mp3 = await render(media.tools, media.scratch.path('cut.mp3'), tone(4), ['-b:a', '128k']);
    await truncate(mp3, Math.floor((await readFile(mp3)).length / 2));
    const probe = await probeAudio(media.tools, mp3);
    expect(probe.codec).toBe('mp3');
    expect(probe.durationMs).toBeGreaterThan(1000);
  });

  describe('rejects what is not decodable audio', () => {
    it.each([
      ['text renamed .mp3', 'notes.mp3', () => Buffer.from('Verse 1\nthese are lyrics, not audio\n'.repeat(50))],
      ['an empty file', 'empty.mp3', () => Buffer.alloc(0)],
      ['random bytes named .mp3', 'noise-1.mp3', () => randomBytes(200_000, 1)],
      ['more random bytes named .mp3', 'noise-2.mp3', () => randomBytes(150_000, 2)],
      ['random bytes named .m4a', 'noise-3.m4a', () => randomBytes(100_000, 3)],
      ['random bytes named .aac', 'noise-4.aac', () => randomBytes(120_000, 4)],
    ])('%s', async (_label, name, bytes) => {
      await writeFile(media.scratch.path(name), bytes());
      const err = await probeAudio(media.tools, media.scratch.path(name)).catch((e: unknown) => e);
      // Unrecognised bytes stop at the container check; bytes that happen to look like frames, at decoding.
      expect(err).toMatchObject({ name: 'MediaError', code: expect.stringMatching(/^(not_audio|unsupported_container)$/), status: 422 });
      expect((err as Error).message).toMatch(/empty|not audio|no decodable audio|not in an accepted audio container/);
    });

    it('a WAV whose header is cut short', async () => {
      const wav = await readFile(await render(media.tools, media.scratch.path('whole.wav'), tone(1)));
      await writeFile(media.scratch.path('short.wav'), wav.subarray(0, 30));
      await expect(probeAudio(media.tools, media.scratch.path('short.wav'))).rejects.toMatchObject({ code: 'not_audio' });
    });
  });
});
