import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { CoreDeps } from '../../container.js';
import { nowIso } from '../../db/time.js';
import { uuidv7 } from '../../domain/ids.js';
import { AppError, badRequest, forbidden, notFound } from '../../errors.js';
import { isMediaError } from '../../media/media-error.js';
import type { CollectionsRepositories } from '../../repositories/collections/index.js';
import type { TrackRecord } from '../../repositories/collections/collection-track.repository.js';
import * as keys from '../../storage/object-keys.js';
import { sniffImage } from '../../media/image-kind.js';
import { coverPalette, type Palette } from './cover-palette.js';
import { defaultExtras } from './track-extras.js';

export type CoverTarget = 'track' | 'collection';
export const COVER_UPLOAD_TTL_SECONDS = 3600;

export interface UploadHandle {
  method: 'PUT' | 'POST';
  upload_url: string;
  ttl: number;
  expires_at: string;
  headers?: Record<string, string>;
}

/**
 * Cover images arrive by POST at a URL signed for one track or collection (raw image body or
 * multipart). The image becomes the track's artwork or the collection's cover, and its palette
 * gives the player colour unless the client chose one.
 */
export interface CoverServiceDeps {
  core: CoreDeps<'config' | 'media' | 'store' | 'db' | 'catalog', 'assets' | 'tracks', 'trackMedia'>;
  repos: Pick<CollectionsRepositories, 'collections' | 'tracks'>;
}

