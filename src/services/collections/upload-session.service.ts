import { isoIn, nowIso } from '../../db/time.js';
import type { Actor } from '../../domain/access.js';
import { uuidv7 } from '../../domain/ids.js';
import { badRequest, notFound } from '../../errors.js';
import type { CollectionsRepositories } from '../../repositories/collections/index.js';
import type { UploadSessionRow } from '../../repositories/collections/session.repository.js';
import { isScopedKey, requireOperation } from './access.js';
import type { CollectionService } from './collection.service.js';
import type { CreatorService } from './creator.service.js';
import { colorTrio, jsonObject, type ColorTrio } from './presenters/colors.js';
import { resolveTheme } from './theme.js';
import type { CreatedTrack, TrackService } from './track.service.js';

export interface UploadSessionInput {
  collectionId?: string;
  creatorId?: string | null;
  organizationIndex?: string | null;
  metadata?: Record<string, unknown>;
  expiresIn: number;
}

export interface UploadSessionView {
  id: string;
  organization_id: string;
  collection_id: string;
  creator_id: string | null;
  organization_index: string | null;
  metadata: Record<string, unknown>;
  expires_at: string;
  created_at: string;
}

export const presentUploadSession = (s: UploadSessionRow): UploadSessionView => ({
  id: s.id,
  organization_id: s.tenantId,
  collection_id: s.collectionId,
  creator_id: s.creatorId,
  organization_index: s.organizationIndex,
  metadata: jsonObject(s.metadata),
  expires_at: s.expiresAt,
  created_at: s.createdAt,
});

/**
 * Upload sessions let an untrusted client add tracks to one collection: the server creates the
 * session with its key, the client creates tracks with the session id alone, one per file.
 */
export function createUploadSessionService(
  deps: {
    repos: Pick<CollectionsRepositories, 'collections' | 'organizations' | 'sessions'>;
    collections: CollectionService;
    creators: CreatorService;
    tracks: TrackService;
  },
) {
  const { repos, collections, creators, tracks } = deps;

  async function create(actor: Actor, input: UploadSessionInput): Promise<{ session: UploadSessionView; colors: ColorTrio }> {
    requireOperation(actor, 'upload');
    const collectionId = input.collectionId ?? (isScopedKey(actor) ? (actor.key!.collectionId ?? undefined) : undefined);
    if (!collectionId) throw badRequest('collection_id_required', 'collection_id is required unless the API key is scoped to a collection');
    const collection = await collections.findFor(actor, collectionId, 'upload');
    await creators.requireExisting(actor.tenantId, input.creatorId);
    const row: UploadSessionRow = {
      id: uuidv7(),
      tenantId: actor.tenantId,
      collectionId,
      creatorId: input.creatorId ?? collection.creatorId ?? null,
      organizationIndex: input.organizationIndex ?? null,
      metadata: JSON.stringify(input.metadata ?? {}),
      apiKeyId: actor.key?.id ?? null,
      expiresAt: isoIn(input.expiresIn),
      createdAt: nowIso(),
    };
    await repos.sessions.insertUploadSession(row);
    const org = await repos.organizations.findSettings(actor.tenantId);
    const color = resolveTheme([
      org ? { value: org.playerColor, overridable: org.isThemeOverridable === 1 } : null,
      { value: collection.playerColor, overridable: collection.isThemeOverridable === 1 },
    ]);
    return { session: presentUploadSession(row), colors: colorTrio(color.value) };
  }

  /** A live session; an unknown or expired id is not found. */
  async function find(id: string): Promise<UploadSessionRow> {
    const row = await repos.sessions.findUploadSession(id);
    if (!row || row.expiresAt <= nowIso()) throw notFound('upload_session_not_found', 'Upload session not found or expired');
    return row;
  }

  const get = async (id: string) => presentUploadSession(await find(id));

  async function createTrack(id: string, input: { fileName: string; organizationIndex?: string | null; metadata?: Record<string, unknown> }): Promise<CreatedTrack & { session: UploadSessionView }> {
    const session = await find(id);
    if (!(await repos.collections.find(session.tenantId, session.collectionId))) throw notFound('collection_not_found', 'Collection not found');
    const created = await tracks.createIn(
      { tenantId: session.tenantId, ownerUserId: null, collectionId: session.collectionId, creatorId: session.creatorId, uploadSessionId: session.id },
      {
        fileName: input.fileName,
        organizationIndex: input.organizationIndex ?? session.organizationIndex,
        metadata: { ...jsonObject(session.metadata), ...(input.metadata ?? {}) },
      },
    );
    return { ...created, session: presentUploadSession(session) };
  }

  return { create, get, createTrack };
}
export type UploadSessionService = ReturnType<typeof createUploadSessionService>;
