import { sql, type Expression, type SqlBool } from 'kysely';

/** Escapes LIKE wildcards so a search for "50%" matches the text "50%". */
export const likePattern = (q: string): string => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Case-insensitive "contains" over several columns, the same on SQLite and PostgreSQL. */
export function containsText(columns: string[], q: string): Expression<SqlBool> {
  const pattern = likePattern(q);
  const parts = columns.map((c) => sql<SqlBool>`lower(coalesce(${sql.ref(c)}, '')) like ${pattern} escape '\\'`);
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

export interface PageQuery {
  page: number;
  size: number;
  order: 'asc' | 'desc';
}

export interface Page<T> {
  rows: T[];
  total: number;
}

export const offsetOf = (p: PageQuery): number => (p.page - 1) * p.size;
