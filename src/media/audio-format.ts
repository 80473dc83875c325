import type { PcmLayout } from './pcm-header.js';

/**
 * One vocabulary for containers and codecs, whichever parser saw the file: music-metadata says
 * "MPEG 1 Layer 3" and "M4A/isom/iso2" where ffprobe says "mp3" and "mov,mp4,m4a,3gp,3g2,mj2".
 * Codec names follow ffmpeg's.
 */

export function containerFromMusicMetadata(container: string): string {
  const c = container.toLowerCase();
  if (c === 'mpeg') return 'mpeg';
  if (c.startsWith('adts')) return 'adts';
  if (c.startsWith('m4a') || c.startsWith('mp4') || c.includes('isom') || c.startsWith('qt')) return 'mp4';
  if (c === 'wave') return 'wav';
  if (c.startsWith('aiff')) return 'aiff';
  if (c.includes('webm')) return 'webm';
  if (c.includes('matroska')) return 'matroska';
  return c;
}

export function containerFromFfprobe(formatName: string): string {
  const names = formatName.toLowerCase().split(',');
  if (names.includes('mp3')) return 'mpeg';
  if (names.includes('aac')) return 'adts';
  if (names.includes('mp4') || names.includes('mov')) return 'mp4';
  if (names.includes('webm')) return 'webm';
  if (names.includes('matroska')) return 'matroska';
  return names[0];
}

export function codecFromMusicMetadata(codec: string): string {
  const c = codec.toLowerCase();
  const layer = /layer\s*([123])/.exec(c);
  if (c.startsWith('mpeg') && layer) return `mp${layer[1]}`;
  for (const known of ['aac', 'vorbis', 'opus', 'flac', 'alac', 'ac-3', 'wma']) if (c.includes(known)) return known.replace('-', '');
  return c;
}

export function codecFromPcmLayout(layout: Pick<PcmLayout, 'encoding' | 'littleEndian'>): string {
  const short = { int16: 's16', int24: 's24', int32: 's32', float32: 'f32' }[layout.encoding];
  return `pcm_${short}${layout.littleEndian ? 'le' : 'be'}`;
}

const MIME_BY_CONTAINER: Record<string, string> = {
  mpeg: 'audio/mpeg',
  adts: 'audio/aac',
  mp4: 'audio/mp4',
  ogg: 'audio/ogg',
  flac: 'audio/flac',
  wav: 'audio/wav',
  aiff: 'audio/aiff',
  webm: 'audio/webm',
  matroska: 'audio/x-matroska',
};

export function mimeTypeFor(container: string): string {
  return MIME_BY_CONTAINER[container] ?? 'application/octet-stream';
}

/**
 * Where music-metadata's account of the stream needs ffprobe's second opinion: formats found by
 * scanning for frame sync words (it finds "frames" in random bytes named .mp3), and MP4, whose
 * sample entry states two channels whatever the stream holds.
 */
export function needsSecondOpinion(container: string): boolean {
  return container === 'mpeg' || container === 'adts' || container === 'mp4';
}
