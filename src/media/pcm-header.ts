/**
 * RIFF/WAVE and AIFF/AIFC headers of uncompressed PCM, parsed from the first bytes of a
 * file or of ffmpeg's `-f wav` output. Anything else (compressed WAV, RF64, 8-bit) yields
 * null and goes through ffmpeg instead.
 */
export type SampleEncoding = 'int16' | 'int24' | 'int32' | 'float32';

export interface PcmLayout {
  container: 'wav' | 'aiff';
  encoding: SampleEncoding;
  littleEndian: boolean;
  channels: number;
  sampleRate: number;
  /** WAVE_FORMAT_EXTENSIBLE speaker mask, when the header carries one. */
  channelMask?: number;
  bytesPerFrame: number;
  dataOffset: number;
  /** As declared; streamed and unfinished files declare nonsense, so readers clamp it. */
  declaredDataBytes: number;
}

/** More bytes are needed: at least `needBytes` from the start. */
export interface NeedMore {
  needBytes: number;
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

export function parsePcmHeader(buf: Uint8Array): PcmLayout | NeedMore | null {
  if (buf.length < 12) return { needBytes: 12 };
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const id = fourCC(buf, 0);
  const form = fourCC(buf, 8);
  if (id === 'RIFF' && form === 'WAVE') return parseWav(buf, view);
  if (id === 'FORM' && (form === 'AIFF' || form === 'AIFC')) return parseAiff(buf, view, form === 'AIFC');
  return null;
}

export function isNeedMore(value: PcmLayout | NeedMore | null): value is NeedMore {
  return value !== null && 'needBytes' in value;
}

function parseWav(buf: Uint8Array, view: DataView): PcmLayout | NeedMore | null {
  let format: Omit<PcmLayout, 'dataOffset' | 'declaredDataBytes' | 'container'> | null = null;
  let offset = 12;
  for (;;) {
    if (offset + 8 > buf.length) return { needBytes: offset + 8 };
    const chunk = fourCC(buf, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (chunk === 'data') {
      return format ? { container: 'wav', ...format, dataOffset: body, declaredDataBytes: size } : null;
    }
    if (chunk === 'fmt ') {
      if (body + Math.min(size, 40) > buf.length) return { needBytes: body + Math.min(size, 40) };
      format = wavFormat(view, body, size);
      if (!format) return null;
    }
    offset = body + size + (size & 1);
  }
}

function wavFormat(view: DataView, at: number, size: number) {
  if (size < 16) return null;
  let tag = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const sampleRate = view.getUint32(at + 4, true);
  const bits = view.getUint16(at + 14, true);
  let channelMask: number | undefined;
  if (tag === WAVE_FORMAT_EXTENSIBLE) {
    if (size < 40) return null;
    channelMask = view.getUint32(at + 20, true);
    tag = view.getUint16(at + 24, true);
  }
  const encoding = tag === WAVE_FORMAT_PCM ? intEncoding(bits) : tag === WAVE_FORMAT_IEEE_FLOAT && bits === 32 ? 'float32' : null;
  if (!encoding || channels === 0 || sampleRate === 0) return null;
  return { encoding, littleEndian: true, channels, sampleRate, channelMask, bytesPerFrame: channels * (bits / 8) };
}

function parseAiff(buf: Uint8Array, view: DataView, compressed: boolean): PcmLayout | NeedMore | null {
  let format: Omit<PcmLayout, 'dataOffset' | 'declaredDataBytes' | 'container'> | null = null;
  let offset = 12;
  for (;;) {
    if (offset + 8 > buf.length) return { needBytes: offset + 8 };
    const chunk = fourCC(buf, offset);
    const size = view.getUint32(offset + 4, false);
    const body = offset + 8;
    if (chunk === 'COMM') {
      if (body + 22 > buf.length) return { needBytes: body + 22 };
      format = aiffFormat(buf, view, body, compressed);
      if (!format) return null;
    } else if (chunk === 'SSND') {
      if (body + 8 > buf.length) return { needBytes: body + 8 };
      if (!format) return null;
      const skip = view.getUint32(body, false);
      return { container: 'aiff', ...format, dataOffset: body + 8 + skip, declaredDataBytes: Math.max(0, size - 8 - skip) };
    }
    offset = body + size + (size & 1);
  }
}

function aiffFormat(buf: Uint8Array, view: DataView, at: number, compressed: boolean) {
  const channels = view.getUint16(at, false);
  const bits = view.getUint16(at + 6, false);
  const sampleRate = Math.round(readExtended(view, at + 8));
  const compression = compressed ? fourCC(buf, at + 18) : 'NONE';
  let encoding: SampleEncoding | null = null;
  let littleEndian = false;
  if (compression === 'NONE' || compression === 'twos') encoding = intEncoding(bits);
  else if (compression === 'sowt') [encoding, littleEndian] = [intEncoding(bits), true];
  else if ((compression === 'fl32' || compression === 'FL32') && bits === 32) encoding = 'float32';
  if (!encoding || channels === 0 || !(sampleRate > 0)) return null;
  return { encoding, littleEndian, channels, sampleRate, bytesPerFrame: channels * (bits / 8) };
}

function intEncoding(bits: number): SampleEncoding | null {
  return bits === 16 ? 'int16' : bits === 24 ? 'int24' : bits === 32 ? 'int32' : null;
}

/** IEEE 754 80-bit extended, big-endian: AIFF's sample rate field. */
function readExtended(view: DataView, at: number): number {
  const exponent = view.getUint16(at, false) & 0x7fff;
  const hi = view.getUint32(at + 2, false);
  const lo = view.getUint32(at + 6, false);
  if (exponent === 0 && hi === 0 && lo === 0) return 0;
  return (hi * 2 ** 32 + lo) * 2 ** (exponent - 16383 - 63);
}

function fourCC(buf: Uint8Array, at: number): string {
  return String.fromCharCode(buf[at], buf[at + 1], buf[at + 2], buf[at + 3]);
}
