import { describe, expect, it } from 'vitest';
import type { MediaTools } from './ffmpeg.js';
import { KeyEstimator } from './key.js';
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
    expect(result).toMatchObject({ key, mode });
    expect(result.confidence).toBeGreaterThan(0);
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
