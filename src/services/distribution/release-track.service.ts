import type { CoreDeps } from '../../container.js';
import { crashPoint } from '../../crash-points.js';
import type { Executor } from '../../db/database.js';
import { nowIso, parseJson } from '../../db/time.js';
import type { Actor } from '../../domain/access.js';
import { badRequest, notFound } from '../../errors.js';
import type { DistributionRepositories } from '../../repositories/distribution/index.js';
import type { ReleaseTrackRow } from '../../repositories/distribution/release-track.repository.js';
import type { ProbeResult } from '../lane-results.js';
import { requireWriter } from './access.js';
import type { ArtistMap, ArtistService } from './artist.service.js';
import type { AuditTrail } from './audit-trail.js';
import { invalidField, type FieldWarning } from './fields.js';
import { mediaMetadata } from './media-metadata.js';
import { lockEditable, markEdited } from './release-gate.js';
import type { MediaEntry, ReleaseTrackView, ReleaseViews } from './release-views.js';
import { assertDistinctIsrcs, type ReleaseService } from './release.service.js';
import { trackColumns, type ReleaseTrackInput } from './track-input.js';

export interface LinkAssetInput {
  assetId: string;
  trackNumber?: number;
  overrides?: Partial<ReleaseTrackInput>;
}

export interface ReleaseTrackServiceDeps {
  core: CoreDeps<'db', 'tracks' | 'assets', 'processing'>;
  repos: Pick<DistributionRepositories, 'releases' | 'releaseTracks' | 'artists' | 'assetDetails'>;
  artists: ArtistService;
  audit: AuditTrail;
  views: ReleaseViews;
  releases: ReleaseService;
}

