import type { WorkspaceRepositories } from '../../repositories/workspace/index.js';
import type { Actor } from '../../domain/access.js';
import { AppError, badRequest, conflict } from '../../errors.js';
import { matchesFilter, queryTokens, type FilterRow, type TrackFilter } from '../../repositories/workspace/track-filter.js';
import { requireEntitlement } from '../entitlements.js';
import { facetsOf, type Facets } from './facets.js';
import { scopeOf, type TrackFinder } from './scope.js';
import { decodeVector, type SimilarityIndex } from './similarity-index.js';
import { filterOf, type FacetFilters } from './track.service.js';
import type { TrackView, TrackViews } from './track-view.js';

export const SEARCH_MODES = ['auto', 'keyword', 'semantic', 'hybrid', 'similar'] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];

export interface SearchInput extends FacetFilters {
  query?: string;
  mode: SearchMode;
  similarToTrackId?: string;
  limit: number;
  minSimilarity?: number;
  includeFacets?: boolean;
}

export interface SearchHit {
  view: TrackView;
  score: number;
  /** Keyword relevance mapped to 0..1 (higher is better), when the keyword side matched. */
  relevance?: number;
  /** Cosine similarity to the reference track, when the similarity side matched. */
  similarity?: number;
}

interface Ranked {
  id: string;
  score: number;
  relevance?: number;
  similarity?: number;
}

/** How many ranked candidates facets are counted over. */
const FACET_WINDOW = 1000;
/** Reciprocal rank fusion constant (Cormack et al.); dampens the weight of the very first ranks. */
const RRF_K = 60;
/** How deep each side of a hybrid search is ranked before fusing. */
const HYBRID_DEPTH = 200;
/** Largest candidate window read at once. */
const MAX_WINDOW = 5000;
/** Keyword matches looked at, at most, to fill one answer. */
const MAX_KEYWORD_SCAN = 50_000;

const unitRelevance = (r: number) => (r > 0 ? r / (1 + r) : 0);

/**
 * Track search. `keyword`: full text over title, artist, tags and lyrics. `similar`: cosine
 * similarity of the embeddings lane's vectors to `similarToTrackId`. `hybrid`: reciprocal rank
 * fusion of the keyword ranking and a similarity ranking, the latter seeded by
 * `similarToTrackId` or, without one, by the best keyword match. `auto` picks hybrid when both
 * a query and a reference track are given, similar for a reference track alone, else keyword.
 * `semantic` (text-to-audio) needs a model Ledgerline does not ship: 501.
 */
