import { sql, type ExpressionBuilder, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { DbKind } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { FTS_TENANT_BLOCK, PG_SEARCH_DOCUMENT } from '../../db/migrations/0004-workspace.js';
import { parseJson } from '../../db/time.js';

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

/** The columns a filter looks at. */
export interface FilterRow {
  id: string;
  tenantId: string;
  ownerUserId: string | null;
  deletedAt: string | null;
  artist: string | null;
  genre: string | null;
  musicalKey: string | null;
  userTags: string;
  bpm: number | null;
}

type TracksEb = ExpressionBuilder<Database & { t: Database['tracks'] }, 't'>;

const lowerEq = (eb: TracksEb, column: 't.artist' | 't.genre' | 't.musicalKey', value: string) =>
  eb(eb.fn('lower', [column]), '=', value.toLowerCase());

/** A WHERE clause over `tracks as t` for a filter; used where the scan follows an index in order (lists, counts). */
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

const sameText = (a: string | null, b: string | undefined) => b === undefined || (a !== null && a.toLowerCase() === b.toLowerCase());

/**
 * The same filter in code, for candidates found by id (similarity, ranked keyword matches):
 * checking a few hundred fetched rows beats leaving the plan to a query planner without statistics.
 */
export function matchesFilter(r: FilterRow, f: TrackFilter): boolean {
  if (r.tenantId !== f.tenantId || r.deletedAt !== null) return false;
  if (f.ownerUserId !== null && r.ownerUserId !== f.ownerUserId) return false;
  if (!sameText(r.artist, f.artist) || !sameText(r.genre, f.genre) || !sameText(r.musicalKey, f.musicalKey)) return false;
  if (f.minBpm !== undefined && !(r.bpm !== null && r.bpm >= f.minBpm)) return false;
  if (f.maxBpm !== undefined && !(r.bpm !== null && r.bpm <= f.maxBpm)) return false;
  if (f.userTags?.length) {
    const raw = parseJson<unknown>(r.userTags, []);
    const have = new Set(Array.isArray(raw) ? raw.filter((t): t is string => typeof t === 'string').map((t) => t.toLowerCase()) : []);
    if (!f.userTags.every((t) => have.has(t.toLowerCase()))) return false;
  }
  return true;
}

/** Words of a free-text query: letters and digits only, so nothing reaches the match syntax unescaped. */
export function queryTokens(query: string | undefined | null): string[] {
  if (!query) return [];
  return (query.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 16);
}

/** An FTS5 query: every word (the last as a prefix, for type-ahead). */
export const ftsMatch = (tokens: string[]): string => tokens.map((t, i) => `"${t}"${i === tokens.length - 1 ? '*' : ''}`).join(' AND ');

/** FTS rows of one tenant: its block of rowids (see the workspace migration). */
export const ftsTenantRange = (tenantId: string) =>
  sql`f.rowid >= (select ordinal * ${sql.lit(FTS_TENANT_BLOCK)} from workspace_track_fts_tenants where tenant_id = ${tenantId})
    and f.rowid < (select (ordinal + 1) * ${sql.lit(FTS_TENANT_BLOCK)} from workspace_track_fts_tenants where tenant_id = ${tenantId})`;

/** A PostgreSQL tsquery for the same words. */
export const tsQuery = (tokens: string[]) => tokens.map((t, i) => `${t}${i === tokens.length - 1 ? ':*' : ''}`).join(' & ');

/** Ids of a scope's tracks matching every word, as a subquery for `t.id in (...)`. */
export function keywordIds(kind: DbKind, scope: { tenantId: string; ownerUserId: string | null }, tokens: string[]): RawBuilder<string> {
  if (kind === 'sqlite') {
    return sql<string>`(select m.track_id from workspace_track_fts f join workspace_track_fts_ids m on m.id = f.rowid
      where workspace_track_fts match ${ftsMatch(tokens)} and ${ftsTenantRange(scope.tenantId)})`;
  }
  const doc = sql.raw(PG_SEARCH_DOCUMENT);
  return sql<string>`(select id from tracks where tenant_id = ${scope.tenantId} and ${doc} @@ to_tsquery('simple', ${tsQuery(tokens)}))`;
}