export function createReleaseTrackService(deps: ReleaseTrackServiceDeps) {
  const { core, repos, artists, audit, views, releases } = deps;

  async function viewOf(actor: Actor, releaseId: string, trackId: string): Promise<ReleaseTrackView> {
    const row = await repos.releaseTracks.find(actor.tenantId, releaseId, trackId);
    if (!row) throw notFound('track_not_found', 'Track not found');
    return (await views.tracks(actor.tenantId, [row]))[0];
  }

  async function list(actor: Actor, releaseId: string): Promise<ReleaseTrackView[]> {
    await releases.find(actor, releaseId);
    return views.tracks(actor.tenantId, await repos.releaseTracks.listForRelease(releaseId));
  }

  /** Puts `trackId` at `position` (1-based) and numbers the release's tracks 1..n. */
  async function moveTo(releaseId: string, trackId: string, position: number | undefined, tx: Executor): Promise<void> {
    if (position === undefined) return;
    const rows = await repos.releaseTracks.listForRelease(releaseId, tx);
    if (!Number.isInteger(position) || position < 1 || position > rows.length) throw invalidField('trackNumber', `must be between 1 and ${rows.length}`);
    const order = rows.map((r) => r.id).filter((id) => id !== trackId);
    order.splice(position - 1, 0, trackId);
    await repos.releaseTracks.renumber(releaseId, order, tx);
  }

  async function add(actor: Actor, releaseId: string, input: ReleaseTrackInput & { trackNumber?: number }) {
    requireWriter(actor);
    const warnings: FieldWarning[] = [];
    const id = await core.db.transaction().execute(async (tx) => {
      const release = await lockEditable(repos, actor, releaseId, tx);
      const row = await releases.insertTrack(actor, releaseId, (await repos.releaseTracks.maxNumber(releaseId, tx)) + 1, input, warnings, tx);
      await moveTo(releaseId, row.id, input.trackNumber, tx);
      assertDistinctIsrcs(await repos.releaseTracks.listForRelease(releaseId, tx));
      await markEdited(repos, audit, actor, release, tx);
      return row.id;
    });
    return { view: await viewOf(actor, releaseId, id), warnings };
  }

  async function update(actor: Actor, releaseId: string, trackId: string, input: ReleaseTrackInput) {
    requireWriter(actor);
    const warnings: FieldWarning[] = [];
    const patch = trackColumns(input, warnings);
    await core.db.transaction().execute(async (tx) => {
      const release = await lockEditable(repos, actor, releaseId, tx);
      const row = await repos.releaseTracks.find(actor.tenantId, releaseId, trackId, tx);
      if (!row) throw notFound('track_not_found', 'Track not found');
      await repos.releaseTracks.update(trackId, { ...patch, updatedAt: nowIso() }, tx);
      if (input.artists !== undefined) {
        await repos.artists.replaceLinks(actor.tenantId, 'release_track', trackId, await artists.resolveMap(actor.tenantId, input.artists, tx), tx);
      }
      assertDistinctIsrcs(await repos.releaseTracks.listForRelease(releaseId, tx));
      await markEdited(repos, audit, actor, release, tx);
    });
    return { view: await viewOf(actor, releaseId, trackId), warnings };
  }

  async function remove(actor: Actor, releaseId: string, trackId: string): Promise<void> {
    requireWriter(actor);
    const removed = await core.db.transaction().execute(async (tx) => {
      const release = await lockEditable(repos, actor, releaseId, tx);
      const row = await repos.releaseTracks.find(actor.tenantId, releaseId, trackId, tx);
      if (!row) throw notFound('track_not_found', 'Track not found');
      await repos.artists.deleteLinksFor('release_track', [trackId], tx);
      await repos.releaseTracks.delete(trackId, tx);
      const rest = await repos.releaseTracks.listForRelease(releaseId, tx);
      await repos.releaseTracks.renumber(releaseId, rest.map((r) => r.id), tx);
      await markEdited(repos, audit, actor, release, tx);
      return row;
    });
    await releases.discardTrackMedia(actor.tenantId, removed);
  }

  /**
   * Renumbers the release's tracks in the given order, atomically: the release row is locked
   * (PostgreSQL) or the database has one writer (SQLite), so concurrent reorders apply one
   * after another and each sees the others' result.
   */
  async function reorder(actor: Actor, releaseId: string, trackOrder: string[]): Promise<ReleaseTrackView[]> {
    requireWriter(actor);
    const rows = await core.db.transaction().execute(async (tx) => {
      const release = await lockEditable(repos, actor, releaseId, tx);
      const current = await repos.releaseTracks.listForRelease(releaseId, tx);
      const ids = new Set(current.map((r) => r.id));
      const unique = new Set(trackOrder);
      if (unique.size !== trackOrder.length || trackOrder.length !== ids.size || trackOrder.some((t) => !ids.has(t))) {
        throw badRequest(
          'invalid_track_order',
          `trackOrder must list each of the release's ${ids.size} track ids exactly once (a permutation of its tracks)`,
        );
      }
      await repos.releaseTracks.renumber(releaseId, trackOrder, tx);
      crashPoint('release.reorder.renumbered');
      await markEdited(repos, audit, actor, release, tx);
      const byId = new Map(current.map((r) => [r.id, r]));
      return trackOrder.map((id, i): ReleaseTrackRow => ({ ...byId.get(id)!, trackNumber: i + 1 }));
    });
    return views.tracks(actor.tenantId, rows);
  }

  /** Adds an existing asset (catalog track) as a track of the release; its data are the defaults. */
  async function linkAsset(actor: Actor, releaseId: string, input: LinkAssetInput) {
    requireWriter(actor);
    const warnings: FieldWarning[] = [];
    const track = await core.repos.tracks.find(actor.tenantId, input.assetId);
    if (!track) throw notFound('asset_not_found', 'Asset not found');
    const [details, links, audio] = await Promise.all([
      repos.assetDetails.find(track.id),
      repos.artists.linksFor('asset', [track.id]),
      core.services.processing.currentAudioAsset(track).then((id) => (id ? core.repos.assets.find(actor.tenantId, id) : undefined)),
    ]);
    const defaults: ReleaseTrackInput = {
      title: track.title,
      displayArtist: details?.displayArtist ?? track.artist ?? '',
      version: details?.version ?? null,
      isrc: track.isrc,
      iswc: track.iswc,
      duration: track.durationMs != null ? track.durationMs / 1000 : null,
      lyrics: track.lyrics,
      language: details?.language ?? 'en',
      mainGenre: parseJson<string[]>(details?.mainGenre, []),
      subGenre: parseJson<string[]>(details?.subGenre, []),
      contributors: parseJson<unknown>(details?.contributors, {}),
      metadata: parseJson<Record<string, unknown>>(details?.metadata, {}),
      explicit: parseJson<boolean | string | null>(details?.explicit, null),
      artists: Object.fromEntries(links.map((l) => [l.artistId, l.type])) as ArtistMap,
    };
    const merged: ReleaseTrackInput = { ...defaults, ...(input.overrides ?? {}) };
    if (!merged.displayArtist?.trim()) throw invalidField('overrides.displayArtist', 'is required: the asset has no display artist');
    const media: MediaEntry[] = audio
      ? [{
          cloudId: audio.id, type: audio.contentType.startsWith('video/') ? 'video' : 'audio', name: audio.fileName, isLink: false, storageKey: audio.storageKey,
          assetId: audio.id, contentType: audio.contentType, metadata: mediaMetadata(parseJson<Partial<ProbeResult> | null>(audio.metadata, null), audio.uploadedAt ?? audio.updatedAt),
        }]
      : [];
    const id = await core.db.transaction().execute(async (tx) => {
      const release = await lockEditable(repos, actor, releaseId, tx);
      const n = await repos.releaseTracks.maxNumber(releaseId, tx);
      if (input.trackNumber !== undefined && (input.trackNumber < 1 || input.trackNumber > n + 1)) throw invalidField('trackNumber', `must be between 1 and ${n + 1}`);
      const row = await releases.insertTrack(actor, releaseId, n + 1, { ...merged, artists: undefined }, warnings, tx);
      await repos.releaseTracks.update(row.id, { trackId: track.id, media: JSON.stringify(media) }, tx);
      const overrideArtists = input.overrides?.artists;
      const artistLinks = overrideArtists !== undefined ? await artists.resolveMap(actor.tenantId, overrideArtists, tx, 'overrides.artists') : links.map((l) => ({ artistId: l.artistId, type: l.type }));
      await repos.artists.replaceLinks(actor.tenantId, 'release_track', row.id, artistLinks, tx);
      await moveTo(releaseId, row.id, input.trackNumber, tx);
      assertDistinctIsrcs(await repos.releaseTracks.listForRelease(releaseId, tx));
      await markEdited(repos, audit, actor, release, tx);
      return row.id;
    });
    return { view: await viewOf(actor, releaseId, id), warnings, title: merged.title };
  }

  return { list, add, update, remove, reorder, linkAsset, viewOf };
}
export type ReleaseTrackService = ReturnType<typeof createReleaseTrackService>;
