/**
 * Radix-2 FFT of real input: a complex FFT of half the size over even/odd sample pairs,
 * then one split pass, which halves the work of transforming real frames.
 */
export class RealFft {
  private readonly half: number;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly reversed: Uint32Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;

  constructor(readonly size: number) {
    if (size < 4 || (size & (size - 1)) !== 0) throw new RangeError(`FFT size must be a power of two >= 4, got ${size}`);
    const half = (this.half = size / 2);
    // Twiddles for the full size; the half-size transform uses every other one.
    this.cos = new Float64Array(half);
    this.sin = new Float64Array(half);
    for (let i = 0; i < half; i++) {
      this.cos[i] = Math.cos((2 * Math.PI * i) / size);
      this.sin[i] = -Math.sin((2 * Math.PI * i) / size);
    }
    this.reversed = new Uint32Array(half);
    const bits = Math.log2(half);
    for (let i = 0; i < half; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.reversed[i] = r;
    }
    this.re = new Float64Array(half);
    this.im = new Float64Array(half);
  }

  /** Magnitudes of bins 0..size/2 of `input` (length `size`) into `out` (length size/2 + 1). */
  magnitudes(input: Float64Array, out: Float64Array): void {
    const { half, re, im, cos, sin } = this;
    for (let i = 0; i < half; i++) {
      const j = this.reversed[i];
      re[j] = input[2 * i];
      im[j] = input[2 * i + 1];
    }
    for (let len = 2; len <= half; len <<= 1) {
      const span = len >> 1;
      const step = ((2 * half) / len) | 0;
      for (let start = 0; start < half; start += len) {
        for (let k = 0, t = 0; k < span; k++, t += step) {
          const a = start + k;
          const b = a + span;
          const wr = cos[t];
          const wi = sin[t];
          const xr = re[b] * wr - im[b] * wi;
          const xi = re[b] * wi + im[b] * wr;
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] += xr;
          im[a] += xi;
        }
      }
    }
    out[0] = Math.abs(re[0] + im[0]);
    out[half] = Math.abs(re[0] - im[0]);
    for (let k = 1; k < half; k++) {
      const zr = re[k];
      const zi = im[k];
      const cr = re[half - k];
      const ci = -im[half - k];
      // Even part (Z[k] + conj Z[N/2-k]) / 2 and odd part (Z[k] - conj Z[N/2-k]) / 2i, recombined.
      const er = (zr + cr) / 2;
      const ei = (zi + ci) / 2;
      const or = (zi - ci) / 2;
      const oi = -(zr - cr) / 2;
      const xr = er + cos[k] * or - sin[k] * oi;
      const xi = ei + cos[k] * oi + sin[k] * or;
      out[k] = Math.sqrt(xr * xr + xi * xi);
    }
  }
}
