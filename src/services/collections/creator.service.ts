import type { CoreDeps } from '../../container.js';
import { nowIso } from '../../db/time.js';
import { uniqueViolation } from '../../db/unique-violation.js';
import type { Actor } from '../../domain/access.js';
import { uuidv7 } from '../../domain/ids.js';
import { conflict, notFound } from '../../errors.js';
import type { CollectionsRepositories } from '../../repositories/collections/index.js';
import { requireOperation } from './access.js';
import { presentCreator, type CreatorView } from './presenters/organization.presenter.js';

export interface CreatorInput {
  organizationIndex: string;
  metadata?: Record<string, unknown>;
}
export interface Page {
  limit: number;
  offset: number;
}

const taken = (index: string) => conflict('creator_exists', `A creator with organization_index "${index}" already exists`);

/** Creators: sub-accounts of the organization, identified by the client's own `organization_index`. */
export function createCreatorService(deps: { core: CoreDeps<'db'>; repos: Pick<CollectionsRepositories, 'creators'> }) {
  const { core, repos } = deps;
  async function find(actor: Actor, id: string) {
    const row = await repos.creators.find(actor.tenantId, id);
    if (!row) throw notFound('creator_not_found', 'Creator not found');
    return row;
  }

  async function list(actor: Actor, page: Page): Promise<{ count: number; creators: CreatorView[] }> {
    requireOperation(actor, 'manage');
    const [rows, count] = await Promise.all([repos.creators.list(actor.tenantId, page), repos.creators.count(actor.tenantId)]);
    return { count, creators: rows.map(presentCreator) };
  }

  async function get(actor: Actor, id: string): Promise<CreatorView> {
    requireOperation(actor, 'manage');
    return presentCreator(await find(actor, id));
  }

  async function create(actor: Actor, input: CreatorInput): Promise<CreatorView> {
    requireOperation(actor, 'manage');
    const now = nowIso();
    const row = { id: uuidv7(), tenantId: actor.tenantId, organizationIndex: input.organizationIndex, folderId: uuidv7(), metadata: JSON.stringify(input.metadata ?? {}), createdAt: now, updatedAt: now };
    try {
      await repos.creators.insert(row);
    } catch (err) {
      if (uniqueViolation(err)) throw taken(input.organizationIndex);
      throw err;
    }
    return presentCreator(row);
  }

  async function update(actor: Actor, id: string, patch: Partial<CreatorInput>): Promise<CreatorView> {
    requireOperation(actor, 'manage');
    await find(actor, id);
    try {
      await repos.creators.update(actor.tenantId, id, {
        ...(patch.organizationIndex !== undefined ? { organizationIndex: patch.organizationIndex } : {}),
        ...(patch.metadata !== undefined ? { metadata: JSON.stringify(patch.metadata) } : {}),
        updatedAt: nowIso(),
      });
    } catch (err) {
      if (uniqueViolation(err)) throw taken(patch.organizationIndex ?? '');
      throw err;
    }
    return presentCreator(await find(actor, id));
  }

  async function remove(actor: Actor, id: string): Promise<CreatorView> {
    requireOperation(actor, 'manage');
    const row = await find(actor, id);
    await core.db.transaction().execute(async (tx) => {
      await repos.creators.unlink(actor.tenantId, id, tx);
      await repos.creators.delete(actor.tenantId, id, tx);
    });
    return presentCreator(row);
  }

  /** Checks an optional creator reference; a creator of another organization is not found. */
  async function requireExisting(tenantId: string, id: string | null | undefined): Promise<void> {
    if (id && !(await repos.creators.find(tenantId, id))) throw notFound('creator_not_found', 'Creator not found');
  }

  return { list, get, create, update, remove, requireExisting };
}
export type CreatorService = ReturnType<typeof createCreatorService>;
