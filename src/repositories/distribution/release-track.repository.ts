import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { DistReleaseTracksTable } from '../../db/tables/distribution.js';

export type ReleaseTrackRow = Selectable<DistReleaseTracksTable>;
export type ReleaseTrackPatch = Updateable<Omit<DistReleaseTracksTable, 'id' | 'tenantId' | 'releaseId' | 'trackNumber'>>;

export function createReleaseTrackRepository(db: Executor) {
  return {
    insert: (row: Insertable<DistReleaseTracksTable>, tx: Executor = db) => tx.insertInto('distReleaseTracks').values(row).execute(),
    find: (tenantId: string, releaseId: string, id: string, tx: Executor = db) =>
      tx.selectFrom('distReleaseTracks').selectAll().where('tenantId', '=', tenantId).where('releaseId', '=', releaseId).where('id', '=', id).executeTakeFirst(),
    listForRelease: (releaseId: string, tx: Executor = db) =>
      tx.selectFrom('distReleaseTracks').selectAll().where('releaseId', '=', releaseId).orderBy('trackNumber').execute(),
    listForReleases: (releaseIds: string[], tx: Executor = db) =>
      releaseIds.length === 0
        ? Promise.resolve([] as ReleaseTrackRow[])
        : tx.selectFrom('distReleaseTracks').selectAll().where('releaseId', 'in', releaseIds).orderBy('releaseId').orderBy('trackNumber').execute(),
    listForTrack: (tenantId: string, trackId: string, tx: Executor = db) =>
      tx.selectFrom('distReleaseTracks').selectAll().where('tenantId', '=', tenantId).where('trackId', '=', trackId).execute(),
    update: (id: string, patch: ReleaseTrackPatch, tx: Executor = db) => tx.updateTable('distReleaseTracks').set(patch).where('id', '=', id).execute(),
    delete: (id: string, tx: Executor = db) => tx.deleteFrom('distReleaseTracks').where('id', '=', id).execute(),
    async maxNumber(releaseId: string, tx: Executor = db): Promise<number> {
      const r = await tx.selectFrom('distReleaseTracks').select((eb) => eb.fn.max('trackNumber').as('n')).where('releaseId', '=', releaseId).executeTakeFirst();
      return Number(r?.n ?? 0);
    },
    /**
     * Gives the listed tracks the numbers 1..n in that order. Two statements: every number is
     * first made negative (still distinct), then set, so the (release, number) unique
     * constraint holds after each row on both dialects.
     */
    async renumber(releaseId: string, orderedIds: string[], tx: Executor = db): Promise<void> {
      if (orderedIds.length === 0) return;
      await tx
        .updateTable('distReleaseTracks')
        .set((eb) => ({ trackNumber: eb.neg(eb.ref('trackNumber')) }))
        .where('releaseId', '=', releaseId)
        .where('trackNumber', '>', 0)
        .execute();
      await tx
        .updateTable('distReleaseTracks')
        .set((eb) => {
          let c = eb.case().when('id', '=', orderedIds[0]).then(1);
          for (let i = 1; i < orderedIds.length; i++) c = c.when('id', '=', orderedIds[i]).then(i + 1);
          return { trackNumber: c.else(eb.ref('trackNumber')).end() };
        })
        .where('releaseId', '=', releaseId)
        .execute();
    },
  };
}
export type ReleaseTrackRepository = ReturnType<typeof createReleaseTrackRepository>;
