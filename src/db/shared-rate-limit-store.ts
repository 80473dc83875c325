import pg from 'pg';

/** What @fastify/rate-limit asks of a store (its `FastifyRateLimitStore`). */
export interface RateLimitStore {
  /** The plugin passes the window length (ms) and the limit after the callback. */
  incr(key: string, cb: (err: Error | null, result?: { current: number; ttl: number }) => void, timeWindow?: number, max?: number): void;
  child(routeOptions: unknown): RateLimitStore;
}

export interface SharedRateLimits {
  /** Pass as `store` to @fastify/rate-limit. */
  store: new () => RateLimitStore;
  close(): Promise<void>;
}

const PRUNE_EVERY_MS = 60_000;

/**
 * Rate-limit counters in PostgreSQL (`rate_limit_windows`), so a client's limit is the same
 * however many API processes its requests reach. Windows are fixed (aligned to the window
 * length): a client may spend its allowance at the end of one window and again at the start of
 * the next, as with any fixed window. The store has its own small pool, outside the one whose
 * writes count as data changes, so counting a request never invalidates cached reads.
 */
export function createSharedRateLimits(opts: { url: string; schema?: string; applicationName?: string }): SharedRateLimits {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: 4,
    application_name: opts.applicationName ?? 'ledgerline:rate-limits',
    ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
  });
  pool.on('error', () => undefined);
  let lastPrune = 0;

  async function hit(key: string, timeWindow: number): Promise<{ current: number; ttl: number }> {
    const now = Date.now();
    const windowStart = Math.floor(now / timeWindow) * timeWindow;
    const { rows } = await pool.query<{ hits: number }>(
      `INSERT INTO rate_limit_windows (key, window_start, hits) VALUES ($1, $2, 1)
       ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit_windows.hits + 1
       RETURNING hits`,
      [key, windowStart],
    );
    if (now - lastPrune > PRUNE_EVERY_MS) {
      lastPrune = now;
      void pool.query('DELETE FROM rate_limit_windows WHERE window_start < $1', [windowStart - timeWindow]).catch(() => undefined);
    }
    return { current: Number(rows[0].hits), ttl: windowStart + timeWindow - now };
  }

  class Store implements RateLimitStore {
    incr(key: string, cb: (err: Error | null, result?: { current: number; ttl: number }) => void, timeWindow = 60_000): void {
      hit(key, timeWindow).then((r) => cb(null, r), (err: Error) => cb(err));
    }
    child(): RateLimitStore {
      return new Store();
    }
  }

  return { store: Store, close: () => pool.end() };
}
