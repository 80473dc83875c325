import { mayAccessTrack, trackOwnerFilter } from '../../domain/track-access.js';
import type { CoreDeps } from '../../container.js';
import type { Executor } from '../../db/database.js';
import { summarize } from './summary.js';
import { nowIso } from '../../db/time.js';
import { uniqueViolation } from '../../db/unique-violation.js';
import type { Actor } from '../../domain/access.js';
import { uuidv7 } from '../../domain/ids.js';
import { conflict, notFound } from '../../errors.js';
import type { AssetDetailsPatch, AssetDetailsRow, AssetSort } from '../../repositories/distribution/asset-details.repository.js';
import type { DistributionRepositories } from '../../repositories/distribution/index.js';
import type { PageQuery } from '../../repositories/distribution/query.js';
import type { TrackPatch, TrackRow } from '../../repositories/track.repository.js';
import { requireWriter } from './access.js';
import { defaultDetails } from './asset-details-defaults.js';
import type { TrackDefaults } from '../../catalog/track-row.js';
import type { ArtistMap, ArtistRef, ArtistService } from './artist.service.js';
import { diff, type AuditTrail } from './audit-trail.js';
import { dateField, explicitField, isrcField, iswcField, languageField, type FieldWarning } from './fields.js';

export interface AssetInput {
  title?: string;
  isrc?: string | null;
  iswc?: string | null;
  type?: string;
  version?: string | null;
  displayArtist?: string | null;
  mainArtist?: string[];
  artists?: ArtistMap;
  mainGenre?: string[];
  subGenre?: string[];
  explicit?: boolean | string | null;
  language?: string | null;
  tempo?: number | null;
  key?: string | null;
  mood?: string[];
  lyrics?: string | null;
  label?: string | null;
  copyright?: string | null;
  publisher?: string | null;
  copyrightOwner?: string | null;
  recordingDate?: string | null;
  recordingLocation?: string | null;
  productionYear?: number | null;
  releaseDate?: string | null;
  duration?: number | null;
  contributors?: unknown;
  metadata?: Record<string, unknown>;
}

export interface AssetView {
  track: TrackRow;
  details: AssetDetailsRow | null;
  artists: ArtistRef[];
  products: Array<{ id: string; title: string; upc: string; number: number | null }>;
  hasAudio: boolean;
}

function split(input: AssetInput, warnings: FieldWarning[]): { track: TrackPatch; details: AssetDetailsPatch } {
  const track: TrackPatch = {};
  const details: AssetDetailsPatch = {};
  if (input.title !== undefined) track.title = input.title.trim();
  if (input.isrc !== undefined) track.isrc = details.isrc = isrcField(input.isrc, 'isrc');
  if (input.iswc !== undefined) track.iswc = iswcField(input.iswc, warnings);
  if (input.displayArtist !== undefined) track.artist = details.displayArtist = input.displayArtist;
  if (input.tempo !== undefined) track.bpm = input.tempo;
  if (input.key !== undefined) track.musicalKey = input.key;
  if (input.lyrics !== undefined) track.lyrics = input.lyrics;
  if (input.releaseDate !== undefined) track.releaseDate = dateField(input.releaseDate, 'releaseDate');
  if (input.duration !== undefined) track.durationMs = input.duration === null ? null : Math.round(input.duration * 1000);
  if (input.mainGenre !== undefined) {
    track.genre = input.mainGenre[0] ?? null;
    details.mainGenre = JSON.stringify(input.mainGenre);
  }
  if (input.subGenre !== undefined) details.subGenre = JSON.stringify(input.subGenre);
  if (input.mood !== undefined) details.mood = JSON.stringify(input.mood);
  if (input.explicit !== undefined) details.explicit = JSON.stringify(explicitField(input.explicit));
  if (input.language !== undefined) details.language = languageField(input.language);
  if (input.recordingDate !== undefined) details.recordingDate = dateField(input.recordingDate, 'recordingDate');
  if (input.contributors !== undefined) details.contributors = JSON.stringify(input.contributors ?? {});
  if (input.metadata !== undefined) details.metadata = JSON.stringify(input.metadata ?? {});
  for (const k of ['type', 'version', 'label', 'copyright', 'publisher', 'copyrightOwner', 'recordingLocation', 'productionYear'] as const) {
    if (input[k] !== undefined) (details as Record<string, unknown>)[k] = input[k];
  }
  return { track, details };
}

/**
 * Royalti assets are the catalog's tracks: the same rows the other APIs list and play. What
 * only this API knows about them lives beside each row in `dist_asset_details`.
 */
export interface AssetServiceDeps {
  core: CoreDeps<'catalog', 'tracks'>;
  repos: Pick<DistributionRepositories, 'artists' | 'assetDetails' | 'products' | 'releaseTracks'>;
  artists: ArtistService;
  audit: AuditTrail;
}

