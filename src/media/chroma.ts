/**
 * Folds spectrum bins into the 12 pitch classes (C = 0). Bins between two semitones are
 * down-weighted since they say little about either.
 */
export class ChromaMap {
  private readonly bins: Int32Array;
  private readonly pitchClasses: Int32Array;
  private readonly weights: Float64Array;

  constructor(sampleRate: number, frameSize: number, minHz = 65, maxHz = 2100) {
    const bins: number[] = [];
    const classes: number[] = [];
    const weights: number[] = [];
    for (let bin = 1; bin <= frameSize / 2; bin++) {
      const hz = (bin * sampleRate) / frameSize;
      if (hz < minHz || hz > Math.min(maxHz, sampleRate / 2)) continue;
      const midi = 69 + 12 * Math.log2(hz / 440);
      const nearest = Math.round(midi);
      bins.push(bin);
      classes.push(((nearest % 12) + 12) % 12);
      weights.push(Math.cos(Math.PI * (midi - nearest)) ** 2);
    }
    this.bins = Int32Array.from(bins);
    this.pitchClasses = Int32Array.from(classes);
    this.weights = Float64Array.from(weights);
  }

  /** Writes the frame's pitch-class power into `out` (12 values) and returns its total. */
  fold(magnitudes: Float64Array, out: Float64Array): number {
    out.fill(0);
    let total = 0;
    for (let i = 0; i < this.bins.length; i++) {
      const m = magnitudes[this.bins[i]];
      const power = m * m * this.weights[i];
      out[this.pitchClasses[i]] += power;
      total += power;
    }
    return total;
  }
}
