import { describe, expect, it } from 'vitest';
import { RealFft } from './fft.js';

describe('RealFft', () => {
  it('matches a direct DFT', () => {
    const size = 64;
    const input = Float64Array.from({ length: size }, (_, n) => Math.sin(n * 0.7) + 0.3 * Math.cos(n * 2.1) + (n % 3) * 0.1);
    const out = new Float64Array(size / 2 + 1);
    new RealFft(size).magnitudes(input, out);
    for (let k = 0; k <= size / 2; k++) {
      let re = 0;
      let im = 0;
      for (let n = 0; n < size; n++) {
        re += input[n] * Math.cos((2 * Math.PI * k * n) / size);
        im -= input[n] * Math.sin((2 * Math.PI * k * n) / size);
      }
      expect(out[k]).toBeCloseTo(Math.hypot(re, im), 9);
    }
  });

  it('puts a pure tone in its bin', () => {
    const size = 1024;
    const out = new Float64Array(size / 2 + 1);
    new RealFft(size).magnitudes(Float64Array.from({ length: size }, (_, n) => Math.cos((2 * Math.PI * 100 * n) / size)), out);
    expect(out[100]).toBeCloseTo(size / 2, 6);
    expect(out[99] + out[101]).toBeLessThan(1e-6);
  });

  it('refuses sizes that are not powers of two', () => {
    expect(() => new RealFft(100)).toThrow(RangeError);
  });
});
