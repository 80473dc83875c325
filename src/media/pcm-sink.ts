import type { PcmLayout } from './pcm-header.js';

export type MonoChunkHandler = (samples: Float32Array) => void;
export type PlanarChunkHandler = (channels: Float32Array[]) => void;

/**
 * Turns interleaved PCM bytes of any supported encoding into mono float32 (the mean of all
 * channels) and, when asked, per-channel float32. Input may be
 * split anywhere; a partial frame is carried to the next push. Output arrays are reused, so
 * handlers must copy what they keep.
 */
export class PcmSink {
  private carry = new Uint8Array(0);
  private aligned = new Uint8Array(0);
  private interleaved = new Float32Array(0);
  private mono = new Float32Array(0);
  private planar: Float32Array[] = [];
  frames = 0;

  constructor(
    readonly layout: PcmLayout,
    private readonly onMono: MonoChunkHandler,
    private readonly onPlanar?: PlanarChunkHandler,
  ) {}

  push(bytes: Uint8Array): void {
    const frameBytes = this.layout.bytesPerFrame;
    let input = bytes;
    if (this.carry.length > 0) {
      input = new Uint8Array(this.carry.length + bytes.length);
      input.set(this.carry);
      input.set(bytes, this.carry.length);
    }
    const frames = Math.floor(input.length / frameBytes);
    const used = frames * frameBytes;
    this.carry = input.slice(used);
    if (frames > 0) this.convert(input.subarray(0, used), frames);
  }

  private convert(bytes: Uint8Array, frames: number): void {
    const { channels } = this.layout;
    if (this.mono.length < frames) {
      this.mono = new Float32Array(frames);
      if (channels > 1) this.interleaved = new Float32Array(frames * channels);
      this.planar = this.onPlanar ? Array.from({ length: channels }, () => new Float32Array(frames)) : [];
    }
    const aligned = this.alignedCopy(bytes);
    if (channels > 1 && !this.onPlanar && this.layout.encoding === 'int16' && this.layout.littleEndian) {
      // The usual WAV: mix straight from the integers, skipping the interleaved float copy.
      const mono = this.mono.subarray(0, frames);
      mixInt16(new Int16Array(aligned.buffer, aligned.byteOffset, frames * channels), frames, channels, mono);
      this.frames += frames;
      this.onMono(mono);
      return;
    }
    const interleaved = this.toFloat(aligned, frames * channels);
    let mono = interleaved;
    if (channels > 1) {
      mono = this.mono.subarray(0, frames);
      mixDown(interleaved, frames, channels, mono);
      if (this.onPlanar) deinterleave(interleaved, frames, channels, this.planar);
    }
    this.frames += frames;
    this.onMono(mono);
    if (this.onPlanar) this.onPlanar(channels === 1 ? [mono] : this.planar.map((p) => p.subarray(0, frames)));
  }

  /** Float32 little-endian input (ffmpeg's pipe) is used in place; the rest is converted into scratch. */
  private toFloat(bytes: Uint8Array, count: number): Float32Array {
    const { encoding, littleEndian, channels } = this.layout;
    if (encoding === 'float32' && littleEndian) return new Float32Array(bytes.buffer, bytes.byteOffset, count);
    const out = (channels === 1 ? this.mono : this.interleaved).subarray(0, count);
    toFloat(this.layout, bytes, count, out);
    return out;
  }

  /** Typed-array views need the byte offset aligned to the element size. */
  private alignedCopy(bytes: Uint8Array): Uint8Array {
    if (bytes.byteOffset % 4 === 0) return bytes;
    if (this.aligned.length < bytes.length) this.aligned = new Uint8Array(bytes.length);
    this.aligned.set(bytes);
    return this.aligned.subarray(0, bytes.length);
  }
}

function toFloat(layout: PcmLayout, bytes: Uint8Array, count: number, out: Float32Array): void {
  const { buffer, byteOffset } = bytes;
  const le = layout.littleEndian;
  switch (layout.encoding) {
    case 'int16': {
      if (le) {
        const src = new Int16Array(buffer, byteOffset, count);
        for (let i = 0; i < count; i++) out[i] = src[i] * (1 / 32768);
      } else {
        for (let i = 0, b = 0; i < count; i++, b += 2) out[i] = (((bytes[b] << 24) | (bytes[b + 1] << 16)) >> 16) * (1 / 32768);
      }
      return;
    }
    case 'int24': {
      const [lo, hi] = le ? [0, 2] : [2, 0];
      for (let i = 0, b = 0; i < count; i++, b += 3) {
        out[i] = (((bytes[b + hi] << 24) | (bytes[b + 1] << 16) | (bytes[b + lo] << 8)) >> 8) * (1 / 8388608);
      }
      return;
    }
    case 'int32': {
      if (le) {
        const src = new Int32Array(buffer, byteOffset, count);
        for (let i = 0; i < count; i++) out[i] = src[i] * (1 / 2147483648);
      } else {
        const view = new DataView(buffer, byteOffset, count * 4);
        for (let i = 0; i < count; i++) out[i] = view.getInt32(i * 4, false) * (1 / 2147483648);
      }
      return;
    }
    case 'float32': {
      const view = new DataView(buffer, byteOffset, count * 4);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, le);
    }
  }
}

function mixDown(src: Float32Array, frames: number, channels: number, out: Float32Array): void {
  if (channels === 2) {
    for (let i = 0, j = 0; i < frames; i++, j += 2) out[i] = (src[j] + src[j + 1]) * 0.5;
    return;
  }
  const scale = 1 / channels;
  for (let i = 0, j = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += src[j++];
    out[i] = sum * scale;
  }
}

function mixInt16(src: Int16Array, frames: number, channels: number, out: Float32Array): void {
  const scale = 1 / (32768 * channels);
  if (channels === 2) {
    for (let i = 0, j = 0; i < frames; i++, j += 2) out[i] = (src[j] + src[j + 1]) * scale;
    return;
  }
  for (let i = 0, j = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += src[j++];
    out[i] = sum * scale;
  }
}

function deinterleave(src: Float32Array, frames: number, channels: number, out: Float32Array[]): void {
  for (let c = 0; c < channels; c++) {
    const dst = out[c];
    for (let i = 0, j = c; i < frames; i++, j += channels) dst[i] = src[j];
  }
}
