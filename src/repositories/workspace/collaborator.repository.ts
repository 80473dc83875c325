import type { Selectable, Updateable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { WorkspaceCollaboratorsTable } from '../../db/tables/workspace.js';

export type CollaboratorRow = Selectable<WorkspaceCollaboratorsTable>;
export type CollaboratorPatch = Updateable<Pick<WorkspaceCollaboratorsTable, 'name' | 'email' | 'pro' | 'ipi' | 'updatedAt'>>;

/** `ownerUserId: null` in a scope means the whole tenant (admins). */
export interface CollaboratorScope {
  tenantId: string;
  ownerUserId: string | null;
}

export function createCollaboratorRepository(db: Executor) {
  const scoped = (scope: CollaboratorScope, tx: Executor) => {
    let q = tx.selectFrom('workspaceCollaborators').selectAll().where('tenantId', '=', scope.tenantId);
    if (scope.ownerUserId !== null) q = q.where('ownerUserId', '=', scope.ownerUserId);
    return q;
  };
  return {
    insert: (row: CollaboratorRow, tx: Executor = db) => tx.insertInto('workspaceCollaborators').values(row).execute(),
    find: (scope: CollaboratorScope, id: string, tx: Executor = db) => scoped(scope, tx).where('id', '=', id).executeTakeFirst(),
    findMany: (scope: CollaboratorScope, ids: string[], tx: Executor = db) =>
      ids.length === 0 ? Promise.resolve([] as CollaboratorRow[]) : scoped(scope, tx).where('id', 'in', ids).execute(),
    /** By id within the tenant, whoever owns them: names on a sheet shown to its reviewers. */
    findInTenant: (tenantId: string, ids: string[], tx: Executor = db) =>
      ids.length === 0
        ? Promise.resolve([] as CollaboratorRow[])
        : tx.selectFrom('workspaceCollaborators').selectAll().where('tenantId', '=', tenantId).where('id', 'in', ids).execute(),
    list: (scope: CollaboratorScope, opts: { limit: number; after?: { name: string; id: string } }, tx: Executor = db) => {
      let q = scoped(scope, tx);
      if (opts.after) {
        const { name, id } = opts.after;
        q = q.where((eb) => eb.or([eb('name', '>', name), eb.and([eb('name', '=', name), eb('id', '>', id)])]));
      }
      return q.orderBy('name').orderBy('id').limit(opts.limit).execute();
    },
    update: (id: string, patch: CollaboratorPatch, tx: Executor = db) => tx.updateTable('workspaceCollaborators').set(patch).where('id', '=', id).execute(),
    delete: (id: string, tx: Executor = db) => tx.deleteFrom('workspaceCollaborators').where('id', '=', id).execute(),
    isOnAnySheet: async (id: string, tx: Executor = db) =>
      !!(await tx.selectFrom('workspaceSplitSheetParties').select('trackId').where('collaboratorId', '=', id).limit(1).executeTakeFirst()),
  };
}
export type CollaboratorRepository = ReturnType<typeof createCollaboratorRepository>;
