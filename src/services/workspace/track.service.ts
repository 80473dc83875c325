import type { CoreDeps } from '../../container.js';
import type { WorkspaceRepositories } from '../../repositories/workspace/index.js';
import { nowIso, parseJson } from '../../db/time.js';
import { decodeCursor, encodeCursor } from '../../domain/cursor.js';
import { badRequest, notFound } from '../../errors.js';
import type { TrackPatch, TrackRow } from '../../repositories/track.repository.js';
import type { TrackFilter } from '../../repositories/workspace/track-filter.js';
import { queryTokens } from '../../repositories/workspace/track-filter.js';
import type { TrackSort } from '../../repositories/workspace/track-query.repository.js';
import type { TagsResult } from '../lane-results.js';
import { recentFingerprints, type FreshCache } from './fresh-cache.js';
import { machineTagsOf, type MachineTag } from './machine-tags.js';
import { scopeOf, type Scope, type TrackFinder } from './scope.js';
import type { SimilarityIndex } from './similarity-index.js';
import { userTagsOf, type TrackView, type TrackViews } from './track-view.js';
import type { Actor } from '../../domain/access.js';

/** Cursor values go back to the database, whose text (on PostgreSQL) cannot hold NUL. */
export const hasNul = (...values: string[]) => values.some((v) => v.includes('\u0000'));

export interface FacetFilters {
  artist?: string;
  genre?: string;
  musicalKey?: string;
  userTag?: string;
  /** Typed user tags: `mood:<value>` and `instrument:<value>`. */
  mood?: string;
  instrument?: string;
  minBpm?: number;
  maxBpm?: number;
}

export interface ListTracksInput extends FacetFilters {
  limit: number;
  cursor?: string;
  query?: string;
  sort: TrackSort;
}

export interface MetadataPatch {
  title?: string;
  artist?: string | null;
  isrc?: string | null;
  iswc?: string | null;
  releaseDate?: string | null;
  genre?: string | null;
  userTags?: string[];
}

export interface TrackServiceDeps {
  core: CoreDeps<'catalog', 'tracks' | 'processing', 'processing'>;
  repos: Pick<WorkspaceRepositories, 'queries' | 'changes'>;
  views: TrackViews;
  findTrack: TrackFinder;
  listCache: FreshCache;
  similarity: SimilarityIndex;
}

/** The track filter of a scope plus facet filters. */
export function filterOf(scope: Scope, f: FacetFilters): TrackFilter {
  const userTags = [f.userTag, f.mood && `mood:${f.mood}`, f.instrument && `instrument:${f.instrument}`].filter((t): t is string => !!t);
  return {
    tenantId: scope.tenantId,
    ownerUserId: scope.ownerUserId,
    artist: f.artist,
    genre: f.genre,
    musicalKey: f.musicalKey,
    userTags,
    minBpm: f.minBpm,
    maxBpm: f.maxBpm,
  };
}

export interface TrackPage {
  records: TrackView[];
  totalCount: number;
  nextCursor: string | null;
}

