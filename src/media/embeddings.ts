import { ChromaMap } from './chroma.js';
import { SpectrumFrames } from './spectrum-frames.js';

/**
 * A 64-value, L2-normalised timbre and harmony fingerprint for "sounds like" search. Layout
 * (mean and standard deviation over all frames, each scaled to roughly unit range):
 *   0-12  MFCC 0..12 means        13-25 MFCC 0..12 deviations
 *   26-37 chroma means (C..B)
 *   38-49 mean, deviation of: spectral centroid, 85% roll-off, flux, flatness, RMS (dB), zero-crossing rate
 *   50-56 octave-band energy (40 Hz..5.1 kHz, dB below total) means   57-63 their deviations
 * Only content below 5 kHz is used, so files at different sample rates compare alike.
 */
export const EMBEDDING_LENGTH = 64;

const FRAME = 1024;
const HOP = 512;
const TOP_HZ = 5000;
const MEL_BANDS = 26;
const MFCCS = 13;
const OCTAVE_EDGES = [40, 80, 160, 320, 640, 1280, 2560, 5120];
const SCALAR_FEATURES = 6;
const PER_FRAME = MFCCS + 12 + SCALAR_FEATURES + OCTAVE_EDGES.length - 1;
const EPSILON = 1e-10;

export class EmbeddingBuilder {
  private readonly frames: SpectrumFrames;
  private readonly chroma: ChromaMap;
  private readonly melFilters: Array<{ first: number; weights: Float64Array }>;
  private readonly topBin: number;
  private readonly binHz: number;
  private readonly features = new Float64Array(PER_FRAME);
  private readonly sums = new Float64Array(PER_FRAME);
  private readonly squares = new Float64Array(PER_FRAME);
  private readonly previous = new Float64Array(FRAME / 2 + 1);
  private readonly scratch = new Float64Array(Math.max(MEL_BANDS, 12));
  private count = 0;

  constructor(private readonly sampleRate: number) {
    this.frames = new SpectrumFrames(FRAME, HOP, (magnitudes, frame) => this.onFrame(magnitudes, frame));
    this.chroma = new ChromaMap(sampleRate, FRAME);
    this.binHz = sampleRate / FRAME;
    this.topBin = Math.min(FRAME / 2, Math.floor(Math.min(TOP_HZ, 0.95 * (sampleRate / 2)) / this.binHz));
    this.melFilters = melFilterbank(this.binHz, OCTAVE_EDGES[0], this.topBin * this.binHz);
  }

  push(samples: Float32Array): void {
    this.frames.push(samples);
  }

  result(): number[] {
    const n = Math.max(1, this.count);
    const mean = Array.from(this.sums, (s) => s / n);
    const std = Array.from(this.squares, (q, i) => Math.sqrt(Math.max(0, q / n - mean[i] ** 2)));
    const mfcc = (values: number[], scale: number) => values.slice(0, MFCCS).map((v, i) => v / (i === 0 ? 5 * scale : scale));
    const at = MFCCS + 12;
    const scalarScales = [TOP_HZ, TOP_HZ, 1, 1, 60, TOP_HZ];
    const scalars = scalarScales.flatMap((scale, i) => [mean[at + i] / scale, std[at + i] / scale]);
    const bands = at + SCALAR_FEATURES;
    const vector = [
      ...mfcc(mean, 20),
      ...mfcc(std, 10),
      ...mean.slice(MFCCS, at).map((v) => 3 * v),
      ...scalars,
      ...mean.slice(bands).map((v) => v / 30),
      ...std.slice(bands).map((v) => v / 30),
    ];
    const norm = Math.hypot(...vector);
    return this.count === 0 || norm === 0 ? vector.map(() => 0) : vector.map((v) => v / norm);
  }

