import type { TestApp } from '../../helpers/app.js';
import { toneBytes } from '../../helpers/audio.js';
import { multipart } from './multipart.js';

export type Headers = Record<string, string>;

let tone: Buffer | undefined;
/** One short MP3 tone shared by a test file (ffmpeg runs once). */
export const mp3 = (): Buffer => (tone ??= toneBytes({ seconds: 2, format: 'mp3' }));
let master: Buffer | undefined;
/** A short 44.1 kHz, 16-bit WAV: a master a release can be submitted with. */
export const wav = (): Buffer => (master ??= toneBytes({ seconds: 1, format: 'wav' }));

let isrcs = 0;
/** An ISRC no other fixture in this process hands out. */
export const freshIsrc = (): string => `QZFX1${String(process.pid % 100).padStart(2, '0')}${String(++isrcs).padStart(5, '0')}`;

export async function createRelease(t: TestApp, h: Headers, body: Record<string, unknown> = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/releases',
    headers: h,
    payload: { title: 'Summer Vibes', displayArtist: 'The Wave Collective', artists: { 'The Wave Collective': 'primary' }, format: 'Single', type: 'Audio', releaseDate: '2025-06-01', ...body },
  });
  if (res.statusCode !== 201) throw new Error(`create release answered ${res.statusCode}: ${res.body}`);
  return res.json().data as { id: string; status: string; tracks: Array<{ id: string; trackNumber: number; assetId: string | null }> };
}

export async function uploadTrackFile(t: TestApp, h: Headers, releaseId: string, trackId: string, file = mp3(), opts: { filename?: string; contentType?: string } = {}) {
  const mp = multipart([['file', { file, filename: opts.filename ?? 'track.mp3', contentType: opts.contentType ?? 'audio/mpeg' }]]);
  return t.app.inject({ method: 'POST', url: `/releases/${releaseId}/tracks/${trackId}/media/file`, headers: { ...h, ...mp.headers }, payload: mp.payload });
}

export const tracksOf = (n: number) => Array.from({ length: n }, (_, i) => ({ title: `Track ${i + 1}`, displayArtist: 'The Wave Collective' }));
