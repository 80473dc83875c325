/**
 * Integrated loudness per ITU-R BS.1770-4 / EBU R128: K-weighting (high-shelf + high-pass),
 * mean square over 400 ms blocks every 100 ms, an absolute gate at -70 LUFS and a relative
 * gate 10 LU below the loudness of the blocks that passed it.
 *
 * Channels are weighted individually as the standard asks (L, R, C: 1.0; surrounds: 1.41;
 * LFE: excluded), so the meter needs per-channel samples rather than the mono mix: a mono
 * mix of uncorrelated channels would read up to 6 dB low.
 */

const SPEAKER_LFE = 0x8;
const SPEAKER_SURROUND = 0x10 | 0x20 | 0x200 | 0x400; // back L/R, side L/R
const DEFAULT_MASKS: Record<number, number> = { 6: 0x3f, 8: 0x63f }; // 5.1, 7.1 in WAVE order

export class LoudnessMeter {
  private readonly weights: number[];
  private readonly filters: KWeighting[];
  private readonly subBlockLength: number;
  /** Weighted channel energy of each complete 100 ms sub-block. */
  private readonly subBlocks: number[] = [];
  private energy = 0;
  private filled = 0;

  constructor(sampleRate: number, channels: number, channelMask?: number) {
    this.weights = channelWeights(channels, channelMask);
    this.filters = this.weights.map(() => new KWeighting(sampleRate));
    this.subBlockLength = Math.round(sampleRate / 10);
  }

  push(channels: Float32Array[]): void {
    const frames = channels[0]?.length ?? 0;
    let at = 0;
    while (at < frames) {
      const take = Math.min(this.subBlockLength - this.filled, frames - at);
      for (let c = 0; c < this.filters.length; c++) {
        if (this.weights[c] !== 0) this.energy += this.weights[c] * this.filters[c].sumOfSquares(channels[c], at, at + take);
      }
      at += take;
      this.filled += take;
      if (this.filled === this.subBlockLength) {
        this.subBlocks.push(this.energy);
        this.energy = 0;
        this.filled = 0;
      }
    }
  }

  /** LUFS, or null when nothing passes the gates (silence, or shorter than one 400 ms block). */
  integratedLufs(): number | null {
    const blocks: number[] = [];
    const blockLength = 4 * this.subBlockLength;
    for (let i = 0; i + 4 <= this.subBlocks.length; i++) {
      blocks.push((this.subBlocks[i] + this.subBlocks[i + 1] + this.subBlocks[i + 2] + this.subBlocks[i + 3]) / blockLength);
    }
    const absolute = blocks.filter((z) => loudness(z) > -70);
    if (absolute.length === 0) return null;
    const relativeGate = loudness(mean(absolute)) - 10;
    const gated = absolute.filter((z) => loudness(z) > relativeGate);
    return loudness(mean(gated));
  }
}

function loudness(meanSquare: number): number {
  return -0.691 + 10 * Math.log10(meanSquare);
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function channelWeights(channels: number, channelMask?: number): number[] {
  const mask = channelMask ?? DEFAULT_MASKS[channels];
  if (mask === undefined) return Array.from({ length: channels }, () => 1);
  const speakers: number[] = [];
  for (let bit = 1; bit <= 0x20000 && speakers.length < channels; bit <<= 1) if (mask & bit) speakers.push(bit);
  return Array.from({ length: channels }, (_, c) => {
    const speaker = speakers[c];
    if (speaker === SPEAKER_LFE) return 0;
    return speaker !== undefined && speaker & SPEAKER_SURROUND ? 1.41 : 1;
  });
}

/** The two K-weighting biquads for any sample rate (coefficients derived as in libebur128). */
class KWeighting {
  private readonly b: number[];
  private readonly a: number[];
  private z1 = 0;
  private z2 = 0;
  private z3 = 0;
  private z4 = 0;

  constructor(sampleRate: number) {
    let f0 = 1681.974450955533;
    const gain = 3.999843853973347;
    let q = 0.7071752369554196;
    let k = Math.tan((Math.PI * f0) / sampleRate);
    const vh = 10 ** (gain / 20);
    const vb = vh ** 0.4996667741545416;
    let a0 = 1 + k / q + k * k;
    const shelfB = [(vh + (vb * k) / q + k * k) / a0, (2 * (k * k - vh)) / a0, (vh - (vb * k) / q + k * k) / a0];
    const shelfA = [(2 * (k * k - 1)) / a0, (1 - k / q + k * k) / a0];
    f0 = 38.13547087602444;
    q = 0.5003270373238773;
    k = Math.tan((Math.PI * f0) / sampleRate);
    a0 = 1 + k / q + k * k;
    const passA = [(2 * (k * k - 1)) / a0, (1 - k / q + k * k) / a0];
    this.b = shelfB;
    this.a = [...shelfA, ...passA];
  }

  /** Filters samples [from, to) and returns the sum of the squared output. */
  sumOfSquares(x: Float32Array, from: number, to: number): number {
    const [b0, b1, b2] = this.b;
    const [a1, a2, c1, c2] = this.a;
    let { z1, z2, z3, z4 } = this;
    let sum = 0;
    for (let i = from; i < to; i++) {
      // Direct form II transposed: shelf, then the high-pass (numerator 1, -2, 1).
      const s = b0 * x[i] + z1;
      z1 = b1 * x[i] - a1 * s + z2;
      z2 = b2 * x[i] - a2 * s;
      const y = s + z3;
      z3 = -2 * s - c1 * y + z4;
      z4 = s - c2 * y;
      sum += y * y;
    }
    // Flush decaying state in silence to zero: denormal arithmetic is very slow.
    this.z1 = Math.abs(z1) < 1e-30 ? 0 : z1;
    this.z2 = Math.abs(z2) < 1e-30 ? 0 : z2;
    this.z3 = Math.abs(z3) < 1e-30 ? 0 : z3;
    this.z4 = Math.abs(z4) < 1e-30 ? 0 : z4;
    return sum;
  }
}