export function createTrackService(deps: TrackServiceDeps) {
  const { core, views, findTrack, listCache, similarity } = deps;
  const { queries, changes } = deps.repos;
  const fingerprints = recentFingerprints((tenantId) => changes.fingerprint(tenantId));

  async function viewOf(scope: Scope, trackId: string): Promise<TrackView> {
    await findTrack(scope, trackId);
    const [row] = await queries.cardsByIds([trackId]);
    if (!row) throw notFound('track_not_found', 'Track not found');
    return views.view(row);
  }

  async function loadPage(scope: Scope, input: ListTracksInput, fingerprint: string): Promise<TrackPage> {
    const filter = filterOf(scope, input);
    const tokens = queryTokens(input.query);
    let after: { value: string; id: string } | undefined;
    if (input.cursor) {
      const c = decodeCursor(input.cursor, { s: 'string', v: 'string', i: 'string' });
      if (!c || c.s !== input.sort || hasNul(c.v, c.i)) throw badRequest('invalid_cursor', 'The cursor is malformed or belongs to another sort order');
      after = { value: c.v, id: c.i };
    }
    const rows = await queries.listPage({ filter, tokens, sort: input.sort, after, limit: input.limit + 1 });
    const page = rows.slice(0, input.limit);
    const last = page.at(-1);
    const nextCursor =
      rows.length > input.limit && last
        ? encodeCursor({ s: input.sort, v: input.sort.startsWith('title') ? last.title : last.createdAt, i: last.id })
        : null;
    // Every page of one listing shares its total.
    const totalCount = await listCache.get(scope.tenantId, JSON.stringify(['count', filter, tokens]), fingerprint, () => queries.count(filter, tokens));
    return { records: await views.views(page), totalCount, nextCursor };
  }

  /**
   * A page of the caller's tracks, as `present` shapes it. Presented pages are reused while
   * nothing in the tenant changed (a few index probes, shared by the requests of 100 ms), so
   * repeated reads of a large catalog cost little more than sending the answer.
   */
  async function list<T>(actor: Actor, input: ListTracksInput, present: (page: TrackPage) => T): Promise<T> {
    const scope = scopeOf(actor);
    const fingerprint = await fingerprints.get(scope.tenantId);
    const key = JSON.stringify(['page', scope.ownerUserId, input]);
    return listCache.get(scope.tenantId, key, fingerprint, async () => present(await loadPage(scope, input, fingerprint)));
  }

  const get = (actor: Actor, trackId: string) => viewOf(scopeOf(actor), trackId);

  async function updateMetadata(actor: Actor, trackId: string, patch: MetadataPatch): Promise<TrackView> {
    const scope = scopeOf(actor);
    await findTrack(scope, trackId);
    const set: TrackPatch = { updatedAt: nowIso() };
    if (patch.title !== undefined) set.title = patch.title;
    if (patch.artist !== undefined) set.artist = patch.artist;
    if (patch.isrc !== undefined) set.isrc = patch.isrc;
    if (patch.iswc !== undefined) set.iswc = patch.iswc;
    if (patch.releaseDate !== undefined) set.releaseDate = patch.releaseDate;
    if (patch.genre !== undefined) set.genre = patch.genre;
    if (patch.userTags !== undefined) set.userTags = JSON.stringify(patch.userTags);
    await core.catalog.transaction((w) => core.catalog.updateTrack(w, { tenantId: scope.tenantId, id: trackId }, set));
    return viewOf(scope, trackId);
  }

  /** Soft delete hides the track everywhere; purge removes it with every file and link. */
  async function remove(actor: Actor, trackId: string, opts: { purge?: boolean } = {}): Promise<{ id: string; status: 'deleted' | 'purged' }> {
    const scope = scopeOf(actor);
    const track = await findTrack(scope, trackId, { includeDeleted: opts.purge });
    if (opts.purge) await core.catalog.purge(track);
    else await core.catalog.transaction((w) => core.catalog.updateTrack(w, track, { deletedAt: nowIso() }));
    similarity.invalidate(scope.tenantId, trackId);
    return { id: trackId, status: opts.purge ? 'purged' : 'deleted' };
  }

  async function tags(actor: Actor, trackId: string, opts: { includeHidden?: boolean }): Promise<{ trackId: string; userTags: string[]; machineTags: MachineTag[] }> {
    const scope = scopeOf(actor);
    const track = await findTrack(scope, trackId);
    const assetId = await core.services.processing.currentAudioAsset(track);
    const lane = assetId ? await core.repos.processing.findLane(assetId, 'tags') : undefined;
    const result = lane?.status === 'succeeded' ? parseJson<Partial<TagsResult> | null>(lane.result, null) : null;
    const all = machineTagsOf(result, lane?.finishedAt ?? null);
    return { trackId, userTags: userTagsOf(track), machineTags: opts.includeHidden ? all : all.filter((t) => !t.hidden) };
  }

  /**
   * The track's lyrics and where they came from. Lyrics the track has, whoever gave them (the
   * user, the file's tags, a transcriber), make the status `available`; without any, the status
   * is the transcription lane's (`not_configured` with no transcriber), or null before it ran.
   */
  async function lyrics(actor: Actor, trackId: string) {
    const scope = scopeOf(actor);
    const track = await findTrack(scope, trackId);
    const hasLyrics = !!track.lyrics;
    const lane = hasLyrics ? undefined : await lyricsLane(track);
    return {
      trackId,
      lyrics: track.lyrics,
      hasLyrics,
      source: hasLyrics ? (track.lyricsSource ?? 'user') : null,
      status: hasLyrics ? ('available' as const) : (lane?.status ?? null),
      updatedAt: track.updatedAt,
    };
  }

  async function lyricsLane(track: TrackRow) {
    const assetId = await core.services.processing.currentAudioAsset(track);
    return assetId ? core.repos.processing.findLane(assetId, 'lyrics') : undefined;
  }

  async function replaceLyrics(actor: Actor, trackId: string, text: string | null) {
    const scope = scopeOf(actor);
    await findTrack(scope, trackId);
    const value = text === null || text.trim() === '' ? null : text;
    await core.catalog.transaction((w) => core.catalog.updateTrack(w, { tenantId: scope.tenantId, id: trackId }, { lyrics: value, lyricsSource: value === null ? null : 'user' }));
    return lyrics(actor, trackId);
  }

  return { list, get, updateMetadata, remove, tags, lyrics, replaceLyrics, viewOf };
}
export type TrackService = ReturnType<typeof createTrackService>;
