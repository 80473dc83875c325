import { describe, expect, it } from 'vitest';
import type { MediaTools } from './ffmpeg.js';
import { KeyEstimator, MIN_KEY_CONFIDENCE } from './key.js';
import { chordProgression, feedAnalysis, midiHz, render, useMediaTestContext } from '../../test/helpers/media-fixtures.js';

const media = useMediaTestContext();

async function estimate(name: string, expression: string, seconds: number) {
  const file = await render(media.tools, media.scratch.path(`${name}.wav`), ['-f', 'lavfi', '-i', `aevalsrc=${expression}:s=22050:d=${seconds}`]);
  return (await feedAnalysis(media.tools, file, (rate) => new KeyEstimator(rate))).result();
}

describe('KeyEstimator', () => {
  // I-IV-V-I (minor keys with a major V, as harmonic minor has it), MIDI note numbers.
  it.each([
    ['C', 'major', [[60, 64, 67], [65, 69, 72], [55, 59, 62], [60, 64, 67]]],
    ['A', 'minor', [[57, 60, 64], [62, 65, 69], [52, 56, 59], [57, 60, 64]]],
    ['G', 'major', [[55, 59, 62], [60, 64, 67], [62, 66, 69], [55, 59, 62]]],
    ['F#', 'minor', [[54, 57, 61], [59, 62, 66], [61, 65, 68], [54, 57, 61]]],
  ])('hears %s %s in sustained chords', async (key, mode, chords) => {
    const progression = (chords as number[][]).map((notes, i) => [notes, i === 0 || i === 3 ? 2 : 1] as [number[], number]);
    const result = await estimate(`${key}-${mode}`, chordProgression(progression), 6);
    expect(result).toMatchObject({ key, mode, estimate: { key, mode } });
    expect(result.confidence).toBeGreaterThanOrEqual(MIN_KEY_CONFIDENCE);
  });

  it.each([
    ['E', 'major', [0, 2, 4, 5, 7, 9, 11, 12]],
    ['C', 'minor', [0, 2, 3, 5, 7, 8, 11, 12]],
  ])('hears %s %s in its scale, up and down from a held tonic', async (key, mode, steps) => {
    const tonic = 60 + ['C', 'E'].indexOf(key as string) * 4;
    const run = [...(steps as number[]), ...(steps as number[]).slice(0, -1).reverse()];
    // The tonic for a second, then a note every quarter second: 16 notes, 5 seconds, twice.
    const notes = [tonic, tonic, tonic, tonic, ...run.slice(1).map((s) => tonic + s)].map((n) => midiHz(n).toFixed(3));
    const frequency = notes.reduceRight((rest, hz, i) => `if(eq(mod(floor(t*4)\\,${notes.length})\\,${i})\\,${hz}\\,${rest})`, '0');
    const result = await estimate(`${key}-${mode}-scale`, `0.3*sin(2*PI*${frequency}*t)+0.15*sin(4*PI*${frequency}*t)`, 10);
    expect(result).toMatchObject({ key, mode });
  });

  it.each([
    ['white', 'anoisesrc=c=white:a=0.3:r=22050:d=12:seed=11'],
    ['pink', 'anoisesrc=c=pink:a=0.4:r=22050:d=12:seed=5'],
    ['brown', 'anoisesrc=c=brown:a=0.5:r=22050:d=12:seed=2'],
  ])('publishes no key for %s noise, and keeps the estimate', async (color, source) => {
    const file = await render(media.tools, media.scratch.path(`${color}-noise.wav`), ['-f', 'lavfi', '-i', source]);
    const result = (await feedAnalysis(media.tools, file, (rate) => new KeyEstimator(rate))).result();
    expect(result).toMatchObject({ key: null, mode: null });
    expect(result.estimate).not.toBeNull();
    expect(result.confidence).toBeLessThan(MIN_KEY_CONFIDENCE);
    expect(result.chromaContrast).toBeLessThan(0.1);
  });

  it('hears D major in an arpeggio', async () => {
    // D F# A D' A F#, a quarter second each, over and over.
    const notes = [62, 66, 69, 74, 69, 66].map((n) => midiHz(n).toFixed(3));
    const frequency = notes.reduceRight((rest, hz, i) => `if(eq(mod(floor(t*4)\\,6)\\,${i})\\,${hz}\\,${rest})`, '0');
    const result = await estimate('d-arpeggio', `0.5*sin(2*PI*${frequency}*t)`, 6);
    expect(result).toMatchObject({ key: 'D', mode: 'major' });
  });

  it('gives no key for silence', () => {
    const estimator = new KeyEstimator(11025);
    estimator.push(new Float32Array(11025 * 3));
    expect(estimator.result()).toEqual({ key: null, mode: null, estimate: null, confidence: 0, margin: 0, chromaContrast: 0 });
  });
});