export function createAssetService(deps: AssetServiceDeps) {
  const { core, repos, artists, audit } = deps;

  async function assertIsrcFree(tenantId: string, isrc: string | null | undefined, selfId: string | null, tx: Executor): Promise<void> {
    if (!isrc) return;
    const [other, guarded] = await Promise.all([core.repos.tracks.findByIsrc(tenantId, isrc, tx), repos.assetDetails.findByIsrc(tenantId, isrc, tx)]);
    const clash = [other?.id, guarded?.trackId].find((id) => id && id !== selfId);
    if (clash) throw conflict('isrc_taken', `ISRC ${isrc} is already used by asset ${clash}`);
  }

  async function writeArtists(actor: Actor, trackId: string, input: AssetInput, tx: Executor): Promise<void> {
    if (input.artists === undefined && input.mainArtist === undefined) return;
    const map: ArtistMap = { ...Object.fromEntries((input.mainArtist ?? []).map((n) => [n, 'primary'])), ...(input.artists ?? {}) };
    await repos.artists.replaceLinks(actor.tenantId, 'asset', trackId, await artists.resolveMap(actor.tenantId, map, tx), tx);
  }

  const translated = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      if (uniqueViolation(err)) throw conflict('isrc_taken', 'This ISRC is already used by another asset');
      throw err;
    }
  };

  async function create(actor: Actor, input: AssetInput & { title: string }): Promise<{ view: AssetView; warnings: FieldWarning[] }> {
    requireWriter(actor);
    const warnings: FieldWarning[] = [];
    const { track, details } = split(input, warnings);
    const id = uuidv7();
    const now = nowIso();
    await translated(() =>
      core.catalog.transaction(async (w) => {
        const tx = w.tx;
        await assertIsrcFree(actor.tenantId, track.isrc, null, tx);
        await core.catalog.createTrack(w, { ...track, id, tenantId: actor.tenantId, ownerUserId: actor.userId, title: input.title.trim() } as TrackDefaults);
        await repos.assetDetails.insert({ ...defaultDetails(actor.tenantId, id, now), ...details }, tx);
        await writeArtists(actor, id, input, tx);
        await audit.record(actor, { action: 'asset.created', entityType: 'asset', entityId: id, changes: diff(null, { ...track, ...details }) }, tx);
      }, { actor }),
    );
    return { view: await get(actor, id), warnings };
  }

  async function findTrack(actor: Actor, id: string): Promise<TrackRow> {
    const track = await core.repos.tracks.find(actor.tenantId, id);
    if (!track || !mayAccessTrack(actor, track)) throw notFound('asset_not_found', 'Asset not found');
    return track;
  }

  async function get(actor: Actor, id: string): Promise<AssetView> {
    return (await views(actor.tenantId, [await findTrack(actor, id)]))[0];
  }

  async function list(actor: Actor, page: PageQuery & { sort: AssetSort; q?: string; type?: string }) {
    const { rows, total } = await repos.assetDetails.listTracks(actor.tenantId, { ...page, owner: trackOwnerFilter(actor) });
    return { views: await views(actor.tenantId, rows), total };
  }

  async function update(actor: Actor, id: string, input: AssetInput): Promise<{ view: AssetView; warnings: FieldWarning[] }> {
    requireWriter(actor);
    const warnings: FieldWarning[] = [];
    const before = await findTrack(actor, id);
    const { track, details } = split(input, warnings);
    const now = nowIso();
    await translated(() =>
      core.catalog.transaction(async (w) => {
        const tx = w.tx;
        if (track.isrc !== undefined) await assertIsrcFree(actor.tenantId, track.isrc, id, tx);
        const existing = await repos.assetDetails.find(id, tx);
        const changes = diff({ ...before, ...(existing ?? {}) }, { ...track, ...details });
        await core.catalog.updateTrack(w, before, { ...track, updatedAt: now }, { changes });
        if (existing) await repos.assetDetails.update(id, { ...details, updatedAt: now }, tx);
        else {
          const isrc = track.isrc !== undefined ? track.isrc : before.isrc;
          await repos.assetDetails.insert({ ...defaultDetails(actor.tenantId, id, now), isrc, displayArtist: before.artist, ...details }, tx);
        }
        await writeArtists(actor, id, input, tx);
        await audit.record(actor, { action: 'asset.updated', entityType: 'asset', entityId: id, changes }, tx);
      }, { actor }),
    );
    return { view: await get(actor, id), warnings };
  }

  /** Deletes the asset (the catalog track with its files) unless a release still uses it. */
  async function remove(actor: Actor, id: string): Promise<void> {
    requireWriter(actor);
    const track = await findTrack(actor, id);
    const uses = await repos.releaseTracks.listForTrack(actor.tenantId, id);
    if (uses.length) throw conflict('asset_in_use', `This asset is a track of release ${uses[0].releaseId}; remove it from the release first`);
    await core.catalog.purge(track, { actor });
    await audit.record(actor, { action: 'asset.deleted', entityType: 'asset', entityId: id, changes: { title: track.title, isrc: track.isrc } });
  }

  async function views(tenantId: string, tracks: TrackRow[]): Promise<AssetView[]> {
    const ids = tracks.map((t) => t.id);
    const [details, byAsset, products] = await Promise.all([repos.assetDetails.findMany(ids), artists.expand(tenantId, 'asset', ids), repos.products.productsOfAssets(tenantId, ids)]);
    const byId = new Map(details.map((d) => [d.trackId, d]));
    return tracks.map((track) => ({
      track,
      details: byId.get(track.id) ?? null,
      artists: byAsset.get(track.id) ?? [],
      products: products.filter((p) => p.assetId === track.id).map((p) => ({ id: p.code, title: p.title, upc: p.upc, number: p.number })),
      hasAudio: !!track.currentVersionId,
    }));
  }

  /** Counts of the workspace's assets (every live catalog track) by type. */
  const summary = async (actor: Actor) => summarize(await repos.assetDetails.typeCounts(actor.tenantId), { byType: 'type' });

  return { create, get, list, update, remove, summary };
}
export type AssetService = ReturnType<typeof createAssetService>;
