import { describe, expect, it } from 'vitest';
import { BASE_LOCK_SECONDS, FREE_ATTEMPTS, LAST_GROWING_COUNT, lockSchedule, lockSecondsAfter, MAX_LOCK_SECONDS, secondsLocked } from './access-code-lockout.js';

describe('access code lockout', () => {
  it('lets the first failures through, then locks and doubles up to a cap', () => {
    for (let n = 0; n < FREE_ATTEMPTS; n++) expect(lockSecondsAfter(n)).toBe(0);
    expect(lockSecondsAfter(FREE_ATTEMPTS)).toBe(BASE_LOCK_SECONDS);
    expect(lockSecondsAfter(FREE_ATTEMPTS + 1)).toBe(BASE_LOCK_SECONDS * 2);
    expect(lockSecondsAfter(FREE_ATTEMPTS + 3)).toBe(BASE_LOCK_SECONDS * 8);
    expect(lockSecondsAfter(FREE_ATTEMPTS + 100)).toBe(MAX_LOCK_SECONDS);
    expect(lockSecondsAfter(Number.MAX_SAFE_INTEGER)).toBe(MAX_LOCK_SECONDS);
    expect(lockSecondsAfter(-1)).toBe(0);
  });

  it('never shrinks as failures grow', () => {
    for (let n = 1; n < 60; n++) expect(lockSecondsAfter(n)).toBeGreaterThanOrEqual(lockSecondsAfter(n - 1));
  });

  it('schedules one end instant per growing count and the cap beyond', () => {
    const now = Date.parse('2030-01-01T00:00:00.000Z');
    const { steps, beyond } = lockSchedule(now);
    expect(steps[0]).toEqual({ failures: FREE_ATTEMPTS, until: new Date(now + BASE_LOCK_SECONDS * 1000).toISOString() });
    expect(steps.at(-1)!.failures).toBe(LAST_GROWING_COUNT);
    expect(steps.at(-1)!.until).toBe(beyond);
    expect(beyond).toBe(new Date(now + MAX_LOCK_SECONDS * 1000).toISOString());
  });

  it('counts whole seconds left, at least one while locked', () => {
    const now = 1_000_000;
    expect(secondsLocked(null, now)).toBe(0);
    expect(secondsLocked(new Date(now - 1).toISOString(), now)).toBe(0);
    expect(secondsLocked(new Date(now + 1).toISOString(), now)).toBe(1);
    expect(secondsLocked(new Date(now + 59_001).toISOString(), now)).toBe(60);
  });
});
