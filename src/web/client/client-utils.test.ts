import { describe, expect, it } from 'vitest';
import { formatTime, spokenTime } from './format.js';
import { peakAmplitudes, resample } from './peaks.js';

describe('peakAmplitudes', () => {
  it('reads 8-bit min/max pairs and stretches quiet material to full height', () => {
    const amps = peakAmplitudes({ data: [-32, 16, -8, 8, 0, 0], bits: 8, length: 3 })!;
    expect(Array.from(amps).map((a) => +a.toFixed(4))).toEqual([0.95, 0.2375, 0]);
  });

  it('reads 16-bit data without stretching loud material', () => {
    const amps = peakAmplitudes({ data: [-32768, 32767, -16384, 100], bits: 16, length: 2 })!;
    expect(amps[0]).toBe(1);
    expect(amps[1]).toBeCloseTo(0.5, 3);
  });

  it('merges interleaved channels', () => {
    // 2 points x 2 channels: the louder channel wins per point.
    const amps = peakAmplitudes({ data: [-10, 10, -127, 127, -64, 64, -1, 1], bits: 8, length: 2 })!;
    expect(amps.length).toBe(2);
    expect(amps[0]).toBeGreaterThan(amps[1]);
  });

  it('returns null for missing or empty data', () => {
    expect(peakAmplitudes(null)).toBeNull();
    expect(peakAmplitudes({ data: [], bits: 8, length: 0 })).toBeNull();
  });

  it('resamples keeping each bucket maximum', () => {
    expect(Array.from(resample(new Float32Array([0.1, 0.9, 0.2, 0.3]), 2)).map((v) => +v.toFixed(2))).toEqual([0.9, 0.3]);
    expect(resample(new Float32Array([0.5]), 3).length).toBe(3);
  });
});

describe('time formatting', () => {
  it('formats clock and spoken times', () => {
    expect(formatTime(0)).toBe('0:00');
    expect(formatTime(65.9)).toBe('1:05');
    expect(formatTime(3725)).toBe('1:02:05');
    expect(formatTime(Number.NaN)).toBe('0:00');
    expect(spokenTime(61)).toBe('1 minute 1 second');
  });
});
