import pg from 'pg';
import type { DataVersion } from './data-version.js';

/** The channel the change-notice triggers (migration 0006) notify on; the payload is the schema written to. */
export const CHANGE_CHANNEL = 'ledgerline_changes';
const READ_ONLY = /^\s*(select|show)\b/i;
const RECONNECT_MS = 1_000;

export interface PgDataVersion {
  version: DataVersion;
  close(): Promise<void>;
}

/**
 * PostgreSQL's data version: this process's writes are counted as its pool sends them (before and
 * again after each statement that is not a plain read, so a read racing a commit is never cached
 * under the final count), and other processes' commits arrive as notifications from the
 * change-notice triggers on one LISTEN connection. While that connection is down the version is
 * unknown (null) and cached reads go to the database; notifications missed meanwhile count as a
 * change when it is back. Another process's commit reaches cached reads when its notification
 * does, normally within a few milliseconds.
 */
export function pgDataVersion(pool: pg.Pool, clientConfig: pg.ClientConfig): PgDataVersion {
  let local = 0;
  let remote = 0;
  let listening = false;
  let closed = false;
  let client: pg.Client | null = null;
  let timer: NodeJS.Timeout | null = null;
  const bump = () => void local++;

  pool.on('connect', (c) => {
    const query = c.query.bind(c) as (...args: unknown[]) => unknown;
    (c as { query: unknown }).query = (...args: unknown[]) => {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: unknown } | null)?.text;
      if (typeof text === 'string' && READ_ONLY.test(text)) return query(...args);
      bump();
      const out = query(...args);
      if (out && typeof (out as Promise<unknown>).then === 'function') (out as Promise<unknown>).then(bump, bump);
      return out;
    };
  });

  function schedule(): void {
    listening = false;
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = null;
      void listen();
    }, RECONNECT_MS);
    timer.unref();
  }

  async function listen(): Promise<void> {
    const c = new pg.Client({ ...clientConfig, application_name: clientConfig.application_name ?? 'ledgerline-changes' });
    client = c;
    c.on('error', () => {
      if (client === c) schedule();
    });
    c.on('end', () => {
      if (client === c) schedule();
    });
    try {
      await c.connect();
      const schema = (await c.query<{ s: string }>('select current_schema() as s')).rows[0].s;
      c.on('notification', (n) => {
        if (n.channel === CHANGE_CHANNEL && n.payload === schema) remote++;
      });
      await c.query(`LISTEN ${CHANGE_CHANNEL}`);
      if (closed) return void (await c.end().catch(() => undefined));
      // Whatever was committed while nobody listened counts as a change.
      remote++;
      listening = true;
    } catch {
      await c.end().catch(() => undefined);
      schedule();
    }
  }
  void listen();

  return {
    version: () => (listening ? `${remote}:${local}` : null),
    async close() {
      closed = true;
      listening = false;
      if (timer) clearTimeout(timer);
      await client?.end().catch(() => undefined);
    },
  };
}
