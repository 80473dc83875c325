import { open } from 'node:fs/promises';
import { MediaError } from './media-error.js';

/**
 * The container of an uploaded file, told from its first bytes alone. ffmpeg is then told to
 * use exactly that demuxer: left to guess, it would read a playlist (HLS, concat, ffconcat)
 * named `.mp3` and open the server files, URLs or devices it lists.
 */
export type SniffedFormat =
  | 'mp3' | 'aac' | 'wav' | 'rf64' | 'w64' | 'aiff' | 'flac' | 'ogg' | 'mp4' | 'matroska' | 'caf' | 'au' | 'asf';

export interface SniffedContainer {
  format: SniffedFormat;
  /** The ffmpeg demuxer to force with `-f`. */
  demuxer: string;
}

/** Enough to see past an ID3v2 tag's header and the box or chunk headers below. */
export const SNIFF_BYTES = 64;

const DEMUXER: Record<SniffedFormat, string> = {
  mp3: 'mp3', aac: 'aac', wav: 'wav', rf64: 'wav', w64: 'w64', aiff: 'aiff', flac: 'flac', ogg: 'ogg',
  mp4: 'mov', matroska: 'matroska', caf: 'caf', au: 'au', asf: 'asf',
};

const W64_RIFF = Buffer.from('726966662e91cf11a5d628db04c10000', 'hex');
const ASF_HEADER = Buffer.from('3026b2758e66cf11a6d900aa0062ce6c', 'hex');
const EBML = Buffer.from([0x1a, 0x45, 0xdf, 0xa3]);
/** Top-level boxes a QuickTime/MP4 file may open with (old QuickTime files have no ftyp). */
const MP4_BOXES = new Set(['ftyp', 'moov', 'mdat', 'free', 'skip', 'wide', 'pnot']);

const ascii = (b: Buffer, start: number, end: number) => b.subarray(start, end).toString('latin1');
const found = (format: SniffedFormat): SniffedContainer => ({ format, demuxer: DEMUXER[format] });

/** The bytes at `offset` start an ADTS AAC frame: 12-bit sync, layer 00. */
const isAdts = (b: Buffer, o: number) => b.length >= o + 2 && b[o] === 0xff && (b[o + 1] & 0xf6) === 0xf0;

/** An MPEG audio frame header: 11-bit sync, a real version and layer, a usable bitrate and rate. */
function isMpegFrame(b: Buffer, o: number): boolean {
  if (b.length < o + 3 || b[o] !== 0xff || (b[o + 1] & 0xe0) !== 0xe0) return false;
  const version = (b[o + 1] >> 3) & 0x03;
  const layer = (b[o + 1] >> 1) & 0x03;
  const bitrate = b[o + 2] >> 4;
  const rate = (b[o + 2] >> 2) & 0x03;
  return version !== 0x01 && layer !== 0x00 && bitrate !== 0x0f && rate !== 0x03;
}

/** Size of an ID3v2 tag (header included) at the start, or 0; its length is four 7-bit bytes. */
export function id3v2Length(b: Buffer): number {
  if (b.length < 10 || ascii(b, 0, 3) !== 'ID3' || b[3] === 0xff || b[4] === 0xff) return 0;
  if ([6, 7, 8, 9].some((i) => b[i] & 0x80)) return 0;
  const size = (b[6] << 21) | (b[7] << 14) | (b[8] << 7) | b[9];
  const footer = b[5] & 0x10 ? 10 : 0;
  return 10 + size + footer;
}

/**
 * Identifies the audio containers uploads may use; null for anything else (playlists, text,
 * HTML, images, scripts, unknown bytes). `head` starts at byte 0; `afterId3` are the bytes
 * right after a leading ID3v2 tag, when there is one (AAC and FLAC are sometimes tagged so).
 */
export function sniffContainer(head: Buffer, afterId3?: Buffer): SniffedContainer | null {
  if (head.length < 4) return null;
  if (id3v2Length(head) > 0) {
    const next = afterId3 ?? Buffer.alloc(0);
    if (isAdts(next, 0)) return found('aac');
    if (ascii(next, 0, 4) === 'fLaC') return found('flac');
    // The mp3 demuxer skips the tag and any padding to the first frame; a tag in front of
    // anything else simply fails to decode, it never makes ffmpeg open something.
    return found('mp3');
  }
  const id = ascii(head, 0, 4);
  const form = head.length >= 12 ? ascii(head, 8, 12) : '';
  if ((id === 'RIFF' || id === 'RIFX') && form === 'WAVE') return found('wav');
  if ((id === 'RF64' || id === 'BW64') && form === 'WAVE') return found('rf64');
  if (head.length >= 16 && head.subarray(0, 16).equals(W64_RIFF)) return found('w64');
  if (id === 'FORM' && (form === 'AIFF' || form === 'AIFC')) return found('aiff');
  if (id === 'fLaC') return found('flac');
  if (id === 'OggS') return found('ogg');
  if (id === 'caff') return found('caf');
  if (id === '.snd') return found('au');
  if (head.subarray(0, 4).equals(EBML)) return found('matroska');
  if (head.length >= 16 && head.subarray(0, 16).equals(ASF_HEADER)) return found('asf');
  if (head.length >= 8 && MP4_BOXES.has(ascii(head, 4, 8))) return found('mp4');
  if (isAdts(head, 0)) return found('aac');
  if (isMpegFrame(head, 0)) return found('mp3');
  return null;
}

/** What a refused file looks like, for the message only (never its bytes). */
function describeRefused(head: Buffer): string {
  const text = ascii(head, 0, Math.min(head.length, 16)).trimStart();
  if (text.startsWith('#EXTM3U')) return 'a playlist';
  if (/^ffconcat/i.test(text)) return 'a concat script';
  if (/^<(!doctype|html|\?xml|svg)/i.test(text)) return 'markup';
  if (head.length > 0 && head.subarray(0, Math.min(head.length, 64)).every((c) => c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127))) return 'text';
  return 'an unknown format';
}

/**
 * The container of the file at `path` (stored bytes, never a client's file name or content
 * type); throws 422 unsupported_container for anything that is not an accepted audio container.
 */
export async function sniffFile(path: string): Promise<SniffedContainer> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await file.read(head, 0, SNIFF_BYTES, 0);
    const start = head.subarray(0, bytesRead);
    if (bytesRead === 0) throw new MediaError('not_audio', 'the file is empty');
    const tag = id3v2Length(start);
    let afterId3: Buffer | undefined;
    if (tag > 0) {
      const next = Buffer.alloc(4);
      const read = await file.read(next, 0, 4, tag);
      afterId3 = next.subarray(0, read.bytesRead);
    }
    const sniffed = sniffContainer(start, afterId3);
    if (!sniffed) {
      throw new MediaError('unsupported_container', `the file is not in an accepted audio container (it looks like ${describeRefused(start)})`);
    }
    return sniffed;
  } finally {
    await file.close();
  }
}

/**
 * ffmpeg/ffprobe options that read `path` as exactly `container` and nothing else: the forced
 * demuxer cannot be a playlist, and the protocol whitelist lets the input open no other
 * protocol (no http:, concat:, pipe: ...). `file:` keeps a path with a colon from naming a protocol.
 */
export function inputArgs(container: SniffedContainer, path: string): string[] {
  return ['-protocol_whitelist', 'file', '-f', container.demuxer, '-i', `file:${path}`];
}
