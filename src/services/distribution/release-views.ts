import type { CoreDeps } from '../../container.js';
import type { Executor } from '../../db/database.js';
import { parseJson } from '../../db/time.js';
import type { DistributionRepositories } from '../../repositories/distribution/index.js';
import type { ReleaseTrackRow } from '../../repositories/distribution/release-track.repository.js';
import type { ReleaseRow } from '../../repositories/distribution/release.repository.js';
import type { ArtistRef, ArtistService } from './artist.service.js';
import type { AuditTrail, StatusChange } from './audit-trail.js';

/** One file or link attached to a release track, as stored in `dist_release_tracks.media`. */
export interface MediaEntry {
  cloudId: string;
  type: 'audio' | 'video';
  name: string;
  isLink: boolean;
  url?: string | null;
  storageKey?: string | null;
  /** The `assets` row holding an uploaded file. */
  assetId?: string | null;
  /** The upload created the release track's catalog track (so removing the track may remove it). */
  createdTrack?: boolean;
  contentType?: string | null;
  metadata: Record<string, unknown>;
}

export interface MediaView {
  cloudId: string;
  cloudUrl: string | null;
  type: string;
  name: string;
  isLink: boolean;
  releasePath: string | null;
  metadata: Record<string, unknown>;
}

export interface ReleaseTrackView {
  row: ReleaseTrackRow;
  artists: ArtistRef[];
  media: MediaView[];
  /** What the lanes found in the linked asset's audio (tempo, key), for the track's `metadata`. */
  analysis: { bpm?: number; key?: string };
}

export interface ReleaseView {
  row: ReleaseRow;
  artists: ArtistRef[];
  tracks: ReleaseTrackView[];
  productCode: string | null;
  statusHistory?: StatusChange[];
}

export const MEDIA_URL_TTL_SECONDS = 900;

export const mediaOf = (row: Pick<ReleaseTrackRow, 'media'>): MediaEntry[] => parseJson<MediaEntry[]>(row.media, []);

/** Assembles what the release routes answer: artists expanded, media URLs signed, products named. */
export function createReleaseViews(deps: { core: CoreDeps<'db' | 'store', 'tracks'>; repos: Pick<DistributionRepositories, 'products' | 'releaseTracks'>; artists: ArtistService; audit: AuditTrail }) {
  const { core, repos, artists, audit } = deps;

  async function mediaView(m: MediaEntry): Promise<MediaView> {
    const cloudUrl = m.isLink
      ? (m.url ?? null)
      : m.storageKey
        ? await core.store.signedGetUrl(m.storageKey, { expiresInSec: MEDIA_URL_TTL_SECONDS, contentType: m.contentType ?? undefined })
        : null;
    // A stored file's link is ours and valid while it is stored; an external link was validated when given.
    const metadata = { ...m.metadata, linkValidated: m.metadata.linkValidated ?? (m.isLink ? false : !!m.storageKey) };
    return { cloudId: m.cloudId, cloudUrl, type: m.type, name: m.name, isLink: m.isLink, releasePath: m.isLink ? null : (m.storageKey ?? null), metadata };
  }

  async function tracks(tenantId: string, rows: ReleaseTrackRow[], tx: Executor = core.db): Promise<ReleaseTrackView[]> {
    const byTrack = await artists.expand(tenantId, 'release_track', rows.map((r) => r.id), tx);
    const linked = await core.repos.tracks.findMany(tenantId, [...new Set(rows.map((r) => r.trackId).filter((id): id is string => !!id))], tx);
    const analysis = new Map(linked.map((t) => [t.id, { ...(t.bpm != null ? { bpm: t.bpm } : {}), ...(t.musicalKey ? { key: t.musicalKey } : {}) }]));
    return Promise.all(
      rows.map(async (row) => ({
        row,
        artists: byTrack.get(row.id) ?? [],
        media: await Promise.all(mediaOf(row).map(mediaView)),
        analysis: (row.trackId && analysis.get(row.trackId)) || {},
      })),
    );
  }

  async function releases(tenantId: string, rows: ReleaseRow[], opts: { history?: boolean; tx?: Executor } = {}): Promise<ReleaseView[]> {
    const tx = opts.tx ?? core.db;
    const ids = rows.map((r) => r.id);
    const [trackRows, byRelease, products] = await Promise.all([
      repos.releaseTracks.listForReleases(ids, tx),
      artists.expand(tenantId, 'release', ids, tx),
      repos.products.findManyById(tenantId, rows.map((r) => r.productId).filter((p): p is string => !!p), tx),
    ]);
    const trackViews = await tracks(tenantId, trackRows, tx);
    const codes = new Map(products.map((p) => [p.id, p.code]));
    return Promise.all(
      rows.map(async (row) => ({
        row,
        artists: byRelease.get(row.id) ?? [],
        tracks: trackViews.filter((t) => t.row.releaseId === row.id),
        productCode: row.productId ? (codes.get(row.productId) ?? null) : null,
        ...(opts.history ? { statusHistory: await audit.statusHistory(tenantId, row.id) } : {}),
      })),
    );
  }

  async function release(tenantId: string, row: ReleaseRow, opts: { history?: boolean; tx?: Executor } = {}): Promise<ReleaseView> {
    return (await releases(tenantId, [row], opts))[0];
  }

  return { mediaView, tracks, releases, release };
}
export type ReleaseViews = ReturnType<typeof createReleaseViews>;
