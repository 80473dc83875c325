import { describe, expect, it } from 'vitest';
import { OVERVIEW_POINTS, PeaksBuilder, quantize } from './peaks.js';

function signal(length: number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = 0.8 * Math.sin(i / 37) * Math.min(1, i / length + 0.1) + (i % 5000 === 0 ? -0.95 : 0);
  return out;
}

/** Min/max of [from, to) the slow way. */
function bruteForce(samples: Float32Array, from: number, to: number): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = from; i < to; i++) {
    min = Math.min(min, samples[i]);
    max = Math.max(max, samples[i]);
  }
  return [quantize(min), quantize(max)];
}

function feed(builder: PeaksBuilder, samples: Float32Array) {
  // Uneven chunk sizes so pixel boundaries fall inside chunks.
  for (let at = 0, size = 1; at < samples.length; at += size, size = (size * 7 + 3) % 9000 + 1) {
    builder.push(samples.subarray(at, at + size));
  }
}

describe('PeaksBuilder', () => {
  it('builds every zoom level in audiowaveform v2 shape, matching a direct computation', () => {
    const samples = signal(200_003);
    const builder = new PeaksBuilder(44100);
    feed(builder, samples);
    const waveforms = builder.finish();
    expect(waveforms.map((w) => w.samples_per_pixel)).toEqual([256, 1024, 4096, Math.round(200_003 / OVERVIEW_POINTS)]);
    for (const waveform of waveforms.slice(0, 3)) {
      const spp = waveform.samples_per_pixel;
      expect(waveform).toMatchObject({ version: 2, channels: 1, sample_rate: 44100, bits: 8, length: Math.ceil(200_003 / spp) });
      expect(waveform.data).toHaveLength(waveform.length * 2);
      for (let p = 0; p < waveform.length; p++) {
        expect([waveform.data[2 * p], waveform.data[2 * p + 1]]).toEqual(bruteForce(samples, p * spp, Math.min(samples.length, (p + 1) * spp)));
      }
    }
  });

  it('gives an overview of exactly 320 points covering the whole signal', () => {
    for (const length of [1_000, 20_480, 1_234_567]) {
      const samples = signal(length);
      const builder = new PeaksBuilder(22050);
      feed(builder, samples);
      const overview = builder.finish().at(-1)!;
      expect(overview.length).toBe(320);
      expect(overview.data).toHaveLength(640);
      const [min, max] = bruteForce(samples, 0, length);
      expect(Math.min(...overview.data)).toBe(min);
      expect(Math.max(...overview.data)).toBe(max);
      for (let p = 0; p < 320; p++) expect(overview.data[2 * p]).toBeLessThanOrEqual(overview.data[2 * p + 1]);
    }
  });

  it('places features where they occur in the overview', () => {
    const samples = new Float32Array(320 * 1000);
    samples.fill(0.5, 160_000, 160_960);
    const builder = new PeaksBuilder(8000);
    builder.push(samples);
    const { data } = builder.finish().at(-1)!;
    const loud = data.flatMap((v, i) => (i % 2 === 1 && v > 0 ? [(i - 1) / 2] : []));
    expect(loud).toEqual([160]);
    expect(data[321]).toBe(64);
  });

  it('stays within 8-bit range and survives JSON', () => {
    const builder = new PeaksBuilder(48000, { levels: [64] });
    builder.push(Float32Array.from([2, -2, 1, -1, 0.999, -0.999]));
    const [level, overview] = builder.finish();
    expect(level.data).toEqual([-128, 127]);
    expect(JSON.parse(JSON.stringify(overview)).data).toHaveLength(640);
  });

  it('rejects zoom levels that are not multiples of the base resolution', () => {
    expect(() => new PeaksBuilder(44100, { levels: [100] })).toThrow(RangeError);
  });

  it('handles silence and empty input', () => {
    const builder = new PeaksBuilder(44100);
    const [finest, , , overview] = builder.finish();
    expect(finest.length).toBe(0);
    expect(overview.data.every((v) => v === 0)).toBe(true);
  });
});
