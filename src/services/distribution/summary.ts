/** Royalti's summary figures: a total and counts per value of some fields. */
export interface Summary {
  total: number;
  [breakdown: `by${string}`]: Record<string, number>;
}

/**
 * Folds grouped counts into a summary: `fields` maps each breakdown name to the row field it
 * counts (a missing value counts as "unset").
 */
export function summarize<R extends { n: number }>(rows: R[], fields: Record<`by${string}`, keyof R>): Summary {
  const summary: Summary = { total: 0 };
  for (const name of Object.keys(fields) as Array<`by${string}`>) summary[name] = {};
  for (const row of rows) {
    summary.total += row.n;
    for (const [name, field] of Object.entries(fields) as Array<[`by${string}`, keyof R]>) {
      const value = row[field] === null || row[field] === undefined || row[field] === '' ? 'unset' : String(row[field]);
      summary[name][value] = (summary[name][value] ?? 0) + row.n;
    }
  }
  return summary;
}
