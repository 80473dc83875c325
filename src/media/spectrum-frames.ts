import { RealFft } from './fft.js';

/** Magnitudes of bins 0..size/2 of a Hann-windowed frame, plus the frame itself (unwindowed). */
export type FrameHandler = (magnitudes: Float64Array, frame: Float64Array) => void;

/** Cuts a sample stream into overlapping frames and hands each one's spectrum on. */
export class SpectrumFrames {
  private readonly fft: RealFft;
  private readonly window: Float64Array;
  private readonly frame: Float64Array;
  private readonly windowed: Float64Array;
  private readonly magnitudes: Float64Array;
  private filled = 0;

  constructor(readonly size: number, readonly hop: number, private readonly onFrame: FrameHandler) {
    this.fft = new RealFft(size);
    this.window = new Float64Array(size);
    for (let i = 0; i < size; i++) this.window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size);
    this.frame = new Float64Array(size);
    this.windowed = new Float64Array(size);
    this.magnitudes = new Float64Array(size / 2 + 1);
  }

  push(samples: Float32Array): void {
    let i = 0;
    while (i < samples.length) {
      const take = Math.min(this.size - this.filled, samples.length - i);
      for (let k = 0; k < take; k++) this.frame[this.filled + k] = samples[i + k];
      this.filled += take;
      i += take;
      if (this.filled === this.size) {
        this.emit();
        this.frame.copyWithin(0, this.hop);
        this.filled = this.size - this.hop;
      }
    }
  }

  private emit(): void {
    const { windowed, window, frame } = this;
    for (let k = 0; k < this.size; k++) windowed[k] = frame[k] * window[k];
    this.fft.magnitudes(windowed, this.magnitudes);
    this.onFrame(this.magnitudes, frame);
  }
}