export function createCoverService(deps: CoverServiceDeps) {
  const { core, repos } = deps;
  const secret = createHash('sha256').update(`collections-cover:${core.config.jwt.secret}`).digest();
  const mac = (target: CoverTarget, tenantId: string, id: string, exp: number) =>
    createHmac('sha256', secret).update(JSON.stringify([target, tenantId, id, exp])).digest('hex');

  function handle(target: CoverTarget, tenantId: string, id: string): UploadHandle {
    const exp = Math.floor(Date.now() / 1000) + COVER_UPLOAD_TTL_SECONDS;
    const q = new URLSearchParams({ organization_id: tenantId, expires: String(exp), signature: mac(target, tenantId, id, exp) });
    return {
      method: 'POST',
      upload_url: `${core.config.publicUrl}/v1/${target}/${id}/cover/upload?${q.toString()}`,
      ttl: COVER_UPLOAD_TTL_SECONDS,
      expires_at: new Date(exp * 1000).toISOString(),
    };
  }

  /** The organization a cover URL was signed for; 403 for a forged or expired one. */
  function verify(target: CoverTarget, id: string, q: { organization_id?: string; expires?: string; signature?: string }): string {
    const { organization_id: tenantId, expires, signature } = q;
    if (!tenantId || !expires || !/^\d{1,12}$/.test(expires) || !signature || !/^[0-9a-f]{64}$/.test(signature)) {
      throw forbidden('signature_invalid', 'Cover upload URL signature is invalid');
    }
    const expected = Buffer.from(mac(target, tenantId, id, Number(expires)), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) throw forbidden('signature_invalid', 'Cover upload URL signature is invalid');
    if (Number(expires) * 1000 <= Date.now()) throw forbidden('url_expired', 'Cover upload URL has expired');
    return tenantId;
  }

  async function palette(bytes: Buffer, ext: string): Promise<Palette | null> {
    try {
      return await coverPalette(core.media, bytes, ext);
    } catch (err) {
      if (isMediaError(err, 'not_image') || isMediaError(err, 'ffmpeg_failed')) throw badRequest('invalid_image', 'The cover image could not be decoded');
      return null; // no image decoder available: keep the cover, skip the colours
    }
  }

  function checkImage(bytes: Buffer) {
    if (bytes.length === 0) throw badRequest('empty_body', 'The cover image is empty');
    if (bytes.length > core.config.limits.imageBytes) throw new AppError(413, 'payload_too_large', `Cover images are limited to ${core.config.limits.imageBytes} bytes`);
    const kind = sniffImage(bytes);
    if (!kind) throw badRequest('unsupported_image', 'Covers must be JPEG, PNG, GIF or WebP images');
    return kind;
  }

  async function storeAsset(tenantId: string, trackId: string | null, key: string, assetId: string, kind: string, bytes: Buffer, contentType: string, ext: string) {
    await core.store.put(key, bytes, { contentType });
    const now = nowIso();
    await core.catalog.insertAsset({ tx: core.db }, {
      id: assetId, tenantId, trackId, ownerUserId: null, kind, name: null, status: 'uploaded', storageKey: key, fileName: `cover.${ext}`,
      contentType, declaredSize: bytes.length, size: bytes.length, metadata: '{}', createdAt: now, updatedAt: now, uploadedAt: now, expiresAt: null,
    });
  }

  async function dropAsset(tenantId: string, assetId: string | null) {
    if (!assetId) return;
    const old = await core.repos.assets.find(tenantId, assetId);
    if (!old) return;
    await core.catalog.removeAsset({ tx: core.db }, old.id);
    await core.store.delete(old.storageKey);
  }

  async function receiveTrackCover(tenantId: string, trackId: string, bytes: Buffer): Promise<void> {
    const record = await repos.tracks.findRecord(tenantId, trackId);
    if (!record) throw notFound('track_not_found', 'Track not found');
    const kind = checkImage(bytes);
    const colors = await palette(bytes, kind.ext);
    const assetId = uuidv7();
    await storeAsset(tenantId, trackId, keys.trackArtwork(tenantId, trackId, assetId, kind.ext), assetId, 'artwork', bytes, kind.contentType, kind.ext);
    const now = nowIso();
    await core.catalog.transaction((w) => core.catalog.updateTrack(w, record.track, { artworkAssetId: assetId, updatedAt: now }));
    await repos.tracks.ensure(defaultExtras(tenantId, trackId, now));
    if (colors?.vibrant && record.extras?.playerColorSource !== 'client') {
      await repos.tracks.update(trackId, { playerColor: colors.vibrant, playerColorSource: 'cover', updatedAt: now });
    }
    if (record.track.artworkAssetId !== assetId) await dropAsset(tenantId, record.track.artworkAssetId);
  }

  async function receiveCollectionCover(tenantId: string, collectionId: string, bytes: Buffer): Promise<void> {
    const collection = await repos.collections.find(tenantId, collectionId);
    if (!collection) throw notFound('collection_not_found', 'Collection not found');
    const kind = checkImage(bytes);
    const colors = await palette(bytes, kind.ext);
    const assetId = uuidv7();
    await storeAsset(tenantId, null, keys.collectionCover(tenantId, collectionId, assetId, kind.ext), assetId, 'cover', bytes, kind.contentType, kind.ext);
    await repos.collections.update(tenantId, collectionId, {
      coverAssetId: assetId,
      ...(colors ? { theme: JSON.stringify(colors.colors) } : {}),
      ...(colors?.vibrant && collection.playerColorSource !== 'client' ? { playerColor: colors.vibrant, playerColorSource: 'cover' } : {}),
      updatedAt: nowIso(),
    });
    await dropAsset(tenantId, collection.coverAssetId);
  }

  async function receive(target: CoverTarget, tenantId: string, id: string, bytes: Buffer): Promise<void> {
    if (target === 'track') await receiveTrackCover(tenantId, id, bytes);
    else await receiveCollectionCover(tenantId, id, bytes);
  }

  /**
   * A track that got artwork some other way than a cover upload (art embedded in its audio)
   * takes its player colour from it, unless a colour was chosen or taken already.
   */
  async function adoptArtworkColor(record: TrackRecord): Promise<void> {
    const { tenantId, id: trackId, artworkAssetId } = record.track;
    if (!artworkAssetId || record.extras?.playerColorSource || record.extras?.playerColor) return;
    const asset = await core.repos.assets.find(tenantId, artworkAssetId);
    if (!asset) return;
    const bytes = await core.services.trackMedia.readBytes(asset.storageKey);
    const kind = sniffImage(bytes);
    const colors = kind ? await coverPalette(core.media, bytes, kind.ext).catch(() => null) : null;
    if (!colors?.vibrant) return;
    const now = nowIso();
    await repos.tracks.ensure(defaultExtras(tenantId, trackId, now));
    await repos.tracks.setCoverColorIfUnset(trackId, colors.vibrant, now);
  }

  /** A signed URL of a stored cover asset (null when there is none). */
  async function urlOf(tenantId: string, assetId: string | null): Promise<string | null> {
    if (!assetId) return null;
    const asset = await core.repos.assets.find(tenantId, assetId);
    return asset ? core.store.signedGetUrl(asset.storageKey, { expiresInSec: COVER_UPLOAD_TTL_SECONDS }) : null;
  }

  return { handle, verify, receive, urlOf, dropAsset, adoptArtworkColor };
}
export type CoverService = ReturnType<typeof createCoverService>;
