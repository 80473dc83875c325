import type { WorkspaceRepositories } from '../../repositories/workspace/index.js';
import { nowIso } from '../../db/time.js';
import type { Actor } from '../../domain/access.js';
import { decodeCursor, encodeCursor } from '../../domain/cursor.js';
import { uuidv7 } from '../../domain/ids.js';
import { badRequest, conflict, notFound } from '../../errors.js';
import type { CollaboratorRow, CollaboratorScope } from '../../repositories/workspace/collaborator.repository.js';
import { scopeOf } from './scope.js';
import { hasNul } from './track.service.js';

export interface CollaboratorInput {
  name: string;
  email?: string | null;
  pro?: string | null;
  ipi?: string | null;
}

export const collaboratorScopeOf = (actor: Actor): CollaboratorScope => {
  const scope = scopeOf(actor);
  return { tenantId: scope.tenantId, ownerUserId: scope.ownerUserId };
};

/** Collaborators are the parties a split sheet names; each belongs to the user who created it (admins see the tenant's). */
export function createCollaboratorService(deps: { repos: Pick<WorkspaceRepositories, 'collaborators'> }) {
  const { collaborators } = deps.repos;

  async function get(actor: Actor, id: string): Promise<CollaboratorRow> {
    const row = await collaborators.find(collaboratorScopeOf(actor), id);
    if (!row) throw notFound('collaborator_not_found', 'Collaborator not found');
    return row;
  }

  async function create(actor: Actor, input: CollaboratorInput): Promise<CollaboratorRow> {
    const scope = scopeOf(actor);
    const now = nowIso();
    const row: CollaboratorRow = {
      id: uuidv7(),
      tenantId: scope.tenantId,
      ownerUserId: actor.userId,
      name: input.name,
      email: input.email ?? null,
      pro: input.pro ?? null,
      ipi: input.ipi ?? null,
      createdAt: now,
      updatedAt: now,
    };
    await collaborators.insert(row);
    return row;
  }

  async function list(actor: Actor, opts: { limit: number; cursor?: string }) {
    let after: { name: string; id: string } | undefined;
    if (opts.cursor) {
      const c = decodeCursor(opts.cursor, { n: 'string', i: 'string' });
      if (!c || hasNul(c.n, c.i)) throw badRequest('invalid_cursor', 'The cursor is malformed');
      after = { name: c.n, id: c.i };
    }
    const rows = await collaborators.list(collaboratorScopeOf(actor), { limit: opts.limit + 1, after });
    const page = rows.slice(0, opts.limit);
    const last = page.at(-1);
    return { records: page, nextCursor: rows.length > opts.limit && last ? encodeCursor({ n: last.name, i: last.id }) : null };
  }

  async function update(actor: Actor, id: string, patch: Partial<CollaboratorInput>): Promise<CollaboratorRow> {
    await get(actor, id);
    await collaborators.update(id, { ...patch, updatedAt: nowIso() });
    return get(actor, id);
  }

  async function remove(actor: Actor, id: string): Promise<void> {
    await get(actor, id);
    if (await collaborators.isOnAnySheet(id)) throw conflict('collaborator_in_use', 'The collaborator is named on a split sheet');
    await collaborators.delete(id);
  }

  return { get, create, list, update, remove };
}
export type CollaboratorService = ReturnType<typeof createCollaboratorService>;