  private onFrame(magnitudes: Float64Array, frame: Float64Array): void {
    const f = this.features;
    const top = this.topBin;
    let total = 0;
    let weighted = 0;
    let logSum = 0;
    let flux = 0;
    for (let k = 1; k <= top; k++) {
      const power = magnitudes[k] * magnitudes[k];
      total += power;
      weighted += power * k * this.binHz;
      logSum += Math.log(power + EPSILON);
    }
    const norm = Math.sqrt(total) + EPSILON;
    let cumulative = 0;
    let rolloff = 0;
    for (let k = 1; k <= top; k++) {
      const power = magnitudes[k] * magnitudes[k];
      cumulative += power;
      if (!rolloff && cumulative >= 0.85 * total) rolloff = k * this.binHz;
      const normalized = magnitudes[k] / norm;
      flux += (normalized - this.previous[k]) ** 2;
      this.previous[k] = normalized;
    }

    // MFCC: DCT-II of the log mel energies.
    const mel = this.scratch;
    this.melFilters.forEach(({ first, weights }, b) => {
      let energy = 0;
      for (let j = 0; j < weights.length; j++) energy += weights[j] * magnitudes[first + j] ** 2;
      mel[b] = Math.log(energy + EPSILON);
    });
    for (let c = 0; c < MFCCS; c++) {
      let acc = 0;
      for (let b = 0; b < MEL_BANDS; b++) acc += mel[b] * Math.cos((Math.PI * c * (b + 0.5)) / MEL_BANDS);
      f[c] = acc * Math.sqrt((c === 0 ? 1 : 2) / MEL_BANDS);
    }

    const chromaTotal = this.chroma.fold(magnitudes, this.scratch);
    for (let pc = 0; pc < 12; pc++) f[MFCCS + pc] = chromaTotal > EPSILON ? this.scratch[pc] / chromaTotal : 0;

    let squares = 0;
    let crossings = 0;
    for (let i = 0; i < frame.length; i++) {
      squares += frame[i] * frame[i];
      if (i > 0 && frame[i] >= 0 !== frame[i - 1] >= 0) crossings++;
    }
    const s = MFCCS + 12;
    f[s] = total > EPSILON ? weighted / total : 0;
    f[s + 1] = rolloff;
    f[s + 2] = Math.sqrt(flux);
    f[s + 3] = total > EPSILON ? Math.exp(logSum / top) / (total / top) : 0;
    f[s + 4] = 10 * Math.log10(squares / frame.length + EPSILON);
    f[s + 5] = (crossings * this.sampleRate) / (2 * frame.length);

    for (let b = 0; b + 1 < OCTAVE_EDGES.length; b++) {
      let energy = 0;
      const from = Math.max(1, Math.ceil(OCTAVE_EDGES[b] / this.binHz));
      const to = Math.min(top, Math.floor(OCTAVE_EDGES[b + 1] / this.binHz));
      for (let k = from; k <= to; k++) energy += magnitudes[k] * magnitudes[k];
      f[s + SCALAR_FEATURES + b] = 10 * Math.log10((energy + EPSILON) / (total + EPSILON));
    }

    for (let i = 0; i < PER_FRAME; i++) {
      this.sums[i] += f[i];
      this.squares[i] += f[i] * f[i];
    }
    this.count++;
  }
}

/** Triangular filters evenly spaced on the mel scale between `lowHz` and `highHz`. */
function melFilterbank(binHz: number, lowHz: number, highHz: number) {
  const toMel = (hz: number) => 2595 * Math.log10(1 + hz / 700);
  const toHz = (mel: number) => 700 * (10 ** (mel / 2595) - 1);
  const low = toMel(lowHz);
  const step = (toMel(highHz) - low) / (MEL_BANDS + 1);
  const edges = Array.from({ length: MEL_BANDS + 2 }, (_, i) => toHz(low + i * step) / binHz);
  return Array.from({ length: MEL_BANDS }, (_, b) => {
    const [left, centre, right] = [edges[b], edges[b + 1], edges[b + 2]];
    const first = Math.max(1, Math.ceil(left));
    const last = Math.max(first, Math.floor(right));
    const weights = Float64Array.from({ length: last - first + 1 }, (_, j) => {
      const k = first + j;
      return k <= centre ? (k - left) / (centre - left) : (right - k) / (right - centre);
    });
    return { first, weights: weights.map((w) => Math.max(0, w)) };
  });
}
