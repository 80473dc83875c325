/** BBC audiowaveform's JSON format, version 2; wavesurfer.js reads its `data`. */
export interface AudiowaveformV2 {
  version: 2;
  channels: 1;
  sample_rate: number;
  samples_per_pixel: number;
  bits: 8;
  /** Number of min/max pairs in `data`. */
  length: number;
  data: number[];
}

export const DEFAULT_ZOOM_LEVELS: readonly number[] = [256, 1024, 4096];
export const OVERVIEW_POINTS = 320;

/**
 * Every level is merged from one base level of this many samples per pair, so one pass over
 * the samples serves all zoom levels and the overview (whose width depends on the total
 * length, unknown until the end).
 */
const BASE_SAMPLES = 64;

export interface PeaksOptions {
  /** Samples per pixel of each zoom level; multiples of 64. */
  levels?: readonly number[];
  overviewPoints?: number;
}

export class PeaksBuilder {
  private readonly levels: readonly number[];
  private readonly overviewPoints: number;
  /** Quantized min/max pairs of the base level. */
  private base = new Int8Array(1 << 16);
  private pairs = 0;
  private min = Infinity;
  private max = -Infinity;
  private fill = 0;
  private total = 0;

  constructor(private readonly sampleRate: number, options: PeaksOptions = {}) {
    this.levels = [...(options.levels ?? DEFAULT_ZOOM_LEVELS)].sort((a, b) => a - b);
    this.overviewPoints = options.overviewPoints ?? OVERVIEW_POINTS;
    for (const spp of this.levels) {
      if (!Number.isInteger(spp) || spp <= 0 || spp % BASE_SAMPLES !== 0) {
        throw new RangeError(`samples per pixel must be a positive multiple of ${BASE_SAMPLES}, got ${spp}`);
      }
    }
  }

  push(samples: Float32Array): void {
    const n = samples.length;
    let { min, max, fill } = this;
    let i = 0;
    while (i < n) {
      const end = Math.min(n, i + (BASE_SAMPLES - fill));
      fill += end - i;
      for (; i < end; i++) {
        const s = samples[i];
        if (s < min) min = s;
        if (s > max) max = s;
      }
      if (fill === BASE_SAMPLES) {
        this.emit(min, max);
        min = Infinity;
        max = -Infinity;
        fill = 0;
      }
    }
    this.min = min;
    this.max = max;
    this.fill = fill;
    this.total += n;
  }

  /** One waveform per zoom level, finest first, then the overview. */
  finish(): AudiowaveformV2[] {
    if (this.fill > 0) {
      this.emit(this.min, this.max);
      this.fill = 0;
    }
    return [...this.levels.map((spp) => this.level(spp)), this.overview()];
  }

  private emit(min: number, max: number): void {
    if (this.pairs * 2 === this.base.length) {
      const grown = new Int8Array(this.base.length * 2);
      grown.set(this.base);
      this.base = grown;
    }
    this.base[this.pairs * 2] = quantize(min);
    this.base[this.pairs * 2 + 1] = quantize(max);
    this.pairs++;
  }

  private level(samplesPerPixel: number): AudiowaveformV2 {
    const group = samplesPerPixel / BASE_SAMPLES;
    const length = Math.ceil(this.pairs / group);
    const data = new Array<number>(length * 2);
    for (let p = 0; p < length; p++) this.merge(p * group, Math.min(this.pairs, (p + 1) * group), data, p);
    return this.waveform(samplesPerPixel, data);
  }

  /** Exactly `overviewPoints` pairs: pixel boundaries fall on base pairs, so widths differ by at most one. */
  private overview(): AudiowaveformV2 {
    const points = this.overviewPoints;
    const data = new Array<number>(points * 2).fill(0);
    if (this.pairs > 0) {
      for (let p = 0; p < points; p++) {
        const from = Math.min(this.pairs - 1, Math.floor((p * this.pairs) / points));
        const to = Math.max(from + 1, Math.floor(((p + 1) * this.pairs) / points));
        this.merge(from, to, data, p);
      }
    }
    return this.waveform(Math.max(1, Math.round(this.total / points)), data);
  }

  private merge(from: number, to: number, data: number[], pixel: number): void {
    let min = 127;
    let max = -128;
    for (let j = from; j < to; j++) {
      if (this.base[j * 2] < min) min = this.base[j * 2];
      if (this.base[j * 2 + 1] > max) max = this.base[j * 2 + 1];
    }
    data[pixel * 2] = min;
    data[pixel * 2 + 1] = max;
  }

  private waveform(samplesPerPixel: number, data: number[]): AudiowaveformV2 {
    return {
      version: 2,
      channels: 1,
      sample_rate: this.sampleRate,
      samples_per_pixel: samplesPerPixel,
      bits: 8,
      length: data.length / 2,
      data,
    };
  }
}

/** Same scaling as audiowaveform: a 16-bit value divided by 256, truncated. */
export function quantize(sample: number): number {
  const v = Math.trunc(sample * 128);
  return v > 127 ? 127 : v < -128 ? -128 : v;
}
