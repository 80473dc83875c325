import type { FilterRow } from '../../repositories/workspace/track-filter.js';
import { userTagsOf } from './track-view.js';

export interface FacetCount {
  value: string;
  count: number;
}

export interface Facets {
  artist: FacetCount[];
  genre: FacetCount[];
  musicalKey: FacetCount[];
  userTag: FacetCount[];
  mood: FacetCount[];
  instrument: FacetCount[];
  bpm: { min: number; max: number } | null;
}

const TOP = 20;

function tally(values: Iterable<string | null | undefined>): FacetCount[] {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
    .slice(0, TOP);
}

/** Facet counts over a set of matching tracks. `mood:` and `instrument:` user tags are their own facets. */
export function facetsOf(rows: FilterRow[]): Facets {
  const tags = rows.flatMap((r) => userTagsOf(r));
  const typed = (prefix: string) => tags.filter((t) => t.toLowerCase().startsWith(prefix)).map((t) => t.slice(prefix.length)).filter(Boolean);
  const bpms = rows.map((r) => r.bpm).filter((b): b is number => typeof b === 'number' && Number.isFinite(b));
  return {
    artist: tally(rows.map((r) => r.artist)),
    genre: tally(rows.map((r) => r.genre)),
    musicalKey: tally(rows.map((r) => r.musicalKey)),
    userTag: tally(tags.filter((t) => !/^(mood|instrument):/i.test(t))),
    mood: tally(typed('mood:')),
    instrument: tally(typed('instrument:')),
    bpm: bpms.length ? { min: Math.min(...bpms), max: Math.max(...bpms) } : null,
  };
}
