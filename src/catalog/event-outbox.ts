import type { Db, Executor } from '../db/database.js';
import { nowIso } from '../db/time.js';
import { uuidv7 } from '../domain/ids.js';
import type { CatalogEvent, EventBus } from './events.js';

/** How long the process that committed a transaction has to publish its events before a sweep may. */
export const OUTBOX_GRACE_MS = 10_000;
/** How long a sweep that took a row has before another may take it again. */
const CLAIM_MS = 60_000;

export interface OutboxLog {
  warn(obj: object, msg: string): void;
}

/**
 * Catalog events are written in the transaction that caused them, published after the commit,
 * then removed. A process killed in between leaves the row; a worker's sweep publishes it once
 * it is due, so an event is published at least once, and twice only when a process died after
 * publishing and before removing it (subscribers that record deliveries keep their own ids).
 */
export function createEventOutbox(db: Db, events: EventBus) {
  const at = (ms: number) => new Date(Date.now() + ms).toISOString();

  async function record(tx: Executor, emitted: CatalogEvent[]): Promise<string> {
    const id = uuidv7();
    await tx.insertInto('eventOutbox').values({ id, events: JSON.stringify(emitted), createdAt: nowIso(), dueAt: at(OUTBOX_GRACE_MS) }).execute();
    return id;
  }

  const done = async (id: string): Promise<void> => void (await db.deleteFrom('eventOutbox').where('id', '=', id).execute());

  /** Publishes the events left behind by processes that died before publishing them; returns how many rows. */
  async function sweep(limit = 100): Promise<number> {
    const due = await db.selectFrom('eventOutbox').selectAll().where('dueAt', '<=', nowIso()).orderBy('createdAt').limit(limit).execute();
    let published = 0;
    for (const row of due) {
      // Taken by one sweep at a time: the row is pushed out of reach of the others first.
      const taken = await db.updateTable('eventOutbox').set({ dueAt: at(CLAIM_MS) }).where('id', '=', row.id).where('dueAt', '=', row.dueAt).executeTakeFirst();
      if (Number(taken.numUpdatedRows) === 0) continue;
      await events.publish(...(JSON.parse(row.events) as CatalogEvent[]));
      await done(row.id);
      published++;
    }
    return published;
  }

  return { record, done, sweep };
}
export type EventOutbox = ReturnType<typeof createEventOutbox>;
