import { sql, type ExpressionBuilder, type Expression, type SqlBool, type AliasedRawBuilder } from 'kysely';
import type { DbKind } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { PG_SEARCH_DOCUMENT } from '../../db/migrations/0004-workspace.js';

/** Who may be seen (`ownerUserId: null` = the whole tenant) and which facets narrow it. */
export interface TrackFilter {
  tenantId: string;
  ownerUserId: string | null;
  artist?: string;
  genre?: string;
  musicalKey?: string;
  /** Every one of these (case-insensitive) must be among the track's user tags. */
  userTags?: string[];
  minBpm?: number;
  maxBpm?: number;
}

type TracksEb = ExpressionBuilder<Database & { t: Database['tracks'] }, 't'>;

const lowerEq = (eb: TracksEb, column: 't.artist' | 't.genre' | 't.musicalKey', value: string) =>
  eb(eb.fn('lower', [column]), '=', value.toLowerCase());

/** A WHERE clause over `tracks as t` for a filter; shared by lists, counts and searches. */
export function trackWhere(kind: DbKind, f: TrackFilter) {
  return (eb: TracksEb): Expression<SqlBool> => {
    const parts: Expression<SqlBool>[] = [eb('t.tenantId', '=', f.tenantId), eb('t.deletedAt', 'is', null)];
    if (f.ownerUserId !== null) parts.push(eb('t.ownerUserId', '=', f.ownerUserId));
    if (f.artist) parts.push(lowerEq(eb, 't.artist', f.artist));
    if (f.genre) parts.push(lowerEq(eb, 't.genre', f.genre));
    if (f.musicalKey) parts.push(lowerEq(eb, 't.musicalKey', f.musicalKey));
    if (f.minBpm !== undefined) parts.push(eb('t.bpm', '>=', f.minBpm));
    if (f.maxBpm !== undefined) parts.push(eb('t.bpm', '<=', f.maxBpm));
    for (const tag of f.userTags ?? []) {
      const value = tag.toLowerCase();
      parts.push(
        kind === 'sqlite'
          ? sql<SqlBool>`exists (select 1 from json_each(case when json_valid(${sql.ref('t.userTags')}) then ${sql.ref('t.userTags')} else '[]' end) j where lower(j.value) = ${value})`
          : sql<SqlBool>`exists (select 1 from jsonb_array_elements_text(${sql.ref('t.userTags')}::jsonb) as j(v) where lower(j.v) = ${value})`,
      );
    }
    return eb.and(parts);
  };
}

/** Words of a free-text query: letters and digits only, so nothing reaches the match syntax unescaped. */
export function queryTokens(query: string | undefined | null): string[] {
  if (!query) return [];
  return (query.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 16);
}

/**
 * Tracks of a tenant matching every token (the last one as a prefix, for type-ahead), with a
 * relevance where higher is better: FTS5 bm25 (negated) on SQLite, ts_rank on PostgreSQL.
 * Title counts most, then artist, tags and lyrics.
 */
export function keywordMatches(kind: DbKind, tenantId: string, tokens: string[]): AliasedRawBuilder<{ trackId: string; relevance: number }, 'k'> {
  if (kind === 'sqlite') {
    const match = tokens.map((t, i) => `"${t}"${i === tokens.length - 1 ? '*' : ''}`).join(' ');
    return sql<{ trackId: string; relevance: number }>`(select m.track_id as track_id, -bm25(workspace_track_fts, 10.0, 5.0, 2.0, 1.0) as relevance
      from workspace_track_fts f join workspace_track_fts_ids m on m.id = f.rowid
      where workspace_track_fts match ${match})`.as('k');
  }
  const query = tokens.map((t, i) => `${t}${i === tokens.length - 1 ? ':*' : ''}`).join(' & ');
  const doc = sql.raw(PG_SEARCH_DOCUMENT);
  return sql<{ trackId: string; relevance: number }>`(select id as track_id, ts_rank(${doc}, to_tsquery('simple', ${query})) as relevance
    from tracks where tenant_id = ${tenantId} and ${doc} @@ to_tsquery('simple', ${query}))`.as('k');
}
