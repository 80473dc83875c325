import { describe, expect, it } from 'vitest';
import type { MediaTools } from './ffmpeg.js';
import { MIN_TEMPO_CONFIDENCE, TempoEstimator } from './tempo.js';
import { chordProgression, evalSource, feedAnalysis, render, useMediaTestContext } from '../../test/helpers/media-fixtures.js';

const media = useMediaTestContext();

/** 15 ms bursts of 1 kHz on every beat. */
async function clickTrack(bpm: number, seconds = 16): Promise<string> {
  const expression = `if(lt(mod(t\\,60/${bpm})\\,0.015)\\,0.8*sin(2*PI*1000*t)\\,0)`;
  return render(media.tools, media.scratch.path(`click-${bpm}.wav`), evalSource(expression, seconds, 22050));
}

describe('TempoEstimator', () => {
  it.each([90, 120, 128, 140])('finds %i BPM in a click track', async (bpm) => {
    const { bpm: found, confidence } = (await feedAnalysis(media.tools, await clickTrack(bpm), (rate) => new TempoEstimator(rate))).result();
    expect(found).not.toBeNull();
    expect(Math.abs(found! - bpm)).toBeLessThanOrEqual(1);
    expect(confidence).toBeGreaterThanOrEqual(MIN_TEMPO_CONFIDENCE);
  });

  // A steady tone still ripples the onset envelope a little, and regularly: periodic, but far too weak to be a beat.
  it.each([
    ['a 440 Hz sine', ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=22050:duration=16']],
    ['a 3 kHz sine', ['-f', 'lavfi', '-i', 'sine=frequency=3000:sample_rate=22050:duration=16']],
    ['a held C major chord', evalSource(chordProgression([[[48, 60, 64, 67], 16]]), 16, 22050)],
    ['a held A minor chord over quiet pink noise', ['-f', 'lavfi', '-i', `aevalsrc=${chordProgression([[[57, 60, 64], 16]])}:s=22050:d=16`, '-f', 'lavfi', '-i', 'anoisesrc=c=pink:a=0.03:r=22050:d=16:seed=3', '-filter_complex', 'amix=inputs=2:normalize=0']],
  ])('publishes no tempo for %s, and keeps the estimate', async (name, input) => {
    const file = await render(media.tools, media.scratch.path(`${name.replace(/\W+/g, '-')}.wav`), input as string[]);
    const result = (await feedAnalysis(media.tools, file, (rate) => new TempoEstimator(rate))).result();
    expect(result.bpm).toBeNull();
    expect(result.estimate).toBeGreaterThan(0);
    expect(result.confidence).toBeLessThan(MIN_TEMPO_CONFIDENCE);
    expect(result.pulseStrength).toBeLessThan(5);
  });

  it('takes an even fast click at its own tempo rather than half of it', async () => {
    const { bpm } = (await feedAnalysis(media.tools, await clickTrack(174), (rate) => new TempoEstimator(rate))).result();
    expect(Math.abs(bpm! - 174)).toBeLessThanOrEqual(1);
  });

  it('has little confidence in noise and no tempo for silence or a short clip', async () => {
    const noise = await render(media.tools, media.scratch.path('noise.wav'), ['-f', 'lavfi', '-i', 'anoisesrc=d=12:r=22050:seed=7']);
    const heard = (await feedAnalysis(media.tools, noise, (rate) => new TempoEstimator(rate))).result();
    expect(heard.confidence).toBeLessThan(0.2);
    expect(heard.bpm).toBeNull();
    const silence = new TempoEstimator(11025);
    silence.push(new Float32Array(11025 * 10));
    expect(silence.result()).toEqual({ bpm: null, estimate: null, confidence: 0, periodicity: 0, pulseStrength: 0 });
    const short = new TempoEstimator(11025);
    short.push(Float32Array.from({ length: 11025 * 2 }, (_, i) => (i % 5512 < 100 ? 0.5 : 0)));
    expect(short.result().bpm).toBeNull();
  });
});
