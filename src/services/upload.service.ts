import type { Config } from '../config.js';
import { crashPoint } from '../crash-points.js';
import type { Catalog, Work } from '../catalog/catalog.js';
import { isoIn, nowIso, parseJson } from '../db/time.js';
import { uuidv7 } from '../domain/ids.js';
import { randomUUID } from 'node:crypto';
import { conflict, notFound, unprocessable } from '../errors.js';
import type { AssetRepository, AssetRow, UploadRow } from '../repositories/asset.repository.js';
import type { NewTrackRow, TrackRepository, TrackRow } from '../repositories/track.repository.js';
import type { BlobStore, SignedPut } from '../storage/blob-store.js';
import type { StorageWriteClaim } from '../storage/local-storage.routes.js';
import * as keys from '../storage/object-keys.js';
import { checkDeclaredUpload, extensionOf, maxBytes, type UploadKind } from './upload-rules.js';

export interface UploadIntentInput {
  tenantId: string;
  ownerUserId: string | null;
  kind: UploadKind;
  fileName: string;
  contentType: string;
  byteSize: number;
  /** Attach to an existing track, or create one now (an upload that creates its track). */
  track?: { id: string } | { create: Partial<NewTrackRow> & { title: string } };
  /** For `cover`: the collection whose cover this is. */
  collectionId?: string;
  /** For `stem`: its name. For `audio` on an existing track: the version label. */
  name?: string;
  /** Finalize when the bytes land instead of waiting for an explicit call. */
  autoFinalize?: boolean;
  allowVideo?: boolean;
  ttlSeconds?: number;
  /** false: `byteSize` is a maximum (the client does not know the size up front); checked again on finalize. */
  exactSize?: boolean;
}

export interface UploadIntent {
  upload: UploadRow;
  asset: AssetRow;
  track: TrackRow | null;
  signed: SignedPut;
}

export interface FinalizedUpload {
  upload: UploadRow;
  asset: AssetRow;
  track: TrackRow | null;
  /** Set for audio: the version the bytes became. */
  versionId: string | null;
  /** True when this call did the finalizing (false: it was already done). */
  finalizedNow: boolean;
}


export type FinalizeListener = (result: FinalizedUpload) => Promise<void>;

export interface UploadDeps {
  config: Pick<Config, 'limits' | 'http'>;
  store: BlobStore;
  tracks: TrackRepository;
  assets: AssetRepository;
  catalog: Pick<Catalog, 'transaction' | 'createTrack' | 'updateTrack' | 'insertAsset' | 'attachVersion' | 'purge'>;
}

/**
 * Upload intents: a pending asset plus a short-lived signed PUT URL. Bytes go straight to the
 * store; finalize checks them and hands the asset to whoever listens (processing, covers).
 */
