import type { Selectable } from 'kysely';
import type { Executor } from '../db/database.js';
import type { EmbeddingsTable, ProcessingLanesTable, RemoteDispatchesTable, TrackEventsTable } from '../db/tables/catalog.js';
import { uuidv7 } from '../domain/ids.js';
import { nowIso } from '../db/time.js';
import { preparedQuery } from '../db/prepared-query.js';

export type LaneRow = Selectable<ProcessingLanesTable>;
export type EmbeddingRow = Selectable<EmbeddingsTable>;
export type RemoteDispatchRow = Selectable<RemoteDispatchesTable>;
export type TrackEventRow = Selectable<TrackEventsTable>;

/** A lane status as just written, for observers (surfaces that cache statuses or send webhooks). */
export interface LaneWrite {
  tenantId: string;
  trackId: string;
  assetId: string;
  lane: string;
  status: string;
}
export type LaneWriteListener = (write: LaneWrite) => Promise<void>;

const EVENT_COLUMNS = ['id', 'tenantId', 'trackId', 'type', 'shareLinkId', 'actorUserId', 'meta', 'createdAt'] as const satisfies ReadonlyArray<keyof TrackEventRow>;

export function createProcessingRepository(db: Executor) {
  const laneListeners: LaneWriteListener[] = [];
  const eventInserts = new Map<number, (tx: Executor, args: Record<string, unknown>) => Promise<unknown>>();
  // Observers run after the write. Inside a transaction they are deferred: on SQLite a query
  // they made from outside the transaction would wait for it to end, and it would wait for them.
  async function notifyLaneWrite(write: LaneWrite, inTransaction: boolean): Promise<void> {
    const run = async () => {
      for (const listener of laneListeners) await listener(write).catch(() => undefined);
    };
    if (inTransaction) setImmediate(() => void run());
    else await run();
  }

  return {
    /** Called after every lane status write; errors thrown by a listener are contained. */
    onLaneWritten: (listener: LaneWriteListener): void => void laneListeners.push(listener),
    /** Creates the lane row if missing, else applies the patch: lanes are keyed by (asset, lane). */
    async upsertLane(
      key: { tenantId: string; trackId: string; assetId: string; lane: string },
      patch: Partial<Pick<LaneRow, 'status' | 'error' | 'result' | 'startedAt' | 'finishedAt' | 'attempts'>>,
      tx: Executor = db,
    ): Promise<void> {
      const now = nowIso();
      await tx
        .insertInto('processingLanes')
        .values({
          id: uuidv7(),
          ...key,
          status: patch.status ?? 'pending',
          attempts: patch.attempts ?? 0,
          error: patch.error ?? null,
          result: patch.result ?? '{}',
          startedAt: patch.startedAt ?? null,
          finishedAt: patch.finishedAt ?? null,
          createdAt: now,
          updatedAt: now,
        })
        .onConflict((oc) => oc.columns(['assetId', 'lane']).doUpdateSet({ ...patch, updatedAt: now }))
        .execute();
      if (patch.status && laneListeners.length) await notifyLaneWrite({ ...key, status: patch.status }, tx !== db);
    },
    findLane: (assetId: string, lane: string, tx: Executor = db) =>
      tx.selectFrom('processingLanes').selectAll().where('assetId', '=', assetId).where('lane', '=', lane).executeTakeFirst(),
    lanesForAsset: (assetId: string, tx: Executor = db) => tx.selectFrom('processingLanes').selectAll().where('assetId', '=', assetId).execute(),
    lanesForTrack: (trackId: string, tx: Executor = db) => tx.selectFrom('processingLanes').selectAll().where('trackId', '=', trackId).execute(),
    lanesForAssets: (assetIds: string[], tx: Executor = db) =>
      assetIds.length ? tx.selectFrom('processingLanes').selectAll().where('assetId', 'in', assetIds).execute() : Promise.resolve([] as LaneRow[]),
    /** Lanes left `running` by a process that died; they are re-queued at start-up. */
    listUnfinished: (tx: Executor = db) => tx.selectFrom('processingLanes').selectAll().where('status', 'in', ['pending', 'running']).execute(),
    /** Audio versions whose upload was finalized but whose lanes were never started (a crash between the two). */
    listVersionsWithoutLanes: (tx: Executor = db) =>
      tx
        .selectFrom('trackVersions as v')
        .innerJoin('assets as a', 'a.id', 'v.assetId')
        .select(['a.tenantId', 'v.trackId', 'a.id as assetId'])
        .where('a.kind', '=', 'audio')
        .where('a.status', '=', 'uploaded')
        .where((eb) => eb.not(eb.exists(eb.selectFrom('processingLanes as p').select('p.assetId').whereRef('p.assetId', '=', 'a.id'))))
        .execute(),
    deleteForTrack: (trackId: string, tx: Executor = db) => tx.deleteFrom('processingLanes').where('trackId', '=', trackId).execute(),

    upsertEmbedding: (row: EmbeddingRow, tx: Executor = db) =>
      tx
        .insertInto('embeddings')
        .values(row)
        .onConflict((oc) => oc.column('assetId').doUpdateSet({ vector: row.vector, dims: row.dims, createdAt: row.createdAt }))
        .execute(),
    findEmbedding: (assetId: string, tx: Executor = db) => tx.selectFrom('embeddings').selectAll().where('assetId', '=', assetId).executeTakeFirst(),

    insertDispatch: (row: RemoteDispatchRow, tx: Executor = db) => tx.insertInto('remoteDispatches').values(row).execute(),
    updateDispatch: (id: string, patch: Partial<Omit<RemoteDispatchRow, 'id'>>, tx: Executor = db) =>
      tx.updateTable('remoteDispatches').set(patch).where('id', '=', id).execute(),
    findDispatch: (id: string, tx: Executor = db) => tx.selectFrom('remoteDispatches').selectAll().where('id', '=', id).executeTakeFirst(),
    dispatchesForTrack: (trackId: string, tx: Executor = db) =>
      tx.selectFrom('remoteDispatches').selectAll().where('trackId', '=', trackId).orderBy('createdAt').execute(),

    insertEvent: (row: TrackEventRow, tx: Executor = db) => tx.insertInto('trackEvents').values(row).execute(),
    /** Many events in one statement (a group commit of views), compiled once per row count. */
    async insertEvents(rows: TrackEventRow[], tx: Executor = db): Promise<void> {
      if (rows.length === 0) return;
      let insert = eventInserts.get(rows.length);
      if (!insert) {
        if (eventInserts.size >= 256) eventInserts.clear();
        insert = preparedQuery(
          rows.flatMap((_, i) => EVENT_COLUMNS.map((c) => `${i}.${c}`)),
          (q, args) => q.insertInto('trackEvents').values(rows.map((_, i) => Object.fromEntries(EVENT_COLUMNS.map((c) => [c, args[`${i}.${c}`]])) as TrackEventRow)),
        );
        eventInserts.set(rows.length, insert);
      }
      await insert(tx, Object.fromEntries(rows.flatMap((row, i) => EVENT_COLUMNS.map((c) => [`${i}.${c}`, row[c]]))));
    },
    countEvents: async (trackId: string, type: string, shareLinkId?: string, tx: Executor = db) => {
      let q = tx.selectFrom('trackEvents').select((eb) => eb.fn.countAll<number>().as('n')).where('trackId', '=', trackId).where('type', '=', type);
      if (shareLinkId) q = q.where('shareLinkId', '=', shareLinkId);
      return Number((await q.executeTakeFirstOrThrow()).n);
    },
  };
}
export type ProcessingRepository = ReturnType<typeof createProcessingRepository>;
