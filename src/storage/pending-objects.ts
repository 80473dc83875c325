import type { Db, Executor } from '../db/database.js';
import { nowIso } from '../db/time.js';
import type { BlobStore } from './blob-store.js';

/**
 * The ledger of objects written before their owner's row commits (migration 0018). `record`
 * before the first byte, `adopt` in the transaction that files the object as an asset (the
 * catalog does it for every asset), `discard` when the request gives up. A crash in between
 * leaves a row; `sweep` deletes such objects once no request can still be writing them.
 */
export function createPendingObjects(db: Db, store: Pick<BlobStore, 'delete'>) {
  return {
    record: async (tenantId: string, storageKey: string): Promise<void> =>
      void (await db.insertInto('pendingObjects').values({ storageKey, tenantId, createdAt: nowIso() }).onConflict((oc) => oc.column('storageKey').doNothing()).execute()),
    adopt: async (storageKey: string, tx: Executor): Promise<void> => void (await tx.deleteFrom('pendingObjects').where('storageKey', '=', storageKey).execute()),
    async discard(storageKey: string): Promise<void> {
      await store.delete(storageKey);
      await db.deleteFrom('pendingObjects').where('storageKey', '=', storageKey).execute();
    },
    /** Deletes the objects of rows recorded before `before` and never adopted; returns how many. */
    async sweep(before: string, limit = 500): Promise<number> {
      const stale = await db.selectFrom('pendingObjects').select('storageKey').where('createdAt', '<', before).orderBy('createdAt').limit(limit).execute();
      for (const { storageKey } of stale) {
        // Filed after all (its adopting transaction and this sweep crossed): the object stays.
        const owned = await db.selectFrom('assets').select('id').where('storageKey', '=', storageKey).executeTakeFirst();
        if (!owned) await store.delete(storageKey);
        await db.deleteFrom('pendingObjects').where('storageKey', '=', storageKey).execute();
      }
      return stale.length;
    },
  };
}
export type PendingObjects = ReturnType<typeof createPendingObjects>;
