import { SpectrumFrames } from './spectrum-frames.js';

export interface TempoEstimate {
  /** Beats per minute, one decimal: the estimate when `confidence` reaches MIN_TEMPO_CONFIDENCE, else null. */
  bpm: number | null;
  /** The best-scoring tempo whether or not it is published; null when nothing could be measured. */
  estimate: number | null;
  /** 0..1: periodicity, discounted where the pulse is too weak to be a beat (see docs/analysis.md). */
  confidence: number;
  /** 0..1: how much of the onset envelope's variance repeats at the estimated period. */
  periodicity: number;
  /** RMS of that repeating part, in summed log-magnitude rise per frame: how hard the beat hits. */
  pulseStrength: number;
}

/** A tempo is published only at this confidence or above. */
export const MIN_TEMPO_CONFIDENCE = 0.5;
/**
 * Pulse strength at which the confidence is halved. A beat (a click, a kick) lifts the onset
 * envelope by tens to hundreds; the ripple a steady tone or a held chord leaves in it stays
 * near one, however periodic it is.
 */
export const PULSE_HALF_STRENGTH = 5;

const FRAME = 512;
const HOP = 64;
const MIN_BPM = 60;
const MAX_BPM = 200;
/** Multiples of the beat period summed by the comb. */
const COMB = 4;
/** Octave-error prior: log-normal around 120 BPM, one octave wide. */
const PRIOR_CENTER_BPM = 120;
const PRIOR_OCTAVES = 1;
const MIN_SECONDS = 4;
const EVEN_SUBDIVISION = 0.9;

/**
 * Tempo from an onset-strength envelope (log-magnitude spectral flux) and its autocorrelation:
 * each candidate tempo is scored by a comb over the first few multiples of its period, weighted
 * by a broad prior that settles half/double-tempo ties toward the usual range.
 */
export class TempoEstimator {
  private readonly frames: SpectrumFrames;
  private readonly frameRate: number;
  private current = new Float64Array(FRAME / 2 + 1);
  private previous = new Float64Array(FRAME / 2 + 1);
  private readonly envelope: number[] = [];

  constructor(sampleRate: number) {
    this.frameRate = sampleRate / HOP;
    this.frames = new SpectrumFrames(FRAME, HOP, (magnitudes) => this.onFrame(magnitudes));
  }

  push(samples: Float32Array): void {
    this.frames.push(samples);
  }

  result(): TempoEstimate {
    const env = this.onsetEnvelope();
    if (env.length < MIN_SECONDS * this.frameRate) return { ...NO_TEMPO };
    const maxLag = Math.min(env.length - 1, Math.ceil(((COMB * 60) / MIN_BPM) * this.frameRate) + 2);
    const acf = autocorrelation(env, maxLag);
    if (!(acf[0] > 0)) return { ...NO_TEMPO };

    const score = (bpm: number) => {
      const lag = (60 / bpm) * this.frameRate;
      let sum = 0;
      let used = 0;
      for (let k = 1; k <= COMB && k * lag < maxLag; k++, used++) sum += interpolate(acf, k * lag);
      return used ? sum / used : 0;
    };
    const prior = (bpm: number) => Math.exp(-0.5 * (Math.log2(bpm / PRIOR_CENTER_BPM) / PRIOR_OCTAVES) ** 2);

    let best = MIN_BPM;
    let bestValue = -Infinity;
    for (let bpm = MIN_BPM; bpm <= MAX_BPM + 1e-9; bpm += 0.05) {
      const value = score(bpm) * prior(bpm);
      if (value > bestValue) [best, bestValue] = [bpm, value];
    }
    // Onsets halfway between beats as strong as those on them: the pulse is twice as fast
    // (a prior alone would pick 87 over 174 for an even click).
    const lag = (60 / best) * this.frameRate;
    if (best * 2 <= MAX_BPM && interpolate(acf, lag / 2) >= EVEN_SUBDIVISION * interpolate(acf, lag)) {
      best = refine(score, best * 2);
    }
    const periodicity = Math.max(0, Math.min(1, score(best) / acf[0]));
    const pulseStrength = Math.sqrt(Math.max(0, score(best)));
    const confidence = tempoConfidence(periodicity, pulseStrength);
    const estimate = Math.round(best * 10) / 10;
    return {
      bpm: confidence >= MIN_TEMPO_CONFIDENCE ? estimate : null,
      estimate,
      confidence: Math.round(confidence * 1000) / 1000,
      periodicity: Math.round(periodicity * 1000) / 1000,
      pulseStrength: Math.round(pulseStrength * 100) / 100,
    };
  }

  private onFrame(magnitudes: Float64Array): void {
    const { current, previous } = this;
    let flux = 0;
    for (let k = 1; k < magnitudes.length; k++) {
      current[k] = Math.log1p(1000 * magnitudes[k]);
      const rise = current[k] - previous[k];
      if (rise > 0) flux += rise;
    }
    [this.current, this.previous] = [previous, current];
    // The first frame rises from nothing; it is not an onset.
    this.envelope.push(this.envelope.length === 0 ? 0 : flux);
  }

  /** Flux minus its local mean (about half a second), half-wave rectified and lightly smoothed. */
  private onsetEnvelope(): Float64Array {
    const raw = this.envelope;
    const n = raw.length;
    const half = Math.round(this.frameRate / 4);
    const prefix = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + raw[i];
    const detrended = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const from = Math.max(0, i - half);
      const to = Math.min(n, i + half + 1);
      detrended[i] = Math.max(0, raw[i] - (prefix[to] - prefix[from]) / (to - from));
    }
    const smoothed = new Float64Array(n);
    const kernel = [0.25, 0.5, 1, 0.5, 0.25];
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let k = -2; k <= 2; k++) if (i + k >= 0 && i + k < n) acc += kernel[k + 2] * detrended[i + k];
      smoothed[i] = acc;
    }
    return smoothed;
  }
}

const NO_TEMPO: TempoEstimate = Object.freeze({ bpm: null, estimate: null, confidence: 0, periodicity: 0, pulseStrength: 0 });

/** Periodicity times a saturating weight of the pulse's strength: a faint ripple is no beat, however regular. */
export function tempoConfidence(periodicity: number, pulseStrength: number): number {
  return pulseStrength > 0 ? periodicity * (pulseStrength / (pulseStrength + PULSE_HALF_STRENGTH)) : 0;
}

/** Unbiased autocorrelation of the mean-removed signal, so long lags are not penalised by overlap. */
function autocorrelation(values: Float64Array, maxLag: number): Float64Array {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const x = values.map((v) => v - mean);
  const out = new Float64Array(maxLag + 1);
  for (let lag = 0; lag <= maxLag; lag++) {
    let sum = 0;
    for (let i = lag; i < n; i++) sum += x[i] * x[i - lag];
    out[lag] = sum / (n - lag);
  }
  return out;
}

/** The best-scoring tempo within 1 BPM of `around`. */
function refine(score: (bpm: number) => number, around: number): number {
  let best = around;
  for (let bpm = around - 1; bpm <= around + 1; bpm += 0.05) if (score(bpm) > score(best)) best = bpm;
  return best;
}

function interpolate(values: Float64Array, position: number): number {
  const i = Math.floor(position);
  const frac = position - i;
  return i + 1 < values.length ? values[i] * (1 - frac) + values[i + 1] * frac : values[values.length - 1];
}
