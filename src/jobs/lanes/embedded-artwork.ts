import type { CoreDeps } from '../../container.js';
import { nowIso } from '../../db/time.js';
import { uuidv7 } from '../../domain/ids.js';
import { sniffImage } from '../../media/image-kind.js';
import type { AudioProbe } from '../../media/probe.js';
import { trackArtwork } from '../../storage/object-keys.js';

/**
 * Art embedded in an audio file becomes its track's artwork when the track has none, as
 * AudioDN's automatic `cover` step does. The object key is fixed by the source asset, so a
 * retried lane overwrites it instead of leaving a second copy; the asset row and the track's
 * pointer are written in one transaction, and only while the track still has no artwork (a
 * cover the client uploads meanwhile wins). True when the art was adopted.
 */
export async function adoptEmbeddedArtwork(
  c: CoreDeps<'config' | 'db' | 'store', 'tracks' | 'assets'>,
  source: { tenantId: string; trackId: string; assetId: string },
  readArtwork: () => Promise<AudioProbe['artwork']>,
): Promise<boolean> {
  const { tenantId, trackId } = source;
  const track = await c.repos.tracks.find(tenantId, trackId);
  if (!track || track.artworkAssetId) return false;
  // Read only once the track is known to want it (the probe may have to run again for the bytes).
  const artwork = await readArtwork();
  if (!artwork || artwork.data.length === 0 || artwork.data.length > c.config.limits.imageBytes) return false;
  const kind = sniffImage(artwork.data);
  if (!kind) return false;

  const key = trackArtwork(tenantId, trackId, `embedded-${source.assetId}`, kind.ext);
  await c.store.put(key, artwork.data, { contentType: kind.contentType });
  const id = uuidv7();
  const now = nowIso();
  const adopted = await c.db.transaction().execute(async (tx) => {
    await c.repos.assets.insert(
      {
        id, tenantId, trackId, ownerUserId: null, kind: 'artwork', name: 'embedded', status: 'uploaded', storageKey: key, fileName: `cover.${kind.ext}`,
        contentType: kind.contentType, declaredSize: artwork.data.length, size: artwork.data.length, metadata: '{}', createdAt: now, updatedAt: now, uploadedAt: now, expiresAt: null,
      },
      tx,
    );
    if (await c.repos.tracks.setArtworkIfNone(tenantId, trackId, id, now, tx)) return true;
    // Artwork arrived meanwhile: keep it and undo this row.
    await c.repos.assets.delete(id, tx);
    return false;
  });
  if (!adopted) await c.store.delete(key);
  return adopted;
}
