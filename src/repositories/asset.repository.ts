import { PostgresAdapter, sql, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../db/database.js';
import type { AssetsTable, UploadsTable } from '../db/tables/catalog.js';

export type AssetRow = Selectable<AssetsTable>;
export type AssetPatch = Updateable<Omit<AssetsTable, 'id' | 'tenantId'>>;
export type UploadRow = Selectable<UploadsTable>;

export function createAssetRepository(db: Executor) {
  return {
    insert: (row: AssetRow, tx: Executor = db) => tx.insertInto('assets').values(row).execute(),
    find: (tenantId: string, id: string, tx: Executor = db) =>
      tx.selectFrom('assets').selectAll().where('tenantId', '=', tenantId).where('id', '=', id).executeTakeFirst(),
    findByIdAnyTenant: (id: string, tx: Executor = db) => tx.selectFrom('assets').selectAll().where('id', '=', id).executeTakeFirst(),
    findByStorageKey: (key: string, tx: Executor = db) => tx.selectFrom('assets').selectAll().where('storageKey', '=', key).executeTakeFirst(),
    listForTrack: (tenantId: string, trackId: string, kinds?: string[], tx: Executor = db) => {
      let q = tx.selectFrom('assets').selectAll().where('tenantId', '=', tenantId).where('trackId', '=', trackId).where('status', '!=', 'deleted');
      if (kinds?.length) q = q.where('kind', 'in', kinds);
      return q.orderBy('createdAt').orderBy('id').execute();
    },
    update: (id: string, patch: AssetPatch, tx: Executor = db) => tx.updateTable('assets').set(patch).where('id', '=', id).execute(),
    delete: (id: string, tx: Executor = db) => tx.deleteFrom('assets').where('id', '=', id).execute(),
    deleteForTrack: (trackId: string, tx: Executor = db) => tx.deleteFrom('assets').where('trackId', '=', trackId).execute(),

    insertUpload: (row: UploadRow, tx: Executor = db) => tx.insertInto('uploads').values(row).execute(),
    findUpload: (tenantId: string, id: string, tx: Executor = db) =>
      tx.selectFrom('uploads').selectAll().where('tenantId', '=', tenantId).where('id', '=', id).executeTakeFirst(),
    findUploadByAsset: (assetId: string, tx: Executor = db) => tx.selectFrom('uploads').selectAll().where('assetId', '=', assetId).executeTakeFirst(),
    /** Moves an upload from pending to finalized exactly once; false when someone else already did. */
    markUploadFinalized: async (id: string, at: string, written: { size: number; etag: string | null }, tx: Executor = db) => {
      const res = await tx
        .updateTable('uploads')
        .set({ status: 'finalized', finalizedAt: at, writeState: 'written', writtenSize: written.size, writtenEtag: written.etag })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
    /**
     * Lets one PUT write the upload's bytes: pending (or a claim older than `staleBefore`, whose
     * writer died) becomes writing under `claim`, in one statement so two PUTs cannot both win.
     */
    claimUploadWrite: async (id: string, claim: string, now: string, staleBefore: string, tx: Executor = db) => {
      const res = await tx
        .updateTable('uploads')
        .set({ writeState: 'writing', writeClaim: claim, writeStartedAt: now })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where((eb) => eb.or([eb('writeState', '=', 'pending'), eb.and([eb('writeState', '=', 'writing'), eb('writeStartedAt', '<', staleBefore)])]))
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
    /** The claimed write is in place: the URL is used up. False when the claim is gone (purged meanwhile). */
    completeUploadWrite: async (id: string, claim: string, size: number, tx: Executor = db) => {
      const res = await tx
        .updateTable('uploads')
        .set({ writeState: 'written', writtenSize: size })
        .where('id', '=', id)
        // Not the state: a finalize may already have seen the renamed object and marked it written.
        .where('writeClaim', '=', claim)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
    /** The claimed write failed and left nothing: the URL may be used again. */
    releaseUploadWrite: (id: string, claim: string, tx: Executor = db) =>
      tx
        .updateTable('uploads')
        .set({ writeState: 'pending', writeClaim: null, writeStartedAt: null })
        .where('id', '=', id)
        .where('writeState', '=', 'writing')
        .where('writeClaim', '=', claim)
        .execute(),
    listExpiredUploads: (now: string, limit: number, tx: Executor = db) =>
      tx.selectFrom('uploads').selectAll().where('status', '=', 'pending').where('expiresAt', '<', now).limit(limit).execute(),
    /**
     * Claims up to `limit` pending auto-finalize uploads due for a look in the store, and books
     * their next look in the same statement: soon while an upload is young (a client PUTs right
     * after asking), rarely once it is old. On PostgreSQL the uploads are taken `FOR UPDATE SKIP
     * LOCKED`, so workers claiming at once get disjoint sets; on SQLite the statement is one write.
     */
    claimUploadsToWatch: async (now: Date, limit: number, tx: Executor = db): Promise<UploadRow[]> => {
      const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
      const lock = tx.getExecutor().adapter instanceof PostgresAdapter ? sql`for update of u skip locked` : sql``;
      const claimed = await sql<{ uploadId: string }>`
        insert into upload_watch (upload_id, next_check_at, checks)
        select u.id,
          case when u.created_at > ${at(-2 * 60_000)} then ${at(2_000)}
               when u.created_at > ${at(-30 * 60_000)} then ${at(15_000)}
               else ${at(60_000)} end,
          1
        from uploads u left join upload_watch w on w.upload_id = u.id
        where u.status = 'pending' and u.auto_finalize = 1 and (w.next_check_at is null or w.next_check_at <= ${now.toISOString()})
        order by u.created_at
        limit ${limit}
        ${lock}
        on conflict (upload_id) do update set next_check_at = excluded.next_check_at, checks = upload_watch.checks + 1
          -- Checked again on the row as committed: a round that started before another's claim
          -- committed sees no watch row, conflicts with the new one, and must not claim it too.
          where upload_watch.next_check_at <= ${now.toISOString()}
        returning upload_id`.execute(tx);
      const ids = claimed.rows.map((r) => r.uploadId);
      return ids.length ? tx.selectFrom('uploads').selectAll().where('id', 'in', ids).orderBy('createdAt').execute() : [];
    },
    listPendingUploads: (limit: number, tx: Executor = db) =>
      tx.selectFrom('uploads').selectAll().where('status', '=', 'pending').orderBy('createdAt').limit(limit).execute(),
    updateUpload: (id: string, patch: Partial<Omit<UploadRow, 'id'>>, tx: Executor = db) => tx.updateTable('uploads').set(patch).where('id', '=', id).execute(),
    /** A purged track's uploads; expired intents stay on record (the foreign key unlinks them). */
    deleteUploadsForTrack: (trackId: string, tx: Executor = db) => tx.deleteFrom('uploads').where('trackId', '=', trackId).where('status', '<>', 'expired').execute(),
  };
}
export type AssetRepository = ReturnType<typeof createAssetRepository>;
