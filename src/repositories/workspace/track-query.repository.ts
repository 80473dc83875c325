import { sql } from 'kysely';
import type { DbKind, Executor } from '../../db/database.js';
import { PG_SEARCH_DOCUMENT } from '../../db/migrations/0004-workspace.js';
import type { TrackRow } from '../track.repository.js';
import { ftsMatch, ftsTenantRange, keywordIds, trackWhere, tsQuery, type FilterRow, type TrackFilter } from './track-filter.js';

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
      if (opts.tokens.length) q = q.where('t.id', 'in', keywordIds(kind, opts.filter, opts.tokens));
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
      if (tokens.length) q = q.where('t.id', 'in', keywordIds(kind, filter, tokens));
      return Number((await q.executeTakeFirstOrThrow()).n);
    },

    /** Cards by id (primary-key lookups only; callers apply `matchesFilter`). */
    async cardsByIds(ids: string[], tx: Executor = db): Promise<TrackCardRow[]> {
      if (ids.length === 0) return [];
      return (await cards(tx).where('t.id', 'in', ids).execute()) as TrackCardRow[];
    },

    /** What a filter and the facets look at, by id. */
    filterRows: (ids: string[], tx: Executor = db): Promise<FilterRow[]> =>
      ids.length === 0
        ? Promise.resolve([])
        : tx.selectFrom('tracks').select(['id', 'tenantId', 'ownerUserId', 'deletedAt', 'artist', 'genre', 'musicalKey', 'userTags', 'bpm']).where('id', 'in', ids).execute(),

    /**
     * One window of keyword matches in a tenant, best first. The full-text index drives and
     * narrows to the tenant; owner, facets and deletion are for the caller to check.
     */
    async keywordWindow(
      scope: { tenantId: string; ownerUserId: string | null },
      tokens: string[],
      limit: number,
      offset: number,
      tx: Executor = db,
    ): Promise<Array<{ id: string; relevance: number }>> {
      if (kind === 'sqlite') {
        const { rows } = await sql<{ trackId: string; relevance: number }>`select m.track_id as track_id, -k.rank as relevance
          from (select f.rowid, f.rank from workspace_track_fts f where workspace_track_fts match ${ftsMatch(tokens)} and ${ftsTenantRange(scope.tenantId)}
            order by f.rank limit ${limit} offset ${offset}) k
          join workspace_track_fts_ids m on m.id = k.rowid
          order by k.rank, m.track_id`.execute(tx);
        return rows.map((r) => ({ id: r.trackId, relevance: Number(r.relevance) }));
      }
      const doc = sql.raw(PG_SEARCH_DOCUMENT);
      const query = tsQuery(tokens);
      const owner = scope.ownerUserId !== null ? sql`and owner_user_id = ${scope.ownerUserId}` : sql``;
      const { rows } = await sql<{ trackId: string; relevance: number }>`select id as track_id, ts_rank(${doc}, to_tsquery('simple', ${query})) as relevance
        from tracks where tenant_id = ${scope.tenantId} ${owner} and deleted_at is null and ${doc} @@ to_tsquery('simple', ${query})
        order by relevance desc, id limit ${limit} offset ${offset}`.execute(tx);
      return rows.map((r) => ({ id: r.trackId, relevance: Number(r.relevance) }));
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
  };
}
export type TrackQueryRepository = ReturnType<typeof createTrackQueryRepository>;
