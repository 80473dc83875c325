/**
 * True peak per ITU-R BS.1770-4 annex 2: the signal is oversampled 4x with a polyphase
 * low-pass and the largest absolute value of any channel is reported in dBTP.
 */
const PHASES = 4;
const TAPS_PER_PHASE = 12;
const BLOCK = 64;

export class TruePeakMeter {
  private readonly phases: Float64Array[];
  /** Largest gain any phase can apply, to skip blocks that cannot beat the current peak. */
  private readonly maxGain: number;
  private readonly history: Float32Array[];
  private scratch = new Float32Array(0);
  private peak = 0;

  constructor(channels: number) {
    const length = PHASES * TAPS_PER_PHASE;
    const mid = (length - 1) / 2;
    const cutoff = 0.5 / PHASES;
    const prototype = new Float64Array(length);
    for (let i = 0; i < length; i++) {
      const x = i - mid;
      const sinc = Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
      const w = 0.35875 - 0.48829 * Math.cos((2 * Math.PI * (i + 0.5)) / length) + 0.14128 * Math.cos((4 * Math.PI * (i + 0.5)) / length)
        - 0.01168 * Math.cos((6 * Math.PI * (i + 0.5)) / length);
      prototype[i] = PHASES * sinc * w;
    }
    this.phases = Array.from({ length: PHASES }, (_, p) => Float64Array.from({ length: TAPS_PER_PHASE }, (_, k) => prototype[p + PHASES * k]));
    this.maxGain = Math.max(...this.phases.map((h) => h.reduce((a, v) => a + Math.abs(v), 0)));
    this.history = Array.from({ length: channels }, () => new Float32Array(TAPS_PER_PHASE - 1));
  }

  push(channels: Float32Array[]): void {
    channels.forEach((samples, c) => this.pushChannel(samples, this.history[c]));
  }

  /** dBTP, or null for digital silence. */
  truePeakDb(): number | null {
    return this.peak > 0 ? 20 * Math.log10(this.peak) : null;
  }

  private pushChannel(samples: Float32Array, history: Float32Array): void {
    const keep = history.length;
    const total = keep + samples.length;
    if (this.scratch.length < total) this.scratch = new Float32Array(total);
    const x = this.scratch;
    x.set(history);
    x.set(samples, keep);
    let peak = this.peak;
    for (let start = keep; start < total; start += BLOCK) {
      const end = Math.min(total, start + BLOCK);
      let reach = 0;
      for (let i = start - keep; i < end; i++) reach = Math.max(reach, Math.abs(x[i]));
      if (reach * this.maxGain <= peak) continue;
      for (const h of this.phases) {
        for (let n = start; n < end; n++) {
          let acc = 0;
          for (let k = 0; k < TAPS_PER_PHASE; k++) acc += h[k] * x[n - k];
          if (acc > peak) peak = acc;
          else if (-acc > peak) peak = -acc;
        }
      }
    }
    this.peak = peak;
    history.set(x.subarray(total - keep, total));
  }
}
