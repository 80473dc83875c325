/**
 * Group commit for small rows written on every request (a share link's views): rows that arrive
 * together are written by one statement, and each caller's promise settles only once the
 * statement holding its row has committed (or failed), so a caller that answers after awaiting
 * it has its row stored exactly as with a write of its own. One statement runs at a time; rows
 * arriving meanwhile wait for the next, which therefore grows with the load. On SQLite a
 * commit, not the row, is the dear part of a write.
 */
export function createGroupWrite<T>(write: (rows: T[]) => Promise<void>, opts: { maxRows?: number } = {}) {
  const maxRows = opts.maxRows ?? 100;
  let pending: Array<{ row: T; resolve: () => void; reject: (err: unknown) => void }> = [];
  let running = false;
  let scheduled = false;

  async function flush(): Promise<void> {
    scheduled = false;
    running = true;
    try {
      while (pending.length > 0) {
        const batch = pending.slice(0, maxRows);
        pending = pending.slice(batch.length);
        try {
          await write(batch.map((p) => p.row));
          for (const p of batch) p.resolve();
        } catch (err) {
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      running = false;
    }
  }

  return {
    /** Resolves once the row is committed; rejects with the statement's error. */
    add(row: T): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        pending.push({ row, resolve, reject });
        // Wait for the requests already read from the sockets in this turn, then write them all.
        if (!running && !scheduled) {
          scheduled = true;
          setImmediate(() => void flush());
        }
      });
    },
  };
}
export type GroupWrite<T> = ReturnType<typeof createGroupWrite<T>>;
