import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { WorkspaceSplitSheetsTable } from '../../db/tables/workspace.js';

export type SplitSheetRow = Selectable<WorkspaceSplitSheetsTable>;

export function createSplitSheetRepository(db: Executor) {
  return {
    find: (trackId: string, tx: Executor = db) => tx.selectFrom('workspaceSplitSheets').selectAll().where('trackId', '=', trackId).executeTakeFirst(),
    /** Replaces the sheet and the list of parties it names, in the caller's transaction. */
    async replace(row: SplitSheetRow, collaboratorIds: string[], tx: Executor = db): Promise<void> {
      await tx
        .insertInto('workspaceSplitSheets')
        .values(row)
        .onConflict((oc) =>
          oc.column('trackId').doUpdateSet({
            address: row.address,
            intendedUse: row.intendedUse,
            master: row.master,
            writers: row.writers,
            publishers: row.publishers,
            validatedAt: row.validatedAt,
            updatedByUserId: row.updatedByUserId,
            updatedAt: row.updatedAt,
          }),
        )
        .execute();
      await tx.deleteFrom('workspaceSplitSheetParties').where('trackId', '=', row.trackId).execute();
      if (collaboratorIds.length) {
        await tx
          .insertInto('workspaceSplitSheetParties')
          .values(collaboratorIds.map((collaboratorId) => ({ trackId: row.trackId, collaboratorId })))
          .execute();
      }
    },
  };
}
export type SplitSheetRepository = ReturnType<typeof createSplitSheetRepository>;
