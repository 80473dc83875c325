import type SQLite from 'better-sqlite3';

/**
 * A token that changes whenever the database may have changed: a value cached under one token
 * is as fresh as a query while the token stays the same. `null` means the database cannot
 * say, and callers must read through.
 */
export type DataVersion = () => string | null;

/** How long another process's commit may take to reach cached reads (this process's own writes count at once). */
export const OTHER_WRITERS_LAG_MS = 1;

/**
 * On SQLite, `total_changes()` counts the rows this connection has written (in a transaction or
 * not, triggers included) and costs nothing. `PRAGMA data_version` moves when another connection
 * or process commits; it opens a read transaction (about as dear as a small query), so it is
 * asked at most once per OTHER_WRITERS_LAG_MS.
 */
export function sqliteDataVersion(sqlite: SQLite.Database, lagMs = OTHER_WRITERS_LAG_MS): DataVersion {
  const own = sqlite.prepare('select total_changes()').pluck();
  const others = sqlite.prepare('pragma data_version').pluck();
  let othersValue = 0;
  let askedAt = -Infinity;
  return () => {
    try {
      const now = performance.now();
      if (now - askedAt >= lagMs) {
        othersValue = others.get() as number;
        askedAt = now;
      }
      return `${othersValue}:${own.get() as number}`;
    } catch {
      // A closed connection, or one busy with an open iterator, cannot answer: read through.
      return null;
    }
  };
}

/** For a database that cannot tell: nothing is served from memory (PostgreSQL: see pg-data-version.ts). */
export const noDataVersion: DataVersion = () => null;
