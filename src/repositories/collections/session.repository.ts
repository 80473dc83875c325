import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { ApiKeyGrantsTable, PlaySessionsTable, UploadSessionsTable } from '../../db/tables/collections.js';

export type UploadSessionRow = Selectable<UploadSessionsTable>;
export type PlaySessionRow = Selectable<PlaySessionsTable>;
export type ApiKeyGrantRow = Selectable<ApiKeyGrantsTable>;

/** Upload and play sessions (their ids are capabilities) and what scoped keys were granted. */
export function createSessionRepository(db: Executor) {
  return {
    insertUploadSession: (row: UploadSessionRow, tx: Executor = db) => tx.insertInto('uploadSessions').values(row).execute(),
    findUploadSession: (id: string, tx: Executor = db) => tx.selectFrom('uploadSessions').selectAll().where('id', '=', id).executeTakeFirst(),
    insertPlaySession: (row: PlaySessionRow, tx: Executor = db) => tx.insertInto('playSessions').values(row).execute(),
    findPlaySession: (id: string, tx: Executor = db) => tx.selectFrom('playSessions').selectAll().where('id', '=', id).executeTakeFirst(),
    deleteForCollection: async (tenantId: string, collectionId: string, tx: Executor = db) => {
      await tx.deleteFrom('uploadSessions').where('tenantId', '=', tenantId).where('collectionId', '=', collectionId).execute();
      await tx.deleteFrom('playSessions').where('tenantId', '=', tenantId).where('collectionId', '=', collectionId).execute();
    },
    deleteForTrack: (tenantId: string, trackId: string, tx: Executor = db) =>
      tx.deleteFrom('playSessions').where('tenantId', '=', tenantId).where('trackId', '=', trackId).execute(),
    insertGrant: (row: ApiKeyGrantRow, tx: Executor = db) => tx.insertInto('apiKeyGrants').values(row).execute(),
    findGrant: (apiKeyId: string, tx: Executor = db) => tx.selectFrom('apiKeyGrants').selectAll().where('apiKeyId', '=', apiKeyId).executeTakeFirst(),
  };
}
export type SessionRepository = ReturnType<typeof createSessionRepository>;
