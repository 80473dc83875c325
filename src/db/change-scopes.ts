/**
 * The tables whose changes are reported precisely, so a cached read can say what it depends on
 * and stay valid while only other tables, or other tracks, are written.
 *
 * Track-keyed tables report the track each changed row belongs to (the column named here); the
 * others report only that the table changed. On SQLite the triggers of migration 0016 write
 * these into `change_journal`; on PostgreSQL they ride on the change notices. A read that
 * depends on any table not listed here falls back to the database-wide version.
 */
export const TRACK_KEYED_TABLES = {
  tracks: 'id',
  assets: 'track_id',
  track_versions: 'track_id',
  processing_lanes: 'track_id',
  collection_tracks: 'track_id',
} as const;

export const TABLE_KEYED_TABLES = ['tenants', 'users', 'api_keys', 'workspace_share_links'] as const;

export type TrackKeyedTable = keyof typeof TRACK_KEYED_TABLES;
export type JournaledTable = TrackKeyedTable | (typeof TABLE_KEYED_TABLES)[number];

/** What a cached read depends on: whole tables, or (for track-keyed ones) only one track's rows. */
export interface ChangeScope {
  tables: readonly JournaledTable[];
  /** Only this track's rows of the track-keyed tables in `tables` (and rows of no track). */
  trackId?: string;
}

export const isTrackKeyed = (table: string): table is TrackKeyedTable => Object.hasOwn(TRACK_KEYED_TABLES, table);
const JOURNALED = new Set<string>([...Object.keys(TRACK_KEYED_TABLES), ...TABLE_KEYED_TABLES]);
export const isJournaled = (table: string): table is JournaledTable => JOURNALED.has(table);

/**
 * Per-table and per-track change counters, fed by whatever reports changes (the SQLite journal,
 * PostgreSQL notices, this process's own statements), read as version strings.
 */
export function createChangeCounters(maxTracks = 100_000) {
  let epoch = 0;
  let seq = 0;
  const tables = new Map<string, number>();
  /** Changes to rows of a track-keyed table that name no track (or a track not known to be the only one). */
  const untracked = new Map<string, number>();
  const tracks = new Map<string, number>();

  return {
    /** Everything may have changed (a gap in the journal, a lost connection). */
    reset(): void {
      epoch++;
      tracks.clear();
    },
    /** `table` changed; for a track-keyed table, only `trackId`'s rows, or any row when it is null. */
    changed(table: string, trackId: string | null): void {
      seq++;
      tables.set(table, seq);
      if (!isTrackKeyed(table)) return;
      if (trackId === null) untracked.set(table, seq);
      else {
        if (tracks.size >= maxTracks && !tracks.has(trackId)) {
          // Forgetting per-track counters would let an old version string match again: move the epoch instead.
          epoch++;
          tracks.clear();
        }
        tracks.set(trackId, seq);
      }
    },
    version(scope: ChangeScope): string {
      let out = `${epoch}`;
      for (const t of scope.tables) {
        out += scope.trackId !== undefined && isTrackKeyed(t) ? `:${untracked.get(t) ?? 0}` : `:${tables.get(t) ?? 0}`;
      }
      if (scope.trackId !== undefined) out += `:${tracks.get(scope.trackId) ?? 0}`;
      return out;
    },
  };
}
export type ChangeCounters = ReturnType<typeof createChangeCounters>;
