import { isoIn, nowIso } from '../../db/time.js';
import type { Actor } from '../../domain/access.js';
import { uuidv7 } from '../../domain/ids.js';
import { badRequest, conflict, forbidden, notFound } from '../../errors.js';
import type { CollectionsRepositories } from '../../repositories/collections/index.js';
import type { TrackRecord } from '../../repositories/collections/collection-track.repository.js';
import type { PlaySessionRow } from '../../repositories/collections/session.repository.js';
import { requireOperation } from './access.js';
import { mayAccessTrack } from '../../domain/track-access.js';
import type { CollectionService } from './collection.service.js';
import type { Playback, SignedVariant } from './playback.js';
import { jsonArray, jsonObject } from './presenters/colors.js';
import type { TrackView } from './presenters/track.presenter.js';
import type { TrackFiles } from './track-files.js';
import type { TrackService } from './track.service.js';

export interface PlaySessionInput {
  variants?: string[];
  collectionId?: string;
  trackId?: string;
  isDownloadable?: boolean;
  expiresIn: number;
}

export interface PlaySessionView {
  id: string;
  organization_id: string;
  scope: string;
  collection_id: string | null;
  track_id: string | null;
  creator_id: string | null;
  organization_index: string | null;
  metadata: Record<string, unknown>;
  variants: string[];
  is_downloadable: boolean;
  expires_at: string;
  created_at: string;
}

export interface PlayTrack {
  track_id: string;
  track: TrackView;
  cover_image: string | null;
  levels: Record<string, unknown> | null;
  variants: SignedVariant[];
}

export const presentPlaySession = (s: PlaySessionRow): PlaySessionView => ({
  id: s.id,
  organization_id: s.tenantId,
  scope: s.scope,
  collection_id: s.collectionId,
  track_id: s.trackId,
  creator_id: s.creatorId,
  organization_index: s.organizationIndex,
  metadata: jsonObject(s.metadata),
  variants: jsonArray<string>(s.variants),
  is_downloadable: s.isDownloadable === 1,
  expires_at: s.expiresAt,
  created_at: s.createdAt,
});

const MAX_SESSION_TRACKS = 1000;

/**
 * Play sessions: short-lived grants to play one track or one collection in chosen variants.
 * The session id is the credential for fetching each track's signed URLs.
 */
