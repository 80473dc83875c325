import type SQLite from 'better-sqlite3';
import { createChangeCounters, isJournaled, type ChangeScope } from './change-scopes.js';

/**
 * A token that changes whenever what a read depends on may have changed: a value cached under
 * one token is as fresh as a query while the token stays the same. Without a scope, any write
 * to the database moves it; with one (tables from src/db/change-scopes.ts, and optionally one
 * track), only writes to those tables (or that track's rows of them) do. `null` means the
 * database cannot say, and callers must read through.
 */
export type DataVersion = (scope?: ChangeScope) => string | null;

/** How long another process's commit may take to reach cached reads (this process's own writes count at once). */
export const OTHER_WRITERS_LAG_MS = 1;

/**
 * On SQLite, `total_changes()` counts the rows this connection has written (in a transaction or
 * not, triggers included) and costs nothing. `PRAGMA data_version` moves when another connection
 * or process commits; it opens a read transaction (about as dear as a small query), so it is
 * asked at most once per OTHER_WRITERS_LAG_MS. When either moved, the change journal's new rows
 * (migration 0016) say which tables and tracks were written, by this process or another.
 */
export function sqliteDataVersion(sqlite: SQLite.Database, lagMs = OTHER_WRITERS_LAG_MS): DataVersion {
  const own = sqlite.prepare('select total_changes()').pluck();
  const others = sqlite.prepare('pragma data_version').pluck();
  let othersValue = 0;
  let askedAt = -Infinity;
  const counters = createChangeCounters();
  let journal: SQLite.Statement | null = null;
  let lastSeq = -1;
  let synced = '';

  /** Reads the journal past the last row seen; false while there is none (before migration 0016). */
  function sync(token: string): boolean {
    if (token === synced) return journal !== null;
    if (!journal) {
      try {
        journal = sqlite.prepare('select seq, tbl, track_id as trackId from change_journal where seq > ? order by seq');
        lastSeq = sqlite.prepare('select coalesce(max(seq), 0) from change_journal').pluck().get() as number;
      } catch {
        journal = null;
        synced = token;
        return false;
      }
    }
    const rows = journal.all(lastSeq) as Array<{ seq: number; tbl: string; trackId: string | null }>;
    // Rows pruned before this process read them: anything may have changed.
    if (rows.length && rows[0].seq !== lastSeq + 1) counters.reset();
    for (const r of rows) counters.changed(r.tbl, r.trackId);
    if (rows.length) lastSeq = rows[rows.length - 1].seq;
    synced = token;
    return true;
  }

  return (scope) => {
    try {
      const now = performance.now();
      if (now - askedAt >= lagMs) {
        othersValue = others.get() as number;
        askedAt = now;
      }
      const token = `${othersValue}:${own.get() as number}`;
      if (!scope || !scope.tables.every(isJournaled)) return token;
      // Inside a transaction the journal holds rows that may yet be rolled back (and their
      // numbers reused): read through until it ends.
      if (sqlite.inTransaction) return null;
      return sync(token) ? counters.version(scope) : token;
    } catch {
      // A closed connection, or one busy with an open iterator, cannot answer: read through.
      return null;
    }
  };
}

/** For a database that cannot tell: nothing is served from memory (PostgreSQL: see pg-data-version.ts). */
export const noDataVersion: DataVersion = () => null;
