export interface BackoffOptions {
  /** Delay before the first retry, before jitter. */
  baseMs?: number;
  /** Upper bound of any single delay, so a flapping dependency is retried at least this often. */
  capMs?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffOptions> = { baseMs: 1000, capMs: 5 * 60_000 };

/**
 * Delay before retrying after the `attempt`-th failed run (1-based): exponential, capped, with
 * "equal jitter" — half of the step is fixed, half random — so retries of jobs that failed
 * together spread out yet never come back sooner than half the step. pg-boss uses the same
 * shape for `retryBackoff`, so both queues behave alike.
 */
export function backoffMs(attempt: number, opts: BackoffOptions = {}, random: () => number = Math.random): number {
  const { baseMs, capMs } = { ...DEFAULT_BACKOFF, ...opts };
  // 2 ** 30 is far past any cap; bounding the exponent keeps the arithmetic finite.
  const step = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(attempt, 1) - 1, 30));
  return Math.round(step / 2 + (step / 2) * random());
}
