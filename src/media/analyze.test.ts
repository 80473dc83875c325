import { writeFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeAudio, computePeaks } from './analyze.js';
import { EMBEDDING_LENGTH } from './embeddings.js';
import type { MediaTools } from './ffmpeg.js';
import { MIN_KEY_CONFIDENCE } from './key.js';
import { chordProgression, render, useMediaTestContext } from '../../test/helpers/media-fixtures.js';

const media = useMediaTestContext();
let song: string;

beforeAll(async () => {
  // A C major chord with a click on every beat at 120 BPM, a little wider on the left.
  const chord = chordProgression([[[60, 64, 67], 10]]);
  const click = 'if(lt(mod(t\\,0.5)\\,0.015)\\,0.4*sin(2*PI*1000*t)\\,0)';
  song = await render(media.tools, media.scratch.path('song.mp3'), ['-f', 'lavfi', '-i', `aevalsrc=0.6*(${chord})+${click}|0.5*(${chord})+${click}:s=44100:d=10`], ['-b:a', '192k']);
});

describe('analyzeAudio', () => {
  it('derives waveforms, tags and an embedding from a single decode', async () => {
    let decodes = 0;
    const counting: MediaTools = { ...media.tools, stream: (args, options) => (decodes++, media.tools.stream(args, options)) };
    const analysis = await analyzeAudio(counting, song);
    expect(decodes).toBe(1);

    expect(analysis.pcm).toMatchObject({ sampleRate: 44100, channels: 2 });
    expect(Math.abs(analysis.pcm.durationMs - 10_000)).toBeLessThan(100);
    expect(analysis.waveforms.map((w) => w.samples_per_pixel).slice(0, 3)).toEqual([256, 1024, 4096]);
    expect(analysis.waveforms[0].length).toBe(Math.ceil(analysis.pcm.totalSamples / 256));
    expect(analysis.waveforms.at(-1)!.length).toBe(320);

    const { tags } = analysis;
    expect(Math.abs(tags.bpm! - 120)).toBeLessThanOrEqual(1);
    expect(tags.bpmConfidence).toBeGreaterThan(0.5);
    expect(tags.bpmEstimate).toBe(tags.bpm);
    // One triad of pure sines fits C major best but hardly better than its neighbours: estimated, not published.
    expect(tags).toMatchObject({ keyEstimate: 'C', modeEstimate: 'major', key: null, mode: null });
    expect(tags.keyConfidence).toBeLessThan(MIN_KEY_CONFIDENCE);
    expect(tags.loudnessLufs).toBeGreaterThan(-20);
    expect(tags.loudnessLufs).toBeLessThan(-3);
    // Left peaks where chord (0.36) and click (0.4) meet.
    expect(tags.truePeakDb).toBeLessThan(0);
    expect(tags.truePeakDb).toBeGreaterThan(-6);

    expect(analysis.embedding).toHaveLength(EMBEDDING_LENGTH);
    expect(Math.hypot(...analysis.embedding)).toBeCloseTo(1, 9);
  });

  it('refuses what is not audio', async () => {
    await writeFile(media.scratch.path('readme.mp3'), 'not audio '.repeat(500));
    await expect(analyzeAudio(media.tools, media.scratch.path('readme.mp3'))).rejects.toMatchObject({ code: 'unsupported_container', status: 422 });
  });
});

describe('computePeaks', () => {
  it('gives the same waveforms whether the file is read directly or decoded by ffmpeg', async () => {
    const source = ['-f', 'lavfi', '-i', 'aevalsrc=0.7*sin(2*PI*3*t)*sin(2*PI*440*t)|0.3*sin(2*PI*220*t):s=44100:d=4'];
    const wav = await render(media.tools, media.scratch.path('peaks.wav'), source, ['-c:a', 'pcm_s16le']);
    const flac = await render(media.tools, media.scratch.path('peaks.flac'), ['-i', wav]);
    const [direct, decoded] = await Promise.all([computePeaks(media.tools, wav), computePeaks(media.tools, flac)]);
    expect(direct.pcm).toEqual({ sampleRate: 44100, totalSamples: 176400, durationMs: 4000 });
    expect(decoded.pcm).toEqual(direct.pcm);
    expect(direct.waveforms.map((w) => w.length)).toEqual([690, 173, 44, 320]);
    for (let level = 0; level < direct.waveforms.length; level++) {
      const a = direct.waveforms[level].data;
      const b = decoded.waveforms[level].data;
      expect(b).toHaveLength(a.length);
      expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).toBeLessThanOrEqual(1);
    }
    // The loud channel swells three times a second; the mix peaks near (0.7 + 0.3) / 2.
    expect(Math.max(...direct.waveforms[3].data)).toBeGreaterThan(55);
    expect(Math.max(...direct.waveforms[3].data)).toBeLessThanOrEqual(64);
  });
});