export function createPlaySessionService(
  deps: {
    repos: Pick<CollectionsRepositories, 'sessions' | 'tracks' | 'variants'>;
    collections: CollectionService;
    tracks: TrackService;
    files: TrackFiles;
    playback: Playback;
  },
) {
  const { repos, collections, tracks, files, playback } = deps;

  /** Server keys and users with the download entitlement may hand out downloads; client keys only when minted so. */
  async function mayDownload(actor: Actor): Promise<boolean> {
    if (!actor.key) return actor.entitlements.has('tracks.download');
    if (actor.key.type === 'server') return true;
    return (await repos.sessions.findGrant(actor.key.id))?.isDownloadable === 1;
  }

  async function resolveVariants(actor: Actor, requested: string[] | undefined): Promise<string[]> {
    const defaults = files.defaults(actor.tenantId);
    const grant = actor.key ? await repos.sessions.findGrant(actor.key.id) : undefined;
    const allowed = grant ? jsonArray<string>(grant.variants) : [];
    const chosen = requested ?? (allowed.length ? allowed : defaults.filter((v) => v.type === 'transcode').map((v) => v.index));
    const known = new Set([...defaults.map((v) => v.index), ...(await repos.variants.indexes(actor.tenantId))]);
    const unknown = chosen.filter((i) => !known.has(i));
    if (unknown.length) throw badRequest('unknown_variant', `Unknown variant index: ${unknown.join(', ')}`);
    const refused = allowed.length ? chosen.filter((i) => !allowed.includes(i)) : [];
    if (refused.length) throw forbidden('variant_not_allowed', `This API key may not play: ${refused.join(', ')}`);
    return [...new Set(chosen)];
  }

  async function playData(session: PlaySessionRow, record: TrackRecord, view?: TrackView): Promise<PlayTrack> {
    const [available, levels, cover] = await Promise.all([playback.audioFiles(record), files.levels(record), playback.coverUrl(record)]);
    const ttl = (Date.parse(session.expiresAt) - Date.now()) / 1000;
    return {
      track_id: record.track.id,
      track: view ?? (await playback.views.presentOne(record)),
      cover_image: cover,
      levels: levels as unknown as Record<string, unknown> | null,
      variants: await playback.signedVariants(available, jsonArray<string>(session.variants), ttl),
    };
  }

  async function create(actor: Actor, scope: string, input: PlaySessionInput) {
    if (scope === 'playlist') throw badRequest('scope_not_supported', 'The playlist scope is reserved and not supported yet');
    if (scope !== 'collection' && scope !== 'track') throw badRequest('invalid_scope', 'scope must be "collection" or "track"');
    requireOperation(actor, 'play');
    let records: TrackRecord[];
    let collectionId: string | null = null;
    let trackId: string | null = null;
    let creatorId: string | null = null;
    if (scope === 'collection') {
      collectionId = input.collectionId ?? actor.key?.collectionId ?? null;
      if (!collectionId) throw badRequest('collection_id_required', 'collection_id is required when scope is "collection"');
      const collection = await collections.findFor(actor, collectionId, 'play');
      creatorId = collection.creatorId;
      const filed = await repos.tracks.findRecords(actor.tenantId, await repos.tracks.pageIds(collectionId, { limit: MAX_SESSION_TRACKS, offset: 0 }));
      records = filed.filter((r) => mayAccessTrack(actor, r.track));
    } else {
      trackId = input.trackId ?? actor.key?.trackId ?? null;
      if (!trackId) throw badRequest('track_id_required', 'track_id is required when scope is "track"');
      const record = await tracks.findFor(actor, trackId, 'play');
      collectionId = record.track.collectionId;
      creatorId = record.extras?.creatorId ?? null;
      records = [record];
    }
    const variants = await resolveVariants(actor, input.variants);
    const row: PlaySessionRow = {
      id: uuidv7(),
      tenantId: actor.tenantId,
      scope,
      collectionId,
      trackId,
      creatorId,
      organizationIndex: null,
      metadata: '{}',
      variants: JSON.stringify(variants),
      isDownloadable: Number(!!input.isDownloadable && (await mayDownload(actor))),
      apiKeyId: actor.key?.id ?? null,
      expiresAt: isoIn(input.expiresIn),
      createdAt: nowIso(),
    };
    await repos.sessions.insertPlaySession(row);
    const views = await playback.views.present(records);
    let firstTrack: PlayTrack | null = null;
    for (let i = 0; i < records.length && !firstTrack; i++) {
      if (views[i].status !== 'ready' && views[i].status !== 'incomplete') continue;
      if (!playback.playable(views[i].status, await playback.audioFiles(records[i]))) continue;
      firstTrack = await playData(row, records[i], views[i]);
    }
    return { session: presentPlaySession(row), tracks: views, firstTrack };
  }

  /** A live session; an unknown or expired id is not found. */
  async function find(id: string): Promise<PlaySessionRow> {
    const row = await repos.sessions.findPlaySession(id);
    if (!row || row.expiresAt <= nowIso()) throw notFound('play_session_not_found', 'Play session not found or expired');
    return row;
  }

  async function sessionRecords(session: PlaySessionRow): Promise<TrackRecord[]> {
    if (session.scope === 'track') return repos.tracks.findRecords(session.tenantId, session.trackId ? [session.trackId] : []);
    return repos.tracks.findRecords(session.tenantId, await repos.tracks.pageIds(session.collectionId!, { limit: MAX_SESSION_TRACKS, offset: 0 }));
  }

  async function get(id: string) {
    const session = await find(id);
    return { session: presentPlaySession(session), tracks: await playback.views.present(await sessionRecords(session)) };
  }

  /** A track of the session, only when it is playable. */
  async function trackOf(session: PlaySessionRow, trackId: string) {
    const record = await repos.tracks.findRecord(session.tenantId, trackId);
    const inSession = record && (session.scope === 'track' ? record.track.id === session.trackId : record.track.collectionId === session.collectionId);
    if (!record || !inSession) throw notFound('track_not_found', 'Track not found in this play session');
    const view = await playback.views.presentOne(record);
    const available = await playback.audioFiles(record);
    if (!playback.playable(view.status, available)) throw conflict('track_not_ready', `The track is not ready to play (status: ${view.status})`);
    return { record, view, available };
  }

  async function play(sessionId: string, trackId: string): Promise<{ session: PlaySessionView } & PlayTrack> {
    const session = await find(sessionId);
    const { record, view } = await trackOf(session, trackId);
    return { session: presentPlaySession(session), ...(await playData(session, record, view)) };
  }

  async function download(sessionId: string, trackId: string, index: string): Promise<{ url: string; expires_at: string }> {
    const session = await find(sessionId);
    if (session.isDownloadable !== 1) throw forbidden('not_downloadable', 'This play session does not allow downloads');
    if (!jsonArray<string>(session.variants).includes(index)) throw notFound('variant_not_found', `Variant "${index}" is not part of this play session`);
    const { record, view, available } = await trackOf(session, trackId);
    const file = available.find((f) => f.variant.index === index);
    if (!file) throw notFound('variant_not_found', `The track has no "${index}" file`);
    const ext = file.storageKey!.split('.').pop();
    const name = `${(view.player_title ?? record.track.title).replace(/[\\/:*?"<>|]+/g, '_')}${ext && file.variant.type !== 'original' ? `.${ext}` : ''}`;
    const { url, expiresAt } = await playback.sign(file, (Date.parse(session.expiresAt) - Date.now()) / 1000, file.variant.type === 'original' ? file.fileName : name);
    return { url, expires_at: expiresAt };
  }

  return { create, get, play, download, find };
}
export type PlaySessionService = ReturnType<typeof createPlaySessionService>;
