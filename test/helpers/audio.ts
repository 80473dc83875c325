import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type ToneFormat = 'wav' | 'mp3' | 'flac' | 'm4a' | 'ogg';

const CODEC_ARGS: Record<ToneFormat, string[]> = {
  wav: ['-c:a', 'pcm_s16le'],
  mp3: ['-c:a', 'libmp3lame', '-b:a', '192k'],
  flac: ['-c:a', 'flac'],
  m4a: ['-c:a', 'aac', '-b:a', '128k'],
  ogg: ['-c:a', 'libvorbis', '-q:a', '4'],
};

/** Writes a stereo test tone (a sine over quiet noise) with ffmpeg and returns its path. */
export function makeTone(opts: { seconds?: number; format?: ToneFormat; frequency?: number; dir?: string; name?: string } = {}): string {
  const seconds = opts.seconds ?? 3;
  const format = opts.format ?? 'wav';
  const dir = opts.dir ?? mkdtempSync(path.join(os.tmpdir(), 'll-audio-'));
  const file = path.join(dir, opts.name ?? `tone-${opts.frequency ?? 440}-${seconds}s.${format}`);
  execFileSync(
    'ffmpeg',
    [
      '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'lavfi', '-i', `sine=frequency=${opts.frequency ?? 440}:duration=${seconds}:sample_rate=44100`,
      '-f', 'lavfi', '-i', `anoisesrc=color=pink:amplitude=0.05:duration=${seconds}:sample_rate=44100`,
      '-filter_complex', '[0:a][1:a]amix=inputs=2:normalize=0,aformat=channel_layouts=stereo',
      ...CODEC_ARGS[format],
      file,
    ],
    { stdio: 'pipe' },
  );
  return file;
}

/** A test tone's bytes. */
export const toneBytes = (opts: Parameters<typeof makeTone>[0] = {}): Buffer => readFileSync(makeTone(opts));

/** A PNG image of one colour, for artwork and cover uploads. */
export function makeImage(opts: { color?: string; size?: number; dir?: string } = {}): Buffer {
  const dir = opts.dir ?? mkdtempSync(path.join(os.tmpdir(), 'll-img-'));
  const file = path.join(dir, `img-${(opts.color ?? 'red').replace('#', '')}.png`);
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `color=c=${opts.color ?? 'red'}:s=${opts.size ?? 64}x${opts.size ?? 64}`, '-frames:v', '1', file], { stdio: 'pipe' });
  return readFileSync(file);
}

/** An MP3 test tone carrying a one-colour PNG as its embedded cover (ID3 APIC). */
export function toneWithArt(opts: { seconds?: number; color?: string } = {}): Buffer {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'll-art-'));
  const tone = makeTone({ seconds: opts.seconds ?? 2, format: 'mp3', dir });
  const art = path.join(dir, 'art.png');
  writeFileSync(art, makeImage({ color: opts.color ?? 'red', dir }));
  const out = path.join(dir, 'with-art.mp3');
  execFileSync(
    'ffmpeg',
    ['-hide_banner', '-loglevel', 'error', '-y', '-i', tone, '-i', art, '-map', '0:a', '-map', '1:v', '-c', 'copy', '-id3v2_version', '3', '-metadata:s:v', 'comment=Cover (front)', '-disposition:v', 'attached_pic', out],
    { stdio: 'pipe' },
  );
  return readFileSync(out);
}

/** Turns an absolute signed URL of the test app into the path+query `app.inject` takes. */
export const injectPath = (url: string): string => {
  const u = new URL(url);
  return u.pathname + u.search;
};
