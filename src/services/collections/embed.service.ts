import type { CoreDeps } from '../../container.js';
import { deriveColorVariants, normalizeHex } from '../../domain/colors.js';
import { nowIso } from '../../db/time.js';
import type { Actor } from '../../domain/access.js';
import { notFound } from '../../errors.js';
import type { CollectionsRepositories } from '../../repositories/collections/index.js';
import type { CollectionRow } from '../../repositories/collections/collection.repository.js';
import type { TrackRecord } from '../../repositories/collections/collection-track.repository.js';
import type { OrganizationSettingsRow } from '../../repositories/collections/organization.repository.js';
import type { EmbedTrack, EmbedViewModel } from '../../web/view-models.js';
import { collectionInScope, requireOperation, trackInScope } from './access.js';
import type { CoverService } from './cover.service.js';
import type { Playback } from './playback.js';
import { resolveTheme } from './theme.js';
import type { TrackFiles } from './track-files.js';

/** How an embed is authorised: a player API key, or a play session id. */
export interface EmbedAuth {
  playerKey?: string;
  playSessionId?: string;
}

const MAX_EMBED_TRACKS = 200;
const STREAM_TTL_SECONDS = 3600;

/**
 * Data for the embeddable players (`/embed/track/:id`, `/embed/collection/:id`): titles,
 * colours and cover resolved organization -> collection -> track, and playable tracks with
 * signed stream URLs and waveform peaks. Anything the credential does not cover is not found.
 */
export interface EmbedServiceDeps {
  core: CoreDeps<never, never, 'auth'>;
  repos: Pick<CollectionsRepositories, 'collections' | 'organizations' | 'sessions' | 'tracks'>;
  files: TrackFiles;
  playback: Playback;
  covers: CoverService;
}

export function createEmbedService(deps: EmbedServiceDeps) {
  const { core, repos, files, playback, covers } = deps;
  const missing = () => notFound('not_found', 'Not found');

  async function authorise(auth: EmbedAuth, target: { collectionId: string | null; trackId?: string }): Promise<string> {
    if (auth.playerKey) {
      let actor: Actor;
      try {
        actor = await core.services.auth.authenticate(`Bearer ${auth.playerKey}`);
        requireOperation(actor, 'play');
      } catch {
        throw missing();
      }
      const ok = target.trackId ? trackInScope(actor, { id: target.trackId, collectionId: target.collectionId }) : collectionInScope(actor, target.collectionId);
      if (!ok) throw missing();
      return actor.tenantId;
    }
    if (auth.playSessionId) {
      const s = await repos.sessions.findPlaySession(auth.playSessionId);
      if (!s || s.expiresAt <= nowIso()) throw missing();
      const ok = target.trackId ? (s.scope === 'track' ? s.trackId === target.trackId : s.collectionId === target.collectionId) : s.scope === 'collection' && s.collectionId === target.collectionId;
      if (!ok) throw missing();
      return s.tenantId;
    }
    throw missing();
  }

  function colours(org: OrganizationSettingsRow | undefined, collection: CollectionRow | undefined, record: TrackRecord | null) {
    const color = resolveTheme<string>([
      org ? { value: org.playerColor, overridable: org.isThemeOverridable === 1 } : null,
      collection ? { value: collection.playerColor, overridable: collection.isThemeOverridable === 1 } : null,
      record?.extras ? { value: record.extras.playerColor, overridable: record.extras.isThemeOverridable === 1 } : null,
    ]).value;
    if (!color || !normalizeHex(color)) return { color: '', colorLight: '', colorDark: '' };
    const { light, dark } = deriveColorVariants(color);
    return { color, colorLight: light, colorDark: dark };
  }

  function subtitleOf(org: OrganizationSettingsRow | undefined, collection: CollectionRow | undefined, record: TrackRecord | null): string {
    return record?.extras?.playerSubtitle ?? collection?.playerSubtitle ?? org?.playerSubtitle ?? record?.track.artist ?? '';
  }

  async function embedTrack(record: TrackRecord, org: OrganizationSettingsRow | undefined, collection: CollectionRow | undefined): Promise<EmbedTrack | null> {
    const view = await playback.views.presentOne(record);
    const available = await playback.audioFiles(record);
    if (!playback.playable(view.status, available)) return null;
    const stream = available.find((f) => f.variant.type === 'transcode') ?? available[0];
    const levels = await files.levels(record);
    return {
      id: record.track.id,
      title: record.extras?.playerTitle ?? record.track.title,
      subtitle: subtitleOf(org, collection, record),
      durationMs: record.track.durationMs === null ? null : Number(record.track.durationMs),
      streamUrl: (await playback.sign(stream, STREAM_TTL_SECONDS)).url,
      peaks: levels ? { data: levels.data, bits: levels.bits, length: levels.length } : null,
    };
  }

  async function forTrack(trackId: string, auth: EmbedAuth): Promise<EmbedViewModel> {
    const record = await repos.tracks.findRecordAnyTenant(trackId);
    if (!record) throw missing();
    const tenantId = await authorise(auth, { collectionId: record.track.collectionId, trackId });
    if (tenantId !== record.track.tenantId) throw missing();
    const [org, collection] = await Promise.all([
      repos.organizations.findSettings(tenantId),
      record.track.collectionId ? repos.collections.find(tenantId, record.track.collectionId) : Promise.resolve(undefined),
    ]);
    const track = await embedTrack(record, org, collection);
    return {
      kind: 'track',
      title: record.extras?.playerTitle ?? record.track.title,
      subtitle: subtitleOf(org, collection, record),
      ...colours(org, collection, record),
      coverUrl: await playback.coverUrl(record),
      tracks: track ? [track] : [],
    };
  }

  async function forCollection(collectionId: string, auth: EmbedAuth): Promise<EmbedViewModel> {
    const tenantId = await authorise(auth, { collectionId });
    const collection = await repos.collections.find(tenantId, collectionId);
    if (!collection) throw missing();
    const org = await repos.organizations.findSettings(tenantId);
    const records = await repos.tracks.findRecords(tenantId, await repos.tracks.pageIds(collectionId, { limit: MAX_EMBED_TRACKS, offset: 0 }));
    const tracks: EmbedTrack[] = [];
    for (const r of records) {
      const t = await embedTrack(r, org, collection);
      if (t) tracks.push(t);
    }
    return {
      kind: 'collection',
      title: collection.title,
      subtitle: collection.playerSubtitle ?? org?.playerSubtitle ?? '',
      ...colours(org, collection, null),
      coverUrl: await covers.urlOf(tenantId, collection.coverAssetId),
      tracks,
    };
  }

  return { forTrack, forCollection };
}
export type EmbedService = ReturnType<typeof createEmbedService>;
