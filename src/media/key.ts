import { ChromaMap } from './chroma.js';
import { SpectrumFrames } from './spectrum-frames.js';

export const PITCH_CLASSES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'] as const;
export type PitchClass = (typeof PITCH_CLASSES)[number];

export interface KeyEstimate {
  key: PitchClass | null;
  mode: 'major' | 'minor' | null;
  /** 0..1: how clearly the best key beats the runner-up. */
  confidence: number;
}

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
    if (!(total > 0)) return { key: null, mode: null, confidence: 0 };
    const scores: Array<{ tonic: number; mode: 'major' | 'minor'; r: number }> = [];
    for (let tonic = 0; tonic < 12; tonic++) {
      scores.push({ tonic, mode: 'major', r: correlate(this.chroma, MAJOR, tonic) });
      scores.push({ tonic, mode: 'minor', r: correlate(this.chroma, MINOR, tonic) });
    }
    scores.sort((a, b) => b.r - a.r);
    const [best, second] = scores;
    const confidence = best.r > 0 ? Math.min(1, Math.max(0, (best.r - second.r) / (1 - second.r))) : 0;
    return { key: PITCH_CLASSES[best.tonic], mode: best.mode, confidence: Math.round(confidence * 1000) / 1000 };
  }

  private onFrame(magnitudes: Float64Array): void {
    const energy = this.chromaMap.fold(magnitudes, this.frameChroma);
    // Each sounding frame counts once, however loud, so loud passages do not decide alone.
    if (energy < 1e-6) return;
    for (let pc = 0; pc < 12; pc++) this.chroma[pc] += Math.sqrt(this.frameChroma[pc] / energy);
  }
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