export function createSearchService(deps: {
  repos: Pick<WorkspaceRepositories, 'queries' | 'embeddings'>;
  similarity: SimilarityIndex;
  views: TrackViews;
  findTrack: TrackFinder;
}) {
  const { similarity, views, findTrack } = deps;
  const { queries, embeddings } = deps.repos;

  async function vectorOf(tenantId: string, trackId: string): Promise<Float32Array | null> {
    const row = await embeddings.forTrack(tenantId, trackId);
    return row ? decodeVector(row.vector, row.dims) : null;
  }

  /** Candidate rows passing the filter, kept in candidate order. */
  async function passing<T extends { id: string }>(filter: TrackFilter, candidates: T[], seen: Map<string, FilterRow>): Promise<T[]> {
    const missing = candidates.filter((c) => !seen.has(c.id)).map((c) => c.id);
    for (const row of await queries.filterRows(missing)) seen.set(row.id, row);
    return candidates.filter((c) => {
      const row = seen.get(c.id);
      return row !== undefined && matchesFilter(row, filter);
    });
  }

  /** Similar tracks passing the filter; widens the candidate window until enough pass or none are left. */
  async function similarRanking(filter: TrackFilter, vector: Float32Array, exclude: string | undefined, want: number, seen: Map<string, FilterRow>, minSimilarity?: number): Promise<Ranked[]> {
    let window = Math.max(want * 2, 50);
    for (;;) {
      const hits = await similarity.nearest(filter.tenantId, vector, { ownerUserId: filter.ownerUserId, exclude, minSimilarity, limit: window });
      const kept = (await passing(filter, hits, seen)).map((h) => ({ id: h.id, score: h.similarity, similarity: h.similarity }));
      if (kept.length >= want || hits.length < window || window >= MAX_WINDOW) return kept.slice(0, want);
      window = Math.min(window * 4, MAX_WINDOW);
    }
  }

  /** Keyword matches passing the filter, read from the index window by window. */
  async function keywordRanking(filter: TrackFilter, tokens: string[], want: number, seen: Map<string, FilterRow>): Promise<Ranked[]> {
    if (tokens.length === 0) {
      const newest = (await queries.newest(filter, want)).map((id) => ({ id }));
      return (await passing(filter, newest, seen)).map((r) => ({ id: r.id, score: 0 }));
    }
    const out: Ranked[] = [];
    // Windows grow, so a scope holding few of the tenant's matches costs a handful of reads.
    for (let offset = 0, window = Math.max(want * 2, 100); out.length < want && offset < MAX_KEYWORD_SCAN; offset += window, window = Math.min(window * 4, MAX_WINDOW)) {
      const batch = await queries.keywordWindow(filter, tokens, window, offset);
      for (const r of await passing(filter, batch, seen)) out.push({ id: r.id, score: unitRelevance(r.relevance), relevance: unitRelevance(r.relevance) });
      if (batch.length < window) break;
    }
    return out.slice(0, want);
  }

  function fuse(keyword: Ranked[], similar: Ranked[]): Ranked[] {
    const fused = new Map<string, Ranked>();
    const add = (list: Ranked[], side: 'relevance' | 'similarity') =>
      list.forEach((r, rank) => {
        const entry = fused.get(r.id) ?? { id: r.id, score: 0 };
        entry.score += 1 / (RRF_K + rank + 1);
        if (r[side] !== undefined) entry[side] = r[side];
        fused.set(r.id, entry);
      });
    add(keyword, 'relevance');
    add(similar, 'similarity');
    // Scaled so a track ranked first on both sides scores 1.
    const best = 2 / (RRF_K + 1);
    return [...fused.values()].map((r) => ({ ...r, score: r.score / best })).sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
  }

  async function search(actor: Actor, input: SearchInput): Promise<{ mode: SearchMode; records: SearchHit[]; facets?: Facets }> {
    requireEntitlement(actor, 'search.private');
    if (input.mode === 'semantic') {
      throw new AppError(501, 'semantic_search_not_configured', 'Semantic (text-to-audio) search needs a model that is not configured on this server');
    }
    const scope = scopeOf(actor);
    const filter = filterOf(scope, input);
    const tokens = queryTokens(input.query);
    const mode: SearchMode =
      input.mode !== 'auto' ? input.mode : input.similarToTrackId ? (tokens.length ? 'hybrid' : 'similar') : 'keyword';
    const want = input.includeFacets ? Math.max(FACET_WINDOW, input.limit) : input.limit;

    let reference: Float32Array | null = null;
    if (input.similarToTrackId) {
      const source = await findTrack(scope, input.similarToTrackId);
      reference = await vectorOf(scope.tenantId, source.id);
      if (!reference && mode === 'similar') throw conflict('embedding_not_ready', 'The reference track has not been analysed yet');
    } else if (mode === 'similar') {
      throw badRequest('validation_error', 'similar search needs similarToTrackId', { issues: [{ path: 'body.similarToTrackId', message: 'Required for mode similar' }] });
    }

    const seen = new Map<string, FilterRow>();
    let ranked: Ranked[];
    if (mode === 'similar') {
      ranked = await similarRanking(filter, reference!, input.similarToTrackId, want, seen, input.minSimilarity);
    } else if (mode === 'keyword') {
      ranked = await keywordRanking(filter, tokens, want, seen);
    } else {
      const keyword = tokens.length ? await keywordRanking(filter, tokens, Math.max(want, HYBRID_DEPTH), seen) : [];
      if (!reference && keyword[0]) reference = await vectorOf(scope.tenantId, keyword[0].id);
      const similar = reference ? await similarRanking(filter, reference, input.similarToTrackId, Math.max(want, HYBRID_DEPTH), seen, input.minSimilarity) : [];
      ranked = fuse(keyword, similar).slice(0, want);
    }

    const top = ranked.slice(0, input.limit);
    const rows = new Map((await queries.cardsByIds(top.map((r) => r.id))).filter((r) => matchesFilter(r, filter)).map((r) => [r.id, r]));
    const records: SearchHit[] = [];
    for (const r of top) {
      const row = rows.get(r.id);
      if (!row) continue;
      records.push({ view: await views.view(row), score: r.score, relevance: r.relevance, similarity: r.similarity });
    }
    const facets = input.includeFacets ? facetsOf(ranked.map((r) => seen.get(r.id)).filter((r): r is FilterRow => !!r)) : undefined;
    return { mode, records, ...(facets ? { facets } : {}) };
  }

  return { search };
}
export type SearchService = ReturnType<typeof createSearchService>;
