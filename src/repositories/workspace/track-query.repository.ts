import type { DbKind, Executor } from '../../db/database.js';
import type { TrackRow } from '../track.repository.js';
import { keywordMatches, trackWhere, type TrackFilter } from './track-filter.js';

export const TRACK_SORTS = ['created_desc', 'created_asc', 'title_asc', 'title_desc'] as const;
export type TrackSort = (typeof TRACK_SORTS)[number];

/** A track with what its client card needs from other tables, fetched in one query. */
export interface TrackCardRow extends TrackRow {
  primaryAssetId: string | null;
  artworkKey: string | null;
  artworkContentType: string | null;
  tagsStatus: string | null;
  tagsResult: string | null;
  tagsAt: string | null;
}

export interface FacetRow {
  id: string;
  artist: string | null;
  genre: string | null;
  musicalKey: string | null;
  userTags: string;
  bpm: number | null;
}

const SORT_COLUMN = { created_desc: 't.createdAt', created_asc: 't.createdAt', title_asc: 't.title', title_desc: 't.title' } as const;
const DESCENDING = new Set<TrackSort>(['created_desc', 'title_desc']);

/** Read-side queries of the workspace track lists and searches. */
export function createTrackQueryRepository(db: Executor, kind: DbKind) {
  const cards = (tx: Executor) =>
    tx
      .selectFrom('tracks as t')
      .leftJoin('trackVersions as v', 'v.id', 't.currentVersionId')
      .leftJoin('assets as a', (j) => j.onRef('a.id', '=', 't.artworkAssetId').on('a.status', '=', 'uploaded'))
      .leftJoin('processingLanes as l', (j) => j.onRef('l.assetId', '=', 'v.assetId').on('l.lane', '=', 'tags'))
      .selectAll('t')
      .select(['v.assetId as primaryAssetId', 'a.storageKey as artworkKey', 'a.contentType as artworkContentType', 'l.status as tagsStatus', 'l.result as tagsResult', 'l.finishedAt as tagsAt']);

  return {
    /** One page in a stable order; `after` is the sort value and id of the last row of the previous page. */
    async listPage(
      opts: { filter: TrackFilter; tokens: string[]; sort: TrackSort; after?: { value: string; id: string }; limit: number },
      tx: Executor = db,
    ): Promise<TrackCardRow[]> {
      const column = SORT_COLUMN[opts.sort];
      const desc = DESCENDING.has(opts.sort);
      let q = cards(tx).where(trackWhere(kind, opts.filter));
      if (opts.tokens.length) q = q.innerJoin(keywordMatches(kind, opts.filter.tenantId, opts.tokens), 'k.trackId', 't.id');
      if (opts.after) {
        const { value, id } = opts.after;
        const op = desc ? '<' : '>';
        q = q.where((eb) => eb.or([eb(column, op, value), eb.and([eb(column, '=', value), eb('t.id', op, id)])]));
      }
      const dir = desc ? 'desc' : 'asc';
      return (await q.orderBy(column, dir).orderBy('t.id', dir).limit(opts.limit).execute()) as TrackCardRow[];
    },

    async count(filter: TrackFilter, tokens: string[], tx: Executor = db): Promise<number> {
      let q = tx.selectFrom('tracks as t').select((eb) => eb.fn.countAll<number>().as('n')).where(trackWhere(kind, filter));
      if (tokens.length) q = q.innerJoin(keywordMatches(kind, filter.tenantId, tokens), 'k.trackId', 't.id');
      return Number((await q.executeTakeFirstOrThrow()).n);
    },

    /** Cards for ids that pass the filter, in no particular order. */
    async cardsByIds(filter: TrackFilter, ids: string[], tx: Executor = db): Promise<TrackCardRow[]> {
      if (ids.length === 0) return [];
      return (await cards(tx).where(trackWhere(kind, filter)).where('t.id', 'in', ids).execute()) as TrackCardRow[];
    },

    /** Ids passing the filter among the given ones (a similarity candidate window). */
    async filterIds(filter: TrackFilter, ids: string[], tx: Executor = db): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const rows = await tx.selectFrom('tracks as t').select('t.id').where(trackWhere(kind, filter)).where('t.id', 'in', ids).execute();
      return new Set(rows.map((r) => r.id));
    },

    /** Best keyword matches first. */
    async rankKeyword(filter: TrackFilter, tokens: string[], limit: number, tx: Executor = db): Promise<Array<{ id: string; relevance: number }>> {
      const rows = await tx
        .selectFrom('tracks as t')
        .innerJoin(keywordMatches(kind, filter.tenantId, tokens), 'k.trackId', 't.id')
        .select(['t.id', 'k.relevance'])
        .where(trackWhere(kind, filter))
        .orderBy('k.relevance', 'desc')
        .orderBy('t.id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ id: r.id, relevance: Number(r.relevance) }));
    },

    /** Newest first, for a keyword search with no words (facets alone). */
    async newest(filter: TrackFilter, limit: number, tx: Executor = db): Promise<string[]> {
      const rows = await tx
        .selectFrom('tracks as t')
        .select('t.id')
        .where(trackWhere(kind, filter))
        .orderBy('t.createdAt', 'desc')
        .orderBy('t.id', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => r.id);
    },

    facetRows: (tenantId: string, ids: string[], tx: Executor = db): Promise<FacetRow[]> =>
      ids.length === 0
        ? Promise.resolve([])
        : tx.selectFrom('tracks').select(['id', 'artist', 'genre', 'musicalKey', 'userTags', 'bpm']).where('tenantId', '=', tenantId).where('id', 'in', ids).execute(),
  };
}
export type TrackQueryRepository = ReturnType<typeof createTrackQueryRepository>;
