import pg from 'pg';
import { createChangeCounters, isJournaled, TABLE_KEYED_TABLES, TRACK_KEYED_TABLES, type JournaledTable } from './change-scopes.js';
import type { DataVersion } from './data-version.js';

/**
 * The channel the change-notice triggers notify on (migrations 0006 and 0016). The payload is
 * `schema:table`, or `schema:table:trackId` from the track-keyed tables (a bare `schema` from a
 * database before 0016).
 */
export const CHANGE_CHANNEL = 'ledgerline_changes';
const READ_ONLY = /^\s*(select|show)\b/i;
const OPENS = /^\s*(begin|start\s+transaction|savepoint|release|rollback\s+to|set|listen|unlisten)\b/i;
const ENDS = /^\s*(commit|rollback|end|abort)\b/i;
/** The table a plain writing statement (as Kysely writes them) changes; anything else counts as a change to every table. */
const WRITES_TO = /^\s*(?:insert\s+into|update|delete\s+from)\s+(?:"?[a-z_][a-z0-9_]*"?\.)?"?([a-z_][a-z0-9_]*)"?/i;
const RECONNECT_MS = 1_000;

/** Every journaled table, for the database-wide version (which moves on any change). */
const ALL = { tables: [...Object.keys(TRACK_KEYED_TABLES), ...TABLE_KEYED_TABLES] as JournaledTable[] };

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
  // Per table and track, from notices and from this process's own statements.
  const counters = createChangeCounters();
  let listening = false;
  let closed = false;
  let client: pg.Client | null = null;
  let timer: NodeJS.Timeout | null = null;
  const bump = () => void local++;

  pool.on('connect', (c) => {
    const query = c.query.bind(c) as (...args: unknown[]) => unknown;
    // Tables this connection wrote in its open transaction: counted again when it ends, since
    // a read on another connection meanwhile saw the rows as they were.
    const touched = new Set<string>();
    (c as { query: unknown }).query = (...args: unknown[]) => {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: unknown } | null)?.text;
      const mark = markFor(typeof text === 'string' ? text : '', touched);
      if (!mark) return query(...args);
      mark();
      const out = query(...args);
      if (out && typeof (out as Promise<unknown>).then === 'function') (out as Promise<unknown>).then(mark, mark);
      return out;
    };
  });

  /**
   * What a statement of this process changes, counted before it is sent and again once it is
   * done (a read racing it is never cached under the final count). Own writes count at once;
   * their notices come later. Which track a statement wrote is not known here, so a write to
   * a track-keyed table counts for every track of it.
   */
  function markFor(text: string, touched: Set<string>): (() => void) | null {
    if (READ_ONLY.test(text) || OPENS.test(text)) return null;
    if (ENDS.test(text)) {
      const tables = [...touched];
      touched.clear();
      return () => {
        bump();
        for (const t of tables) counters.changed(t, null);
      };
    }
    const table = WRITES_TO.exec(text)?.[1]?.toLowerCase();
    if (table && isJournaled(table)) {
      touched.add(table);
      return () => counters.changed(table, null);
    }
    if (table) return bump;
    // A statement this cannot read (a CTE, a function call): anything may have changed.
    return () => {
      bump();
      counters.reset();
    };
  }

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
        if (n.channel !== CHANGE_CHANNEL || !n.payload) return;
        const [from, table, trackId] = n.payload.split(':', 3);
        if (from !== schema) return;
        if (table && isJournaled(table)) counters.changed(table, trackId === undefined || trackId === '' ? null : trackId);
        else remote++;
      });
      await c.query(`LISTEN ${CHANGE_CHANNEL}`);
      if (closed) return void (await c.end().catch(() => undefined));
      // Whatever was committed while nobody listened counts as a change.
      remote++;
      counters.reset();
      listening = true;
    } catch {
      await c.end().catch(() => undefined);
      schedule();
    }
  }
  void listen();

  return {
    version: (scope) => {
      if (!listening) return null;
      if (scope && scope.tables.every(isJournaled)) return counters.version(scope);
      return `${remote}:${local}:${counters.version(ALL)}`;
    },
    async close() {
      closed = true;
      listening = false;
      if (timer) clearTimeout(timer);
      await client?.end().catch(() => undefined);
    },
  };
}