export function createUploadService(deps: UploadDeps) {
  const { store, tracks, assets, config, catalog } = deps;
  const listeners: FinalizeListener[] = [];

  function storageKey(input: UploadIntentInput, trackId: string | null, assetId: string, versionId: string | null, safeName: string): string {
    switch (input.kind) {
      case 'audio':
        return keys.trackSource(input.tenantId, trackId!, versionId!, safeName);
      case 'artwork':
        return keys.trackArtwork(input.tenantId, trackId!, assetId, extensionOf(safeName, 'img'));
      case 'document':
        return keys.trackDocument(input.tenantId, trackId!, assetId, safeName);
      case 'stem':
        return keys.trackStem(input.tenantId, trackId!, assetId, safeName);
      case 'cover':
        return input.collectionId
          ? keys.collectionCover(input.tenantId, input.collectionId, assetId, extensionOf(safeName, 'img'))
          : keys.trackArtwork(input.tenantId, trackId!, assetId, extensionOf(safeName, 'img'));
    }
  }

  async function createIntent(input: UploadIntentInput): Promise<UploadIntent> {
    const contentType = checkDeclaredUpload(input.kind, input, config.limits, { allowVideo: input.allowVideo });
    const safeName = keys.sanitizeFileName(input.fileName);
    const now = nowIso();
    const ttl = input.ttlSeconds ?? config.limits.uploadUrlTtlSeconds;
    const assetId = uuidv7();
    const uploadId = uuidv7();
    const versionId = input.kind === 'audio' ? uuidv7() : null;

    let track: TrackRow | null = null;
    let trackId: string | null = null;
    let createdTrack = false;
    if (input.track && 'id' in input.track) {
      track = (await tracks.find(input.tenantId, input.track.id)) ?? null;
      if (!track) throw notFound('track_not_found', 'Track not found');
      trackId = track.id;
    } else if (input.track && 'create' in input.track) {
      trackId = input.track.create.id ?? uuidv7();
      createdTrack = true;
    } else if (input.kind !== 'cover') {
      throw unprocessable('track_required', `A ${input.kind} upload belongs to a track`);
    }

    const key = storageKey(input, trackId, assetId, versionId, safeName);
    const asset: AssetRow = {
      id: assetId,
      tenantId: input.tenantId,
      trackId,
      ownerUserId: input.ownerUserId,
      kind: input.kind,
      name: input.name ?? null,
      status: 'pending',
      storageKey: key,
      fileName: safeName,
      contentType,
      declaredSize: input.exactSize === false ? null : input.byteSize,
      size: null,
      metadata: '{}',
      createdAt: now,
      updatedAt: now,
      uploadedAt: null,
      expiresAt: isoIn(ttl),
    };
    const upload: UploadRow = {
      id: uploadId,
      tenantId: input.tenantId,
      assetId,
      trackId,
      versionId,
      kind: input.kind,
      ownerUserId: input.ownerUserId,
      status: 'pending',
      autoFinalize: input.autoFinalize ? 1 : 0,
      createdTrack: createdTrack ? 1 : 0,
      meta: JSON.stringify({ name: input.name ?? null, collectionId: input.collectionId ?? null }),
      expiresAt: asset.expiresAt!,
      createdAt: now,
      finalizedAt: null,
      writeState: 'pending',
      writeClaim: null,
      writeStartedAt: null,
      writtenSize: null,
      writtenEtag: null,
    };
    await catalog.transaction(async (w) => {
      if (createdTrack && input.track && 'create' in input.track) {
        const { ownerUserId, ...create } = input.track.create;
        await catalog.createTrack(w, { ...create, id: trackId!, tenantId: input.tenantId, ownerUserId: ownerUserId ?? input.ownerUserId });
      }
      await catalog.insertAsset(w, asset);
      await assets.insertUpload(upload, w.tx);
    });
    if (createdTrack) track = (await tracks.find(input.tenantId, trackId!)) ?? null;
    const signed = await store.signedPutUrl(key, { expiresInSec: ttl, contentType, byteSize: input.byteSize, exactSize: input.exactSize });
    return { upload, asset, track, signed };
  }

  /**
   * Files audio a surface has already stored (a multipart body, checked and probed) as an upload
   * of the track, in the caller's transaction. `finalize` then takes it the way it takes every
   * other upload: one version, the same events and lanes. Should the process die before that,
   * the upload finalizes itself on the next sweep (its bytes are already there).
   */
  async function registerStored(
    w: Work,
    input: { tenantId: string; ownerUserId: string | null; trackId: string; assetId: string; key: string; fileName: string; contentType: string; size: number; metadata?: string; replace?: boolean },
  ): Promise<UploadRow> {
    const now = nowIso();
    const expiresAt = isoIn(config.limits.uploadUrlTtlSeconds);
    await catalog.insertAsset(w, {
      id: input.assetId, tenantId: input.tenantId, trackId: input.trackId, ownerUserId: input.ownerUserId, kind: 'audio', name: null, status: 'pending',
      storageKey: input.key, fileName: input.fileName, contentType: input.contentType, declaredSize: input.size, size: null, metadata: input.metadata ?? '{}',
      createdAt: now, updatedAt: now, uploadedAt: null, expiresAt,
    });
    const upload: UploadRow = {
      id: uuidv7(), tenantId: input.tenantId, assetId: input.assetId, trackId: input.trackId, versionId: uuidv7(), kind: 'audio', ownerUserId: input.ownerUserId,
      status: 'pending', autoFinalize: 1, createdTrack: 0, meta: JSON.stringify({ name: null, replace: !!input.replace }), expiresAt, createdAt: now, finalizedAt: null,
      writeState: 'written', writeClaim: null, writeStartedAt: null, writtenSize: input.size, writtenEtag: null,
    };
    await assets.insertUpload(upload, w.tx);
    return upload;
  }

  async function finalize(tenantId: string, uploadId: string, opts: { idempotent?: boolean } = {}): Promise<FinalizedUpload> {
    const upload = await assets.findUpload(tenantId, uploadId);
    if (!upload) throw notFound('upload_not_found', 'Upload not found');
    return finalizeUpload(upload, opts);
  }

  async function finalizeUpload(upload: UploadRow, opts: { idempotent?: boolean } = {}): Promise<FinalizedUpload> {
    const asset = await assets.find(upload.tenantId, upload.assetId);
    if (!asset) throw notFound('upload_not_found', 'Upload not found');
    if (upload.status === 'finalized') {
      if (!opts.idempotent) throw conflict('upload_already_finalized', 'This upload was already finalized');
      const track = upload.trackId ? ((await tracks.find(upload.tenantId, upload.trackId)) ?? null) : null;
      return { upload, asset, track, versionId: upload.versionId, finalizedNow: false };
    }
    if (upload.status !== 'pending') throw conflict('upload_expired', 'This upload expired; create a new one');
    const stat = await store.stat(asset.storageKey);
    if (!stat) throw conflict('upload_incomplete', 'No bytes have been uploaded to the signed URL yet');
    if (asset.declaredSize !== null && stat.size !== asset.declaredSize) {
      await store.delete(asset.storageKey);
      throw unprocessable('size_mismatch', `Uploaded ${stat.size} bytes but ${asset.declaredSize} were declared`);
    }
    // Without a declared size only the kind's limit applies (S3 cannot enforce a signed maximum).
    if (asset.declaredSize === null && stat.size > maxBytes(upload.kind as UploadKind, config.limits)) {
      await store.delete(asset.storageKey);
      throw unprocessable('payload_too_large', `Uploaded ${stat.size} bytes, more than the ${upload.kind} limit`);
    }
    const now = nowIso();
    const won = await catalog.transaction(async (w) => {
      if (!(await assets.markUploadFinalized(upload.id, now, { size: stat.size, etag: stat.etag ?? null }, w.tx))) return false;
      await assets.update(asset.id, { status: 'uploaded', size: stat.size, uploadedAt: now, expiresAt: null, updatedAt: now }, w.tx);
      const meta = parseJson<{ name?: string | null; replace?: boolean }>(upload.meta, {});
      if (upload.kind === 'audio' && upload.trackId && upload.versionId) {
        const track = { tenantId: upload.tenantId, id: upload.trackId };
        await catalog.attachVersion(w, track, { versionId: upload.versionId, assetId: asset.id, label: meta.name ?? null, replace: meta.replace });
      }
      if (upload.kind === 'artwork' && upload.trackId) {
        await catalog.updateTrack(w, { tenantId: upload.tenantId, id: upload.trackId }, { artworkAssetId: asset.id, updatedAt: now });
      }
      return true;
    });
    if (!won) return finalizeUpload((await assets.findUpload(upload.tenantId, upload.id))!, { idempotent: opts.idempotent });
    crashPoint('upload.finalize.committed');
    const result: FinalizedUpload = {
      upload: { ...upload, status: 'finalized', finalizedAt: now },
      asset: (await assets.find(upload.tenantId, asset.id))!,
      track: upload.trackId ? ((await tracks.find(upload.tenantId, upload.trackId)) ?? null) : null,
      versionId: upload.versionId,
      finalizedNow: true,
    };
    for (const listener of listeners) await listener(result);
    return result;
  }

  const uploadGone = () => notFound('upload_not_found', 'No upload is waiting for this URL');
  const alreadyWritten = () => conflict('upload_already_written', 'This upload URL was already used; create a new upload');
  // No request lives past the request timeout, so a claim older than that lost its writer.
  const claimLeaseMs = () => config.http.requestTimeoutMs + 60_000;

  /**
   * Called by the local store's PUT route before a byte is stored: a signed upload URL writes
   * once. Refused when its upload is gone (purged, expired) or already has its bytes.
   */
  async function claimWrite(key: string): Promise<StorageWriteClaim> {
    const asset = await assets.findByStorageKey(key);
    const upload = asset ? await assets.findUploadByAsset(asset.id) : undefined;
    if (!asset || !upload || upload.status === 'expired') throw uploadGone();
    if (upload.status !== 'pending' || upload.writeState === 'written') throw alreadyWritten();
    const claim = randomUUID();
    const now = Date.now();
    if (!(await assets.claimUploadWrite(upload.id, claim, new Date(now).toISOString(), new Date(now - claimLeaseMs()).toISOString()))) {
      const current = await assets.findUploadByAsset(asset.id);
      if (!current || current.status === 'expired') throw uploadGone();
      if (current.writeState === 'writing' && current.status === 'pending') throw conflict('upload_in_progress', 'Another upload to this URL is in progress');
      throw alreadyWritten();
    }
    return {
      commit: (size) => assets.completeUploadWrite(upload.id, claim, size),
      release: async () => void (await assets.releaseUploadWrite(upload.id, claim)),
    };
  }

  /** Called by the local store's PUT route (and the S3 watcher) when an object lands. */
  async function onObjectWritten(key: string): Promise<void> {
    const asset = await assets.findByStorageKey(key);
    if (!asset || asset.status !== 'pending') return;
    const upload = await assets.findUploadByAsset(asset.id);
    if (upload && upload.autoFinalize && upload.status === 'pending') await finalizeUpload(upload, { idempotent: true });
  }

  /**
   * Finalizes auto-finalize uploads whose bytes reached an S3 store (which cannot call us). Run by
   * workers only; each round claims the uploads due for a look (`claimUploadsToWatch`), so every
   * object is looked for by one worker at a time, and young uploads often, old ones rarely.
   * Returns how many it finalized.
   */
  async function watchPending(limit = 100): Promise<number> {
    let done = 0;
    for (const upload of await assets.claimUploadsToWatch(new Date(), limit)) {
      const asset = await assets.find(upload.tenantId, upload.assetId);
      if (asset && (await store.stat(asset.storageKey))) {
        // A failed finalize stays pending and is looked at again on a later round.
        const finalized = await finalizeUpload(upload, { idempotent: true }).catch(() => undefined);
        if (finalized?.finalizedNow) done++;
      }
    }
    return done;
  }

  /** Removes expired pending uploads, their partial objects, and tracks that only they had created. */
  async function sweepExpired(limit = 500): Promise<number> {
    const expired = await assets.listExpiredUploads(nowIso(), limit);
    for (const upload of expired) {
      const asset = await assets.find(upload.tenantId, upload.assetId);
      if (asset) await store.delete(asset.storageKey);
      const orphan = await catalog.transaction(async (w) => {
        await assets.updateUpload(upload.id, { status: 'expired' }, w.tx);
        if (asset) await assets.delete(asset.id, w.tx);
        if (!upload.createdTrack || !upload.trackId) return undefined;
        const versions = await tracks.listVersions(upload.trackId, w.tx);
        return versions.length === 0 ? await tracks.find(upload.tenantId, upload.trackId, { includeDeleted: true }, w.tx) : undefined;
      });
      // A track only this intent had created goes the way every track goes, with every surface's rows.
      if (orphan) await catalog.purge(orphan);
    }
    return expired.length;
  }

  return {
    createIntent,
    registerStored,
    finalize,
    claimWrite,
    onObjectWritten,
    watchPending,
    sweepExpired,
    onFinalized: (listener: FinalizeListener) => void listeners.push(listener),
  };
}
export type UploadService = ReturnType<typeof createUploadService>;
