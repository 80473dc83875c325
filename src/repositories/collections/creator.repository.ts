import type { Selectable, Updateable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { CreatorsTable } from '../../db/tables/collections.js';

export type CreatorRow = Selectable<CreatorsTable>;
export type CreatorPatch = Updateable<Omit<CreatorsTable, 'id' | 'tenantId'>>;

export function createCreatorRepository(db: Executor) {
  return {
    insert: (row: CreatorRow, tx: Executor = db) => tx.insertInto('creators').values(row).execute(),
    find: (tenantId: string, id: string, tx: Executor = db) =>
      tx.selectFrom('creators').selectAll().where('tenantId', '=', tenantId).where('id', '=', id).executeTakeFirst(),
    list: (tenantId: string, page: { limit: number; offset: number }, tx: Executor = db) =>
      tx
        .selectFrom('creators')
        .selectAll()
        .where('tenantId', '=', tenantId)
        .orderBy('createdAt')
        .orderBy('id')
        .limit(page.limit)
        .offset(page.offset)
        .execute(),
    count: async (tenantId: string, tx: Executor = db) =>
      Number((await tx.selectFrom('creators').select((eb) => eb.fn.countAll<number>().as('n')).where('tenantId', '=', tenantId).executeTakeFirstOrThrow()).n),
    update: (tenantId: string, id: string, patch: CreatorPatch, tx: Executor = db) =>
      tx.updateTable('creators').set(patch).where('tenantId', '=', tenantId).where('id', '=', id).execute(),
    delete: (tenantId: string, id: string, tx: Executor = db) => tx.deleteFrom('creators').where('tenantId', '=', tenantId).where('id', '=', id).execute(),
    /** Collections, tracks and sessions keep existing when their creator goes; they just lose the link. */
    unlink: async (tenantId: string, id: string, tx: Executor = db) => {
      await tx.updateTable('collections').set({ creatorId: null }).where('tenantId', '=', tenantId).where('creatorId', '=', id).execute();
      await tx.updateTable('collectionTracks').set({ creatorId: null }).where('tenantId', '=', tenantId).where('creatorId', '=', id).execute();
      await tx.updateTable('uploadSessions').set({ creatorId: null }).where('tenantId', '=', tenantId).where('creatorId', '=', id).execute();
      await tx.updateTable('playSessions').set({ creatorId: null }).where('tenantId', '=', tenantId).where('creatorId', '=', id).execute();
    },
  };
}
export type CreatorRepository = ReturnType<typeof createCreatorRepository>;
