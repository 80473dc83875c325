import { nowIso } from '../db/time.js';
import { uuidv7 } from '../domain/ids.js';
import { notFound } from '../errors.js';
import type { AssetRepository } from '../repositories/asset.repository.js';
import type { ProcessingRepository } from '../repositories/processing.repository.js';
import type { TrackRow } from '../repositories/track.repository.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { PlaybackResult, Rendition, WaveformResult } from './lane-results.js';
import type { ProcessingService } from './processing.service.js';

export interface TrackMediaDeps {
  store: BlobStore;
  assets: AssetRepository;
  processing: ProcessingRepository;
  processingService: ProcessingService;
}

export const PLAYBACK_URL_TTL_SECONDS = 900;

/** Reading a track's media: playback, downloads, peaks (versions and purges are the catalog's). */
export function createTrackMediaService(deps: TrackMediaDeps) {
  const { store, assets, processing, processingService } = deps;

  async function renditions(track: TrackRow): Promise<Rendition[]> {
    const assetId = await processingService.currentAudioAsset(track);
    if (!assetId) return [];
    const lane = await processingService.laneResult<PlaybackResult>(assetId, 'playback');
    return lane?.status === 'succeeded' ? (lane.result.renditions ?? []) : [];
  }

  /** A short-lived signed URL of the playback transcode (preferring the codec asked for). */
  async function playbackUrl(track: TrackRow, prefer?: Rendition['codec']): Promise<{ url: string; expiresAt: string; mimeType: string; codec: string; bitrateKbps: number } | null> {
    const all = await renditions(track);
    const r = all.find((x) => x.codec === prefer) ?? all.find((x) => x.codec === 'aac') ?? all[0];
    if (!r) return null;
    const url = await store.signedGetUrl(r.storageKey, { expiresInSec: PLAYBACK_URL_TTL_SECONDS, contentType: r.mimeType });
    return { url, expiresAt: new Date(Date.now() + PLAYBACK_URL_TTL_SECONDS * 1000).toISOString(), mimeType: r.mimeType, codec: r.codec, bitrateKbps: r.bitrateKbps };
  }

  /** A signed download URL of one of the track's stored files (default: the current version's source). */
  async function downloadUrl(track: TrackRow, assetId?: string): Promise<{ url: string; expiresAt: string; fileName: string; assetId: string }> {
    const id = assetId ?? (await processingService.currentAudioAsset(track));
    const asset = id ? await assets.find(track.tenantId, id) : undefined;
    if (!asset || asset.trackId !== track.id || asset.status === 'pending' || asset.status === 'deleted') throw notFound('asset_not_found', 'Asset not found');
    const url = await store.signedGetUrl(asset.storageKey, { expiresInSec: PLAYBACK_URL_TTL_SECONDS, downloadName: asset.fileName, contentType: asset.contentType });
    return { url, expiresAt: new Date(Date.now() + PLAYBACK_URL_TTL_SECONDS * 1000).toISOString(), fileName: asset.fileName, assetId: asset.id };
  }

  /** The waveform of the current version: the 320-point overview, or a stored zoom level. */
  async function waveform(track: TrackRow): Promise<WaveformResult | null> {
    const assetId = await processingService.currentAudioAsset(track);
    if (!assetId) return null;
    const lane = await processingService.laneResult<WaveformResult>(assetId, 'waveform');
    return lane?.status === 'succeeded' ? lane.result : null;
  }

  /** A small stored object's bytes, streamed from the store (no temp file). */
  async function readBytes(key: string): Promise<Buffer> {
    const { body } = await store.get(key);
    const chunks: Buffer[] = [];
    for await (const c of body) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  }

  const readJson = async <T>(key: string): Promise<T> => JSON.parse((await readBytes(key)).toString('utf8')) as T;

  async function recordEvent(track: Pick<TrackRow, 'id' | 'tenantId'>, type: string, opts: { shareLinkId?: string | null; actorUserId?: string | null; meta?: Record<string, unknown> } = {}) {
    await processing.insertEvent({
      id: uuidv7(),
      tenantId: track.tenantId,
      trackId: track.id,
      type,
      shareLinkId: opts.shareLinkId ?? null,
      actorUserId: opts.actorUserId ?? null,
      meta: JSON.stringify(opts.meta ?? {}),
      createdAt: nowIso(),
    });
  }

  return { renditions, playbackUrl, downloadUrl, waveform, readBytes, readJson, recordEvent };
}
export type TrackMediaService = ReturnType<typeof createTrackMediaService>;
