import type { CoreDeps } from '../../container.js';
import { nowIso } from '../../db/time.js';
import { atLeast, type Actor } from '../../domain/access.js';
import { badRequest, forbidden, notFound } from '../../errors.js';
import type { CollectionsRepositories } from '../../repositories/collections/index.js';
import type { CreatorService } from './creator.service.js';

export interface ApiKeyInput {
  title: string;
  type: 'player' | 'uploader' | 'share' | 'api' | 'server';
  collectionId?: string;
  trackId?: string;
  creatorId?: string;
  variants?: string[];
  expiresAt?: string;
  isDownloadable?: boolean;
}

/** Client-side keys minted by a server key: scoped to a collection or track, returned once. */
export function createApiKeyService(deps: {
  core: CoreDeps<never, 'tracks', 'identity'>;
  repos: Pick<CollectionsRepositories, 'collections' | 'sessions'>;
  creators: CreatorService;
}) {
  const { core, repos } = deps;
  async function create(actor: Actor, input: ApiKeyInput): Promise<{ apiKey: string; id: string }> {
    if (actor.key ? actor.key.type !== 'server' : !atLeast(actor.role, 'admin')) {
      throw forbidden('api_access_key_required', 'Only an API Access (server) key can create API keys');
    }
    if (input.type === 'api' || input.type === 'server') {
      throw forbidden('api_access_key_not_creatable', 'API Access keys are created by an administrator (POST /admin/api-keys), not through this API');
    }
    if (input.trackId && !input.collectionId) throw badRequest('collection_id_required', 'track_id requires collection_id');
    if (input.collectionId && !(await repos.collections.find(actor.tenantId, input.collectionId))) throw notFound('collection_not_found', 'Collection not found');
    if (input.trackId) {
      const track = await core.repos.tracks.find(actor.tenantId, input.trackId);
      if (!track || track.collectionId !== input.collectionId) throw notFound('track_not_found', 'Track not found in that collection');
    }
    await deps.creators.requireExisting(actor.tenantId, input.creatorId);
    const variants = input.variants ?? [];
    if (input.type === 'share' && variants.length !== 1) throw badRequest('variants_required', 'A share key needs exactly one variant');
    let ttlSeconds: number | undefined;
    if (input.expiresAt && input.type !== 'share') {
      ttlSeconds = Math.floor((Date.parse(input.expiresAt) - Date.now()) / 1000);
      if (!(ttlSeconds > 0)) throw badRequest('invalid_expires_at', 'expires_at must be in the future');
    }
    const { key, record } = await core.services.identity.createApiKey({
      tenantId: actor.tenantId,
      type: input.type,
      name: input.title,
      userId: null,
      collectionId: input.collectionId ?? null,
      trackId: input.trackId ?? null,
      ttlSeconds,
    });
    await repos.sessions.insertGrant({
      apiKeyId: record.id,
      tenantId: actor.tenantId,
      title: input.title,
      creatorId: input.creatorId ?? null,
      variants: JSON.stringify(variants),
      isDownloadable: Number(!!input.isDownloadable),
      createdAt: nowIso(),
    });
    return { apiKey: key, id: record.id };
  }

  return { create };
}
export type ApiKeyService = ReturnType<typeof createApiKeyService>;
