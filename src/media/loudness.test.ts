import { describe, expect, it } from 'vitest';
import type { MediaTools } from './ffmpeg.js';
import { LoudnessMeter } from './loudness.js';
import { decodePcm } from './pcm.js';
import { TruePeakMeter } from './true-peak.js';
import { render, useMediaTestContext } from '../../test/helpers/media-fixtures.js';

const media = useMediaTestContext();

async function measure(file: string) {
  let loudness: LoudnessMeter | undefined;
  let truePeak: TruePeakMeter | undefined;
  await decodePcm(media.tools, file, () => {}, {
    onFormat: ({ sampleRate, channels, channelMask }) => {
      loudness = new LoudnessMeter(sampleRate, channels, channelMask);
      truePeak = new TruePeakMeter(channels);
    },
    onChannels: (channels) => {
      loudness!.push(channels);
      truePeak!.push(channels);
    },
  });
  return { lufs: loudness!.integratedLufs(), truePeak: truePeak!.truePeakDb() };
}

/** ffmpeg's own EBU R128 meter on the same file. */
async function ffmpegLoudness(file: string): Promise<number> {
  const { stderr } = await media.tools.run(['-nostdin', '-hide_banner', '-nostats', '-i', file, '-af', 'ebur128', '-f', 'null', '-']);
  const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
  return Number(/I:\s+(-?[\d.]+) LUFS/.exec(summary)![1]);
}

describe('LoudnessMeter', () => {
  it.each([
    // Different content per channel, then a quiet tail that the relative gate must drop.
    ['gated-stereo.wav', ['-f', 'lavfi', '-i', 'aevalsrc=if(lt(t\\,6)\\,0.5*sin(2*PI*440*t)\\,0.02*sin(2*PI*440*t))|if(lt(t\\,6)\\,0.3*sin(2*PI*1234*t)\\,0.01*sin(2*PI*97*t)):s=48000:d=10'], []],
    ['mono-1k.flac', ['-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=44100:duration=5'], ['-af', 'volume=-20dB']],
    ['noise.mp3', ['-f', 'lavfi', '-i', 'anoisesrc=c=pink:a=0.3:r=44100:d=6:seed=3', '-f', 'lavfi', '-i', 'anoisesrc=c=white:a=0.1:r=44100:d=6:seed=4'],
      ['-filter_complex', '[0][1]amerge=inputs=2', '-b:a', '192k']],
    ['surround.wav', ['-f', 'lavfi', '-i',
      'aevalsrc=0.3*sin(2*PI*300*t)|0.3*sin(2*PI*500*t)|0.2*sin(2*PI*700*t)|0.5*sin(2*PI*50*t)|0.2*sin(2*PI*900*t)|0.2*sin(2*PI*1100*t):s=48000:d=5:c=5.1'], []],
  ])('agrees with ffmpeg ebur128 within 0.5 LU on %s', async (name, inputArgs, outputArgs) => {
    const file = await render(media.tools, media.scratch.path(name), inputArgs as string[], outputArgs as string[]);
    const [ours, reference] = await Promise.all([measure(file), ffmpegLoudness(file)]);
    expect(ours.lufs).not.toBeNull();
    expect(Math.abs(ours.lufs! - reference)).toBeLessThanOrEqual(0.5);
  });

  it('reports nothing for silence or audio shorter than one block', () => {
    const silent = new LoudnessMeter(48000, 2);
    silent.push([new Float32Array(48000), new Float32Array(48000)]);
    expect(silent.integratedLufs()).toBeNull();
    const short = new LoudnessMeter(48000, 1);
    short.push([Float32Array.from({ length: 9600 }, (_, i) => Math.sin(i / 10))]);
    expect(short.integratedLufs()).toBeNull();
  });
});

describe('TruePeakMeter', () => {
  it('finds the peak between samples', async () => {
    // A quarter-rate sine sampled 45 degrees off its crests: samples reach 0.707, the wave 1.0.
    const file = await render(media.tools, media.scratch.path('intersample.wav'), ['-f', 'lavfi', '-i', 'aevalsrc=sin(2*PI*11025*t+PI/4):s=44100:d=2'], ['-c:a', 'pcm_f32le']);
    const { truePeak } = await measure(file);
    expect(truePeak).toBeGreaterThan(-0.5);
    expect(truePeak).toBeLessThan(0.5);
  });

  it('matches the sample peak of a slow signal and reports nothing for silence', () => {
    const meter = new TruePeakMeter(1);
    meter.push([Float32Array.from({ length: 48000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 100 * i) / 48000))]);
    expect(meter.truePeakDb()).toBeCloseTo(20 * Math.log10(0.5), 1);
    const silent = new TruePeakMeter(2);
    silent.push([new Float32Array(100), new Float32Array(100)]);
    expect(silent.truePeakDb()).toBeNull();
  });
});
