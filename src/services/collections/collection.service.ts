import type { CoreDeps } from '../../container.js';
import { nowIso } from '../../db/time.js';
import type { Actor } from '../../domain/access.js';
import { uuidv7 } from '../../domain/ids.js';
import { notFound } from '../../errors.js';
import type { CollectionRow } from '../../repositories/collections/collection.repository.js';
import type { CollectionsRepositories } from '../../repositories/collections/index.js';
import { collectionInScope, isScopedKey, requireOperation, type Operation } from './access.js';
import type { CoverService, UploadHandle } from './cover.service.js';
import type { CreatorService, Page } from './creator.service.js';
import { presentCollection, type CollectionView, type ImageColor } from './presenters/organization.presenter.js';
import { purgeTrack } from './track-purge.js';

export interface CollectionInput {
  title: string;
  creatorId?: string | null;
  organizationIndex?: string | null;
  metadata?: Record<string, unknown>;
  theme?: ImageColor[];
  isCoverOverridable?: boolean;
  isThemeOverridable?: boolean;
  playerColor?: string | null;
  playerSubtitle?: string | null;
}

export function createCollectionService(deps: { core: CoreDeps<'db' | 'catalog' | 'events', 'tracks'>; repos: Pick<CollectionsRepositories, 'collections' | 'sessions' | 'tracks' | 'variants'>; covers: CoverService; creators: CreatorService}) {
  const { core, repos, covers, creators } = deps;
  const view = async (row: CollectionRow) => presentCollection(row, await covers.urlOf(row.tenantId, row.coverAssetId));

  /** The collection if the caller may perform `op` on it; out of a key's scope it does not exist. */
  async function findFor(actor: Actor, id: string, op: Operation): Promise<CollectionRow> {
    requireOperation(actor, op);
    const row = collectionInScope(actor, id) ? await repos.collections.find(actor.tenantId, id) : undefined;
    if (!row) throw notFound('collection_not_found', 'Collection not found');
    return row;
  }

  async function create(actor: Actor, input: CollectionInput): Promise<{ collection: CollectionView; coverUpload: UploadHandle }> {
    requireOperation(actor, 'manage');
    await creators.requireExisting(actor.tenantId, input.creatorId);
    const now = nowIso();
    const row: CollectionRow = {
      id: uuidv7(),
      tenantId: actor.tenantId,
      creatorId: input.creatorId ?? null,
      organizationIndex: input.organizationIndex ?? null,
      title: input.title,
      metadata: JSON.stringify(input.metadata ?? {}),
      theme: JSON.stringify(input.theme ?? []),
      isCoverOverridable: Number(input.isCoverOverridable ?? true),
      isThemeOverridable: Number(input.isThemeOverridable ?? true),
      playerColor: input.playerColor ?? null,
      playerColorSource: input.playerColor ? 'client' : null,
      playerSubtitle: input.playerSubtitle ?? null,
      coverAssetId: null,
      createdAt: now,
      updatedAt: now,
    };
    await repos.collections.insert(row);
    const collection = await view(row);
    await core.events.publish({ type: 'collection.created', tenantId: actor.tenantId, collectionId: row.id, snapshot: collection });
    return { collection, coverUpload: covers.handle('collection', actor.tenantId, row.id) };
  }

  async function list(actor: Actor, page: Page): Promise<{ count: number; collections: CollectionView[] }> {
    requireOperation(actor, 'read');
    let onlyId: string | undefined;
    if (isScopedKey(actor)) {
      // A collection-scoped key lists its one collection; a track-scoped key lists none.
      const key = actor.key!;
      if (key.trackId || !key.collectionId) return { count: 0, collections: [] };
      onlyId = key.collectionId;
    }
    const [rows, count] = await Promise.all([repos.collections.list(actor.tenantId, { ...page, onlyId }), repos.collections.count(actor.tenantId, onlyId)]);
    return { count, collections: await Promise.all(rows.map(view)) };
  }

  const get = async (actor: Actor, id: string) => view(await findFor(actor, id, 'read'));

  async function update(actor: Actor, id: string, patch: Partial<CollectionInput>): Promise<CollectionView> {
    await findFor(actor, id, 'manage');
    if (patch.creatorId) await creators.requireExisting(actor.tenantId, patch.creatorId);
    await repos.collections.update(actor.tenantId, id, {
      ...(patch.title !== undefined ? { title: patch.title } : {}),
      ...(patch.creatorId !== undefined ? { creatorId: patch.creatorId } : {}),
      ...(patch.organizationIndex !== undefined ? { organizationIndex: patch.organizationIndex } : {}),
      ...(patch.metadata !== undefined ? { metadata: JSON.stringify(patch.metadata) } : {}),
      ...(patch.theme !== undefined ? { theme: JSON.stringify(patch.theme) } : {}),
      ...(patch.isCoverOverridable !== undefined ? { isCoverOverridable: Number(patch.isCoverOverridable) } : {}),
      ...(patch.isThemeOverridable !== undefined ? { isThemeOverridable: Number(patch.isThemeOverridable) } : {}),
      ...(patch.playerColor !== undefined ? { playerColor: patch.playerColor, playerColorSource: patch.playerColor ? 'client' : null } : {}),
      ...(patch.playerSubtitle !== undefined ? { playerSubtitle: patch.playerSubtitle } : {}),
      updatedAt: nowIso(),
    });
    const collection = await view((await repos.collections.find(actor.tenantId, id))!);
    await core.events.publish({ type: 'collection.updated', tenantId: actor.tenantId, collectionId: id, snapshot: collection });
    return collection;
  }

  /** Deletes the collection with its tracks (and their files), its cover and its sessions. */
  async function remove(actor: Actor, id: string): Promise<CollectionView> {
    const row = await findFor(actor, id, 'manage');
    const collection = await view(row);
    for (const trackId of await repos.collections.trackIds(actor.tenantId, id)) {
      await purgeTrack(core, repos, actor.tenantId, trackId);
    }
    await core.db.transaction().execute(async (tx) => {
      await repos.sessions.deleteForCollection(actor.tenantId, id, tx);
      await repos.collections.delete(actor.tenantId, id, tx);
    });
    await covers.dropAsset(actor.tenantId, row.coverAssetId);
    await core.events.publish({ type: 'collection.deleted', tenantId: actor.tenantId, collectionId: id, snapshot: collection });
    return collection;
  }

  async function coverUpload(actor: Actor, id: string): Promise<{ collection: CollectionView; coverUpload: UploadHandle }> {
    const row = await findFor(actor, id, 'manage');
    return { collection: await view(row), coverUpload: covers.handle('collection', actor.tenantId, id) };
  }

  return { create, list, get, update, remove, coverUpload, findFor, view };
}
export type CollectionService = ReturnType<typeof createCollectionService>;
