import type { Selectable } from 'kysely';
import type { Executor } from '../db/database.js';
import type { TenantsTable, UsersTable } from '../db/tables/foundation.js';

export type TenantRow = Selectable<TenantsTable>;
export type UserRow = Selectable<UsersTable>;

export function createTenantRepository(db: Executor) {
  return {
    findById: (id: string, tx: Executor = db) => tx.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst(),
    findByName: (name: string, tx: Executor = db) => tx.selectFrom('tenants').selectAll().where('name', '=', name).executeTakeFirst(),
    list: (tx: Executor = db) => tx.selectFrom('tenants').selectAll().orderBy('createdAt').execute(),
    insert: (row: Omit<TenantRow, 'upcCounter'>, tx: Executor = db) => tx.insertInto('tenants').values(row).execute(),
    update: (id: string, patch: Partial<Omit<TenantRow, 'id'>>, tx: Executor = db) =>
      tx.updateTable('tenants').set(patch).where('id', '=', id).execute(),
    /** Atomically takes the next per-tenant counter value (UPC item references). */
    async nextUpcCounter(id: string, tx: Executor = db): Promise<number> {
      const row = await tx
        .updateTable('tenants')
        .set((eb) => ({ upcCounter: eb('upcCounter', '+', 1) }))
        .where('id', '=', id)
        .returning('upcCounter')
        .executeTakeFirstOrThrow();
      return Number(row.upcCounter);
    },

    findUserById: (id: string, tx: Executor = db) => tx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst(),
    findUserByName: (tenantId: string, name: string, tx: Executor = db) =>
      tx.selectFrom('users').selectAll().where('tenantId', '=', tenantId).where('name', '=', name).executeTakeFirst(),
    findUserBySubject: (tenantId: string, subject: string, tx: Executor = db) =>
      tx.selectFrom('users').selectAll().where('tenantId', '=', tenantId).where('externalSubject', '=', subject).executeTakeFirst(),
    listUsers: (tenantId: string, tx: Executor = db) => tx.selectFrom('users').selectAll().where('tenantId', '=', tenantId).orderBy('createdAt').execute(),
    insertUser: (row: UserRow, tx: Executor = db) => tx.insertInto('users').values(row).execute(),
    updateUser: (id: string, patch: Partial<Omit<UserRow, 'id' | 'tenantId'>>, tx: Executor = db) =>
      tx.updateTable('users').set(patch).where('id', '=', id).execute(),
  };
}
export type TenantRepository = ReturnType<typeof createTenantRepository>;
