import type { CoreDeps } from '../../container.js';
import { parseJson } from '../../db/time.js';
import type { Actor } from '../../domain/access.js';
import { conflict, notFound } from '../../errors.js';
import type { AssetRow } from '../../repositories/asset.repository.js';
import type { TrackRow } from '../../repositories/track.repository.js';
import { publishedTags, type AudiowaveformV2, type ProbeResult, type TagsResult, type WaveformResult } from '../lane-results.js';
import type { FreshCache } from './fresh-cache.js';
import { scopeOf, type TrackFinder } from './scope.js';
import type { SimilarityIndex } from './similarity-index.js';

export const ASSET_URL_TTL_SECONDS = 900;

export interface VersionView {
  id: string;
  label: string | null;
  isOriginal: boolean;
  isCurrent: boolean;
  asset: AssetRow | null;
  durationMs: number | null;
  createdAt: string;
}

export interface StoredFileView {
  asset: AssetRow;
  url: string | null;
  isCurrent: boolean;
}

export interface MediaServiceDeps {
  core: CoreDeps<'catalog' | 'store', 'tracks' | 'assets' | 'processing', 'trackMedia' | 'processing'>;
  findTrack: TrackFinder;
  similarity: SimilarityIndex;
  listCache: FreshCache;
}

/** A track's media through the workspace: waveform, signed URLs, versions, stems, artwork and documents, processing. */
export function createMediaService(deps: MediaServiceDeps) {
  const { core, findTrack, similarity, listCache } = deps;
  const { trackMedia, processing } = core.services;
  const track = (actor: Actor, trackId: string) => findTrack(scopeOf(actor), trackId);

  async function peaks(actor: Actor, trackId: string, opts: { samplesPerPixel?: number } = {}): Promise<AudiowaveformV2> {
    const waveform: WaveformResult | null = await trackMedia.waveform(await track(actor, trackId));
    if (!waveform?.overview) throw notFound('peaks_not_found', 'No waveform yet');
    if (opts.samplesPerPixel === undefined || waveform.levels.length === 0) return waveform.overview;
    const want = opts.samplesPerPixel;
    const level = [...waveform.levels].sort((a, b) => Math.abs(a.samplesPerPixel - want) - Math.abs(b.samplesPerPixel - want))[0];
    try {
      return await trackMedia.readJson<AudiowaveformV2>(level.storageKey);
    } catch {
      throw notFound('peaks_not_found', 'That waveform level is not available');
    }
  }

  async function playbackUrl(actor: Actor, trackId: string, codec?: 'aac' | 'mp3' | 'ogg' | 'opus') {
    const signed = await trackMedia.playbackUrl(await track(actor, trackId), codec);
    if (!signed) throw conflict('playback_not_ready', 'The playback rendition is not ready yet');
    return signed;
  }

  async function downloadUrl(actor: Actor, trackId: string, assetId?: string) {
    const t = await track(actor, trackId);
    const signed = await trackMedia.downloadUrl(t, assetId);
    await trackMedia.recordEvent(t, 'track.downloaded', { actorUserId: actor.userId, meta: { assetId: signed.assetId } });
    return signed;
  }

  async function processingStatus(actor: Actor, trackId: string) {
    return processing.statusOf(await track(actor, trackId));
  }

  async function retry(actor: Actor, trackId: string) {
    const t = await track(actor, trackId);
    return processing.retry(t.tenantId, t.id);
  }

  async function versions(actor: Actor, trackId: string): Promise<{ trackId: string; currentVersionId: string | null; versions: VersionView[] }> {
    const t = await track(actor, trackId);
    const [rows, audio] = await Promise.all([core.repos.tracks.listVersions(t.id), core.repos.assets.listForTrack(t.tenantId, t.id, ['audio'])]);
    const byId = new Map(audio.map((a) => [a.id, a]));
    return {
      trackId: t.id,
      currentVersionId: t.currentVersionId,
      versions: rows.map((v) => {
        const asset = byId.get(v.assetId) ?? null;
        return {
          id: v.id,
          label: v.label,
          isOriginal: v.isOriginal === 1,
          isCurrent: v.id === t.currentVersionId,
          asset,
          durationMs: asset ? (parseJson<Partial<ProbeResult>>(asset.metadata, {}).durationMs ?? null) : null,
          createdAt: v.createdAt,
        };
      }),
    };
  }

  /** Copies what the current version's lanes found (duration, tempo, key) onto the track, which every surface reads. */
  async function syncFromCurrentVersion(t: TrackRow): Promise<void> {
    const fresh = await core.repos.tracks.find(t.tenantId, t.id);
    if (!fresh) return;
    const assetId = await processing.currentAudioAsset(fresh);
    if (!assetId) return;
    const [probe, tags] = await Promise.all([processing.laneResult<ProbeResult>(assetId, 'probe'), processing.laneResult<TagsResult>(assetId, 'tags')]);
    const ok = <T>(lane: { status: string; result: T } | null) => (lane?.status === 'succeeded' ? lane.result : null);
    const p = ok(probe);
    const g = ok(tags);
    const patch = { durationMs: p?.durationMs ?? null, ...publishedTags(g) };
    await core.catalog.transaction((w) => core.catalog.updateTrack(w, t, patch));
  }

  async function promote(actor: Actor, trackId: string, versionId: string) {
    const t = await track(actor, trackId);
    await core.catalog.promote(t, versionId);
    await syncFromCurrentVersion(t);
    similarity.invalidate(t.tenantId, t.id);
    return versions(actor, trackId);
  }

  async function deleteVersion(actor: Actor, trackId: string, versionId: string) {
    const t = await track(actor, trackId);
    await core.catalog.deleteVersion(t, versionId);
    if (t.currentVersionId === versionId) await syncFromCurrentVersion(t);
    similarity.invalidate(t.tenantId, t.id);
    listCache.invalidate(t.tenantId);
    return versions(actor, trackId);
  }

  async function signed(asset: AssetRow): Promise<string | null> {
    try {
      return await core.store.signedGetUrl(asset.storageKey, { expiresInSec: ASSET_URL_TTL_SECONDS, contentType: asset.contentType });
    } catch {
      return null;
    }
  }

  const stored = (rows: AssetRow[]) => rows.filter((a) => a.status !== 'pending' && a.status !== 'deleted' && a.status !== 'expired');

  async function stems(actor: Actor, trackId: string) {
    const t = await track(actor, trackId);
    const rows = stored(await core.repos.assets.listForTrack(t.tenantId, t.id, ['stem']));
    const assetId = await processing.currentAudioAsset(t);
    const lane = assetId ? await core.repos.processing.findLane(assetId, 'stems') : undefined;
    return { trackId: t.id, status: lane?.status ?? null, stems: rows };
  }

  async function mediaAssets(actor: Actor, trackId: string): Promise<{ trackId: string; artwork: StoredFileView[]; documents: StoredFileView[] }> {
    const t = await track(actor, trackId);
    const rows = stored(await core.repos.assets.listForTrack(t.tenantId, t.id, ['artwork', 'document']));
    const views = await Promise.all(rows.map(async (asset) => ({ asset, url: await signed(asset), isCurrent: asset.id === t.artworkAssetId })));
    return { trackId: t.id, artwork: views.filter((v) => v.asset.kind === 'artwork'), documents: views.filter((v) => v.asset.kind === 'document') };
  }

  return { peaks, playbackUrl, downloadUrl, processingStatus, retry, versions, promote, deleteVersion, stems, mediaAssets };
}
export type MediaService = ReturnType<typeof createMediaService>;
