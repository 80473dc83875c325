/**
 * Column types that mean the same on SQLite and PostgreSQL. Timestamps are ISO strings
 * (sortable as text), JSON is text, booleans are 0/1 integers.
 */
export const T = {
  id: 'text',
  text: 'text',
  ts: 'text',
  json: 'text',
  bool: 'integer',
  int: 'integer',
  big: 'bigint',
  real: 'double precision',
} as const;
