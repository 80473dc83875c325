import { ChromaMap } from './chroma.js';
import { SpectrumFrames } from './spectrum-frames.js';

export const PITCH_CLASSES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'] as const;
export type PitchClass = (typeof PITCH_CLASSES)[number];

export interface KeyEstimate {
  /** The estimated tonic when `confidence` reaches MIN_KEY_CONFIDENCE, else null. */
  key: PitchClass | null;
  mode: 'major' | 'minor' | null;
  /** The best-fitting key whether or not it is published; null for silence. */
  estimate: { key: PitchClass; mode: 'major' | 'minor' } | null;
  /** 0..1: the margin, discounted where the chroma is too flat to have a key (see docs/analysis.md). */
  confidence: number;
  /** 0..1: how clearly the best key's correlation beats the runner-up's, (r1 - r2) / (1 - r2). */
  margin: number;
  /** Standard deviation over mean of the 12 chroma values: 0 for a flat (noise-like) chroma. */
  chromaContrast: number;
}

/** A key is published only at this confidence or above. */
export const MIN_KEY_CONFIDENCE = 0.2;
/**
 * Chroma contrast at which the confidence is halved. Broadband noise and speech average out to
 * a nearly flat chroma (contrast below 0.1 and around 0.1-0.3); tonal music, even under drums, is
 * above 0.4.
 */
export const CHROMA_HALF_CONTRAST = 0.1;

// Krumhansl–Kessler probe-tone profiles, tonic first.
const MAJOR = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
const MINOR = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];

const FRAME = 4096;
const HOP = 2048;

/**
 * Key and mode by Krumhansl–Schmuckler: a chroma vector accumulated over the whole signal is
 * correlated with the 24 rotated major/minor profiles.
 */
export class KeyEstimator {
  private readonly frames: SpectrumFrames;
  private readonly chromaMap: ChromaMap;
  private readonly chroma = new Float64Array(12);
  private readonly frameChroma = new Float64Array(12);

  constructor(sampleRate: number) {
    this.frames = new SpectrumFrames(FRAME, HOP, (magnitudes) => this.onFrame(magnitudes));
    this.chromaMap = new ChromaMap(sampleRate, FRAME);
  }

  push(samples: Float32Array): void {
    this.frames.push(samples);
  }

  result(): KeyEstimate {
    const total = this.chroma.reduce((a, b) => a + b, 0);
    if (!(total > 0)) return { key: null, mode: null, estimate: null, confidence: 0, margin: 0, chromaContrast: 0 };
    const scores: Array<{ tonic: number; mode: 'major' | 'minor'; r: number }> = [];
    for (let tonic = 0; tonic < 12; tonic++) {
      scores.push({ tonic, mode: 'major', r: correlate(this.chroma, MAJOR, tonic) });
      scores.push({ tonic, mode: 'minor', r: correlate(this.chroma, MINOR, tonic) });
    }
    scores.sort((a, b) => b.r - a.r);
    const [best, second] = scores;
    const margin = best.r > 0 ? Math.min(1, Math.max(0, (best.r - second.r) / (1 - second.r))) : 0;
    const contrast = chromaContrast(this.chroma);
    const confidence = keyConfidence(margin, contrast);
    const estimate = { key: PITCH_CLASSES[best.tonic], mode: best.mode };
    const published = confidence >= MIN_KEY_CONFIDENCE;
    return {
      key: published ? estimate.key : null,
      mode: published ? estimate.mode : null,
      estimate,
      confidence: round3(confidence),
      margin: round3(margin),
      chromaContrast: round3(contrast),
    };
  }

  private onFrame(magnitudes: Float64Array): void {
    const energy = this.chromaMap.fold(magnitudes, this.frameChroma);
    // Each sounding frame counts once, however loud, so loud passages do not decide alone.
    if (energy < 1e-6) return;
    for (let pc = 0; pc < 12; pc++) this.chroma[pc] += Math.sqrt(this.frameChroma[pc] / energy);
  }
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** The margin times a saturating weight of the chroma's contrast: a flat chroma has no key, whichever profile it leans to. */
export function keyConfidence(margin: number, contrast: number): number {
  return contrast > 0 ? margin * (contrast / (contrast + CHROMA_HALF_CONTRAST)) : 0;
}

function chromaContrast(chroma: Float64Array): number {
  const mean = chroma.reduce((a, b) => a + b, 0) / 12;
  if (!(mean > 0)) return 0;
  const variance = chroma.reduce((a, b) => a + (b - mean) ** 2, 0) / 12;
  return Math.sqrt(variance) / mean;
}

/** Pearson correlation of the chroma with a profile whose tonic is `tonic`. */
function correlate(chroma: Float64Array, profile: number[], tonic: number): number {
  const meanC = chroma.reduce((a, b) => a + b, 0) / 12;
  const meanP = profile.reduce((a, b) => a + b, 0) / 12;
  let num = 0;
  let varC = 0;
  let varP = 0;
  for (let pc = 0; pc < 12; pc++) {
    const c = chroma[pc] - meanC;
    const p = profile[(pc - tonic + 12) % 12] - meanP;
    num += c * p;
    varC += c * c;
    varP += p * p;
  }
  return varC > 0 ? num / Math.sqrt(varC * varP) : 0;
}
