import { describe, expect, it } from 'vitest';
import { Decimator } from './decimator.js';

function run(inputRate: number, hz: number, chunk: number) {
  const out: number[] = [];
  const decimator = new Decimator(inputRate, 11025, (samples) => samples.forEach((s) => out.push(s)));
  const input = Float32Array.from({ length: inputRate * 2 }, (_, i) => Math.sin((2 * Math.PI * hz * i) / inputRate));
  for (let at = 0; at < input.length; at += chunk) decimator.push(input.subarray(at, at + chunk));
  const settled = out.slice(200);
  return { decimator, out, rms: Math.sqrt(settled.reduce((a, x) => a + x * x, 0) / settled.length) };
}

describe('Decimator', () => {
  it.each([
    [44100, 4, 11025],
    [48000, 4, 12000],
    [22050, 2, 11025],
    [8000, 1, 8000],
  ])('takes %i Hz down by %i to %i Hz', (rate, factor, outputRate) => {
    const { decimator, out } = run(rate, 440, 1000);
    expect(decimator.factor).toBe(factor);
    expect(decimator.outputRate).toBe(outputRate);
    expect(Math.abs(out.length - (rate * 2) / factor)).toBeLessThanOrEqual(50);
  });

  it('keeps what fits below the new Nyquist and removes what would alias', () => {
    expect(run(44100, 1000, 777).rms).toBeCloseTo(Math.SQRT1_2, 2);
    expect(run(44100, 9000, 777).rms).toBeLessThan(0.01);
  });

  it('gives the same output however the input is split', () => {
    expect(run(48000, 440, 64).out).toEqual(run(48000, 440, 100_000).out);
  });
});
