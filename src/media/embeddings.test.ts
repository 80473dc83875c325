import { describe, expect, it } from 'vitest';
import { EmbeddingBuilder, EMBEDDING_LENGTH } from './embeddings.js';
import type { MediaTools } from './ffmpeg.js';
import { cosineSimilarity, feedAnalysis, render, useMediaTestContext } from '../../test/helpers/media-fixtures.js';

const media = useMediaTestContext();

async function embed(name: string, inputArgs: string[], outputArgs: string[] = []): Promise<number[]> {
  const file = await render(media.tools, media.scratch.path(name), inputArgs, outputArgs);
  return (await feedAnalysis(media.tools, file, (rate) => new EmbeddingBuilder(rate))).result();
}

/** A chord over a little noise; the seed changes only the noise. */
const chordOverNoise = (seed: number, rate: number) => [
  '-f', 'lavfi', '-i', `aevalsrc=0.3*sin(2*PI*262*t)+0.2*sin(2*PI*330*t)+0.2*sin(2*PI*392*t):s=${rate}:d=5`,
  '-f', 'lavfi', '-i', `anoisesrc=c=pink:a=0.05:r=${rate}:d=5:seed=${seed}`,
  '-filter_complex', '[0][1]amix=inputs=2:normalize=0',
];

describe('EmbeddingBuilder', () => {
  it('places renders of the same music closer together than different sounds', async () => {
    const [first, second, sine, noise] = await Promise.all([
      embed('take-1.wav', chordOverNoise(1, 44100)),
      embed('take-2.wav', chordOverNoise(2, 48000)),
      embed('sine.wav', ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=5']),
      embed('noise.wav', ['-f', 'lavfi', '-i', 'anoisesrc=c=white:a=0.3:r=44100:d=5:seed=9']),
    ]);
    for (const vector of [first, second, sine, noise]) {
      expect(vector).toHaveLength(EMBEDDING_LENGTH);
      expect(Math.hypot(...vector)).toBeCloseTo(1, 9);
    }
    const same = cosineSimilarity(first, second);
    expect(same).toBeGreaterThan(0.98);
    expect(same).toBeGreaterThan(cosineSimilarity(sine, noise));
    expect(same).toBeGreaterThan(cosineSimilarity(first, noise));
    expect(cosineSimilarity(sine, noise)).toBeLessThan(0.8);
  });

  it('gives silence a zero vector rather than noise', () => {
    const builder = new EmbeddingBuilder(11025);
    expect(builder.result()).toEqual(new Array(EMBEDDING_LENGTH).fill(0));
  });
});

describe('cosineSimilarity', () => {
  it('is 1 for the same direction, -1 for opposite, 0 for orthogonal or zero vectors', () => {
    expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(cosineSimilarity([1, 0], [-3, 0])).toBeCloseTo(-1, 12);
    expect(cosineSimilarity([1, 0], [0, 5])).toBe(0);
    expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
    expect(() => cosineSimilarity([1], [1, 2])).toThrow(RangeError);
  });
});
