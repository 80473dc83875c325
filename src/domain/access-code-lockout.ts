/**
 * How long a share link's access code stays locked after failed guesses. The first
 * `FREE_ATTEMPTS - 1` failures cost nothing; the failure that brings the count to
 * `FREE_ATTEMPTS` locks the link for `BASE_LOCK_SECONDS`, and every failure after that
 * (one guess per expired lock) doubles the lock, up to `MAX_LOCK_SECONDS`. A correct code
 * resets the count. A 6-character code then takes years to guess, from any number of IPs.
 */
export const FREE_ATTEMPTS = 5;
export const BASE_LOCK_SECONDS = 60;
export const MAX_LOCK_SECONDS = 24 * 3600;

/** Seconds the link locks for once its failure count reaches `failures` (0: not locked). */
export function lockSecondsAfter(failures: number): number {
  if (!Number.isFinite(failures) || failures < FREE_ATTEMPTS) return 0;
  const doublings = Math.min(failures - FREE_ATTEMPTS, 30);
  return Math.min(BASE_LOCK_SECONDS * 2 ** doublings, MAX_LOCK_SECONDS);
}

/** Failure counts past which the lock no longer grows: the schedule is finite. */
export const LAST_GROWING_COUNT = (() => {
  let n = FREE_ATTEMPTS;
  while (lockSecondsAfter(n) < MAX_LOCK_SECONDS) n++;
  return n;
})();

/**
 * The lock schedule from `nowMs`: for each failure count that locks, the instant the lock ends.
 * Counts above the last entry lock until `beyond`. Handed to the database so one UPDATE can
 * count a guess and lock the link together.
 */
export function lockSchedule(nowMs: number): { steps: Array<{ failures: number; until: string }>; beyond: string } {
  const at = (s: number) => new Date(nowMs + s * 1000).toISOString();
  const steps: Array<{ failures: number; until: string }> = [];
  for (let n = FREE_ATTEMPTS; n <= LAST_GROWING_COUNT; n++) steps.push({ failures: n, until: at(lockSecondsAfter(n)) });
  return { steps, beyond: at(MAX_LOCK_SECONDS) };
}

/** Whole seconds until `lockedUntil` (at least 1 while locked), or 0 when the link is not locked at `nowMs`. */
export function secondsLocked(lockedUntil: string | null, nowMs: number): number {
  if (!lockedUntil) return 0;
  const ms = Date.parse(lockedUntil) - nowMs;
  return ms > 0 ? Math.max(1, Math.ceil(ms / 1000)) : 0;
}
