import { describe, expect, it } from 'vitest';
import { backoffMs } from './backoff.js';

describe('backoffMs', () => {
  it('doubles per attempt between half and all of the step', () => {
    expect(backoffMs(1, {}, () => 0)).toBe(500);
    expect(backoffMs(1, {}, () => 1)).toBe(1000);
    expect(backoffMs(2, {}, () => 0)).toBe(1000);
    expect(backoffMs(4, {}, () => 1)).toBe(8000);
  });

  it('never exceeds the cap, even for huge attempt numbers', () => {
    expect(backoffMs(30, {}, () => 1)).toBe(5 * 60_000);
    expect(backoffMs(5000, {}, () => 1)).toBe(5 * 60_000);
    expect(backoffMs(12, { baseMs: 10, capMs: 100 }, () => 0.5)).toBe(75);
  });

  it('spreads retries of jobs that failed together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffMs(3)));
    expect(delays.size).toBeGreaterThan(10);
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(2000), expect(d).toBeLessThanOrEqual(4000);
  });
});
