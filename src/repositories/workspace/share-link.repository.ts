import { noDataVersion, type DataVersion } from '../../db/data-version.js';
import { createVersionedCache } from '../../db/versioned-cache.js';
import { sql, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../../db/database.js';
import { preparedQuery } from '../../db/prepared-query.js';
import type { WorkspaceShareLinksTable } from '../../db/tables/workspace.js';

export type ShareLinkRow = Selectable<WorkspaceShareLinksTable>;
export type ShareLinkPatch = Updateable<Omit<WorkspaceShareLinksTable, 'id' | 'tenantId' | 'trackId' | 'kind'>>;
export type ShareLinkKind = 'track' | 'split_sheet';

export interface LinkStats {
  views: number;
  plays: number;
  downloads: number;
  lastViewedAt: string | null;
}

/**
 * A link with everything its share page is rendered from, read together: the track's shown
 * fields, its artwork asset and the current version's waveform lane (its state, not its result).
 */
export interface SharePageState {
  link: ShareLinkRow;
  track: { title: string; artist: string | null; durationMs: number | null; artworkAssetId: string | null; currentVersionId: string | null };
  artwork: { status: string; storageKey: string; contentType: string } | null;
  /** The current version's audio asset and its waveform lane. */
  audio: { assetId: string; waveformStatus: string | null; waveformUpdatedAt: string | null } | null;
}

/** When the lock set by the guess that brings the count to `failures` ends (see domain/access-code-lockout). */
export interface LockSchedule {
  steps: Array<{ failures: number; until: string }>;
  beyond: string;
}

/** Every table the share page's lookup reads (see `pageStateQuery`). */
const PAGE_STATE_TABLES = ['workspace_share_links', 'tracks', 'assets', 'track_versions', 'processing_lanes'] as const;

export function createShareLinkRepository(db: Executor, dataVersion: DataVersion = noDataVersion) {
  // Read on every request of the share page, so compiled once, per database: the SQL is the dialect's.
  const pageStateQuery = preparedQuery(['hash'], (q, { hash }) =>
    q
      .selectFrom('workspaceShareLinks as l')
      .innerJoin('tracks as t', (j) => j.onRef('t.id', '=', 'l.trackId').onRef('t.tenantId', '=', 'l.tenantId'))
      .leftJoin('assets as art', (j) => j.onRef('art.id', '=', 't.artworkAssetId').onRef('art.tenantId', '=', 't.tenantId'))
      .leftJoin('trackVersions as v', (j) => j.onRef('v.id', '=', 't.currentVersionId').onRef('v.trackId', '=', 't.id'))
      .leftJoin('processingLanes as w', (j) => j.onRef('w.assetId', '=', 'v.assetId').on('w.lane', '=', 'waveform'))
      .selectAll('l')
      .select([
        't.title as trackTitle',
        't.artist as trackArtist',
        't.durationMs as trackDurationMs',
        't.artworkAssetId as trackArtworkAssetId',
        't.currentVersionId as trackCurrentVersionId',
        'art.status as artworkStatus',
        'art.storageKey as artworkStorageKey',
        'art.contentType as artworkContentType',
        'v.assetId as audioAssetId',
        'w.status as waveformStatus',
        'w.updatedAt as waveformUpdatedAt',
      ])
      .where('l.tokenHash', '=', hash)
      .where('t.deletedAt', 'is', null),
  );
  async function loadPageState(hash: string, tx: Executor): Promise<SharePageState | undefined> {
    const [row] = await pageStateQuery(tx, { hash });
    if (!row) return undefined;
    trackOfLink.set(hash, row.trackId);
    if (trackOfLink.size > 10_000) trackOfLink.clear();
    const { trackTitle, trackArtist, trackDurationMs, trackArtworkAssetId, trackCurrentVersionId, artworkStatus, artworkStorageKey, artworkContentType, audioAssetId, waveformStatus, waveformUpdatedAt, ...link } =
      row;
    return {
      link,
      track: { title: trackTitle, artist: trackArtist, durationMs: trackDurationMs === null ? null : Number(trackDurationMs), artworkAssetId: trackArtworkAssetId, currentVersionId: trackCurrentVersionId },
      artwork: artworkStatus && artworkStorageKey && artworkContentType ? { status: artworkStatus, storageKey: artworkStorageKey, contentType: artworkContentType } : null,
      audio: audioAssetId ? { assetId: audioAssetId, waveformStatus, waveformUpdatedAt } : null,
    };
  }

  // The link's track, once known, narrows the entry to that track's rows of the track tables.
  const trackOfLink = new Map<string, string>();
  const pageStates = createVersionedCache<SharePageState | undefined>(dataVersion, {
    max: 10_000,
    scope: (hash) => ({ tables: PAGE_STATE_TABLES, trackId: trackOfLink.get(hash) }),
  });
  return {
    /**
     * Counts one access-code guess before it is checked, in a single UPDATE that also sets the
     * lock the new count calls for, and only while the link is not locked at `now`. Concurrent
     * guesses each take their own count, so no more than the free ones get checked between
     * locks. Undefined: the link is locked (or gone).
     */
    reserveCodeAttempt: (id: string, now: string, schedule: LockSchedule, tx: Executor = db) => {
      const next = sql<number>`${sql.ref('failedAttempts')} + 1`;
      const first = schedule.steps[0]!.failures;
      const whens = sql.join(schedule.steps.map((s) => sql`WHEN ${next} = ${s.failures} THEN ${s.until}`), sql` `);
      return tx
        .updateTable('workspaceShareLinks')
        .set({
          failedAttempts: next,
          lockedUntil: sql<string | null>`CASE WHEN ${next} < ${first} THEN NULL ${whens} ELSE ${schedule.beyond} END`,
        })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('lockedUntil', 'is', null), eb('lockedUntil', '<=', now)]))
        .returning(['failedAttempts', 'lockedUntil'])
        .executeTakeFirst();
    },
    /** The right code was given: the count starts again (and an older code hash may be replaced). */
    clearCodeAttempts: (id: string, accessCodeHash?: string, tx: Executor = db) =>
      tx
        .updateTable('workspaceShareLinks')
        .set({ failedAttempts: 0, lockedUntil: null, ...(accessCodeHash ? { accessCodeHash } : {}) })
        .where('id', '=', id)
        .execute(),
    lockOf: (id: string, tx: Executor = db) =>
      tx.selectFrom('workspaceShareLinks').select(['failedAttempts', 'lockedUntil']).where('id', '=', id).executeTakeFirst(),
    insert: (row: ShareLinkRow, tx: Executor = db) => tx.insertInto('workspaceShareLinks').values(row).execute(),
    find: (trackId: string, kind: ShareLinkKind, id: string, tx: Executor = db) =>
      tx
        .selectFrom('workspaceShareLinks')
        .selectAll()
        .where('trackId', '=', trackId)
        .where('kind', '=', kind)
        .where('id', '=', id)
        .where('revokedAt', 'is', null)
        .executeTakeFirst(),
    /** Undefined when no link has this token or its track is deleted (revocation and expiry are the caller's). */
    /**
     * Read on every view, so served from memory while neither a share link nor the rows of the
     * link's track it reads have changed (a view writes `track_events`, which this does not read).
     */
    findPageState: (hash: string, tx: Executor = db): Promise<SharePageState | undefined> =>
      tx === db ? pageStates.get(hash, () => loadPageState(hash, db)) : loadPageState(hash, tx),
    findByTokenHash: (hash: string, tx: Executor = db) => tx.selectFrom('workspaceShareLinks').selectAll().where('tokenHash', '=', hash).executeTakeFirst(),
    listForTrack: (trackId: string, kind: ShareLinkKind, tx: Executor = db) =>
      tx
        .selectFrom('workspaceShareLinks')
        .selectAll()
        .where('trackId', '=', trackId)
        .where('kind', '=', kind)
        .where('revokedAt', 'is', null)
        .orderBy('createdAt', 'desc')
        .orderBy('id', 'desc')
        .execute(),
    update: async (id: string, patch: ShareLinkPatch, tx: Executor = db) => {
      const res = await tx.updateTable('workspaceShareLinks').set(patch).where('id', '=', id).where('revokedAt', 'is', null).executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
    /** Views, plays and downloads recorded through each link. */
    async stats(linkIds: string[], tx: Executor = db): Promise<Map<string, LinkStats>> {
      const out = new Map<string, LinkStats>(linkIds.map((id) => [id, { views: 0, plays: 0, downloads: 0, lastViewedAt: null }]));
      if (linkIds.length === 0) return out;
      const rows = await tx
        .selectFrom('trackEvents')
        .select(['shareLinkId', 'type', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('createdAt').as('last')])
        .where('shareLinkId', 'in', linkIds)
        .groupBy(['shareLinkId', 'type'])
        .execute();
      for (const r of rows) {
        const s = out.get(r.shareLinkId!);
        if (!s) continue;
        const n = Number(r.n);
        if (r.type === 'track.viewed' || r.type === 'split_sheet.viewed') {
          s.views += n;
          if (!s.lastViewedAt || (r.last && r.last > s.lastViewedAt)) s.lastViewedAt = r.last;
        } else if (r.type === 'track.played') s.plays += n;
        else if (r.type === 'track.downloaded') s.downloads += n;
      }
      return out;
    },
  };
}
export type ShareLinkRepository = ReturnType<typeof createShareLinkRepository>;
