/**
 * Lowers the sample rate by an integer factor behind a windowed-sinc anti-alias filter, so
 * analysis runs on roughly `targetRate` (11025 Hz from 44.1 kHz, 12000 Hz from 48 kHz).
 */
export class Decimator {
  readonly factor: number;
  readonly outputRate: number;
  private readonly taps: Float64Array;
  private buffer = new Float32Array(0);
  /** Samples of history kept from the previous push. */
  private held = 0;
  /** Index in `buffer` of the next sample to output. */
  private next: number;
  private out = new Float32Array(0);

  constructor(inputRate: number, targetRate: number, private readonly onOutput: (samples: Float32Array) => void) {
    this.factor = Math.max(1, Math.floor(inputRate / targetRate));
    this.outputRate = inputRate / this.factor;
    this.taps = this.factor === 1 ? Float64Array.of(1) : lowPass(12 * this.factor + 1, 0.45 / this.factor);
    this.next = this.taps.length - 1;
  }

  push(samples: Float32Array): void {
    if (this.factor === 1) return this.onOutput(samples);
    const total = this.held + samples.length;
    if (this.buffer.length < total) {
      const grown = new Float32Array(total);
      grown.set(this.buffer.subarray(0, this.held));
      this.buffer = grown;
    }
    this.buffer.set(samples, this.held);
    const { buffer, taps, factor } = this;
    const count = this.next < total ? Math.floor((total - 1 - this.next) / factor) + 1 : 0;
    if (this.out.length < count) this.out = new Float32Array(count);
    const n = taps.length;
    let p = this.next;
    for (let o = 0; o < count; o++, p += factor) {
      let acc = 0;
      for (let k = 0, j = p; k < n; k++, j--) acc += taps[k] * buffer[j];
      this.out[o] = acc;
    }
    // Keep the last n-1 samples as history for the next push.
    const keep = Math.min(total, n - 1);
    buffer.copyWithin(0, total - keep, total);
    this.next = p - (total - keep);
    this.held = keep;
    if (count > 0) this.onOutput(this.out.subarray(0, count));
  }
}

/** Blackman-windowed sinc low-pass; `cutoff` in cycles per sample. */
function lowPass(length: number, cutoff: number): Float64Array {
  const taps = new Float64Array(length);
  const mid = (length - 1) / 2;
  let sum = 0;
  for (let i = 0; i < length; i++) {
    const x = i - mid;
    const sinc = x === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
    const w = 0.42 - 0.5 * Math.cos((2 * Math.PI * i) / (length - 1)) + 0.08 * Math.cos((4 * Math.PI * i) / (length - 1));
    taps[i] = sinc * w;
    sum += taps[i];
  }
  for (let i = 0; i < length; i++) taps[i] /= sum;
  return taps;
}
