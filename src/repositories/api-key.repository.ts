import type { Selectable } from 'kysely';
import type { Executor } from '../db/database.js';
import type { ApiKeysTable } from '../db/tables/foundation.js';

export type ApiKeyRow = Selectable<ApiKeysTable>;

export function createApiKeyRepository(db: Executor) {
  return {
    insert: (row: ApiKeyRow, tx: Executor = db) => tx.insertInto('apiKeys').values(row).execute(),
    findByHash: (hash: string, tx: Executor = db) => tx.selectFrom('apiKeys').selectAll().where('keyHash', '=', hash).executeTakeFirst(),
    findById: (tenantId: string, id: string, tx: Executor = db) =>
      tx.selectFrom('apiKeys').selectAll().where('tenantId', '=', tenantId).where('id', '=', id).executeTakeFirst(),
    list: (tenantId: string, tx: Executor = db) =>
      tx.selectFrom('apiKeys').selectAll().where('tenantId', '=', tenantId).orderBy('createdAt', 'desc').execute(),
    revoke: (tenantId: string, id: string, at: string, tx: Executor = db) =>
      tx.updateTable('apiKeys').set({ revokedAt: at }).where('tenantId', '=', tenantId).where('id', '=', id).where('revokedAt', 'is', null).execute(),
    touch: (id: string, at: string, tx: Executor = db) => tx.updateTable('apiKeys').set({ lastUsedAt: at }).where('id', '=', id).execute(),
  };
}
export type ApiKeyRepository = ReturnType<typeof createApiKeyRepository>;
