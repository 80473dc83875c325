import type { CoreDeps } from '../../container.js';
import type { Executor } from '../../db/database.js';
import type { Work } from '../../catalog/catalog.js';
import { nowIso } from '../../db/time.js';
import type { Actor } from '../../domain/access.js';
import { generateUpc } from '../../domain/identifiers.js';
import { uuidv7 } from '../../domain/ids.js';
import { conflict } from '../../errors.js';
import type { DistributionRepositories } from '../../repositories/distribution/index.js';
import type { ReleaseRow } from '../../repositories/distribution/release.repository.js';
import type { AuditTrail } from './audit-trail.js';

const PRODUCT_TYPES = new Set(['Audio', 'Video', 'Ringtone']);

/** A UPC no product of the tenant uses yet, from the GS1 prefix and the tenant's counter. */
export async function nextFreeUpc(core: CoreDeps<'config', 'tenants'>, repos: Pick<DistributionRepositories, 'products'>, tenantId: string, tx: Executor): Promise<string> {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const upc = generateUpc(core.config.gs1Prefix, await core.repos.tenants.nextUpcCounter(tenantId, tx));
    if (!(await repos.products.findByUpc(tenantId, upc, tx))) return upc;
  }
  throw conflict('upc_exhausted', 'No free UPC could be generated; set one on the release');
}

/**
 * What approval creates, inside the caller's transaction: the Product (with its UPC) and one
 * Asset per release track. Each asset is the release track's catalog track (created now when
 * the track only had a link), filled with the track's metadata and linked to the product.
 */
export async function createProductFromRelease(
  deps: {
    core: CoreDeps<'config' | 'catalog', 'tenants' | 'tracks'>;
    repos: Pick<DistributionRepositories, 'products' | 'releaseTracks' | 'assetDetails' | 'artists'>;
    audit: AuditTrail;
  },
  actor: Actor,
  release: ReleaseRow,
  w: Work,
): Promise<{ productId: string; upc: string }> {
  const { core, repos, audit } = deps;
  const tx = w.tx;
  const tenantId = release.tenantId;
  const now = nowIso();
  const upc = release.upc ?? (await nextFreeUpc(core, repos, tenantId, tx));
  const taken = await repos.products.findByUpc(tenantId, upc, tx);
  if (taken) throw conflict('upc_taken', `UPC ${upc} is already used by product ${taken.code}`);

  const tracks = await repos.releaseTracks.listForRelease(release.id, tx);
  const productId = uuidv7();
  const type = release.type && PRODUCT_TYPES.has(release.type) ? release.type : 'Audio';
  await repos.products.insert(
    {
      id: productId, tenantId, code: productId, ownerUserId: release.ownerUserId, releaseId: release.id, upc, title: release.title, catalogNumber: release.catalogNumber,
      externalId: null, displayArtist: release.displayArtist, type, format: release.format, version: release.version, explicit: release.explicit,
      releaseDate: release.releaseDate, takedownDate: null, mainGenre: release.mainGenre, subGenre: release.subGenre, status: 'Pending', label: release.label,
      distribution: 'null', contributors: release.contributors === 'null' ? '[]' : release.contributors, metadata: release.metadata, chartHistory: '[]',
      totalTracks: tracks.length, totalDiscs: 1, packageType: null, edition: null, reissue: 0, originalReleaseDate: null, recordingLocation: null,
      masteringLocation: null, producer: '[]', engineer: '[]', sequenceNumber: null, parentReleaseId: null, language: tracks[0]?.language ?? null,
      cLineYear: null, pLineYear: null, split: '[]', media: '[]', files: '[]', createdAt: now, updatedAt: now,
    },
    tx,
  );

  const items: Array<{ assetId: string; number: number }> = [];
  for (const t of tracks) {
    const existing = t.trackId ? await core.repos.tracks.find(tenantId, t.trackId, {}, tx) : undefined;
    if (t.isrc) {
      const other = await core.repos.tracks.findByIsrc(tenantId, t.isrc, tx);
      const guarded = await repos.assetDetails.findByIsrc(tenantId, t.isrc, tx);
      const clash = [other?.id, guarded?.trackId].find((id) => id && id !== existing?.id);
      if (clash) throw conflict('isrc_taken', `ISRC ${t.isrc} of track ${t.trackNumber} is already used by asset ${clash}`);
    }
    const trackColumns = {
      title: t.title, artist: t.displayArtist, isrc: t.isrc, iswc: t.iswc, lyrics: t.lyrics,
      durationMs: t.duration != null ? Math.round(t.duration * 1000) : (existing?.durationMs ?? null), updatedAt: now,
    };
    let assetId: string;
    if (existing) {
      assetId = existing.id;
      await core.catalog.updateTrack(w, existing, { ...trackColumns, lyrics: t.lyrics ?? existing.lyrics, releaseDate: existing.releaseDate ?? release.releaseDate?.slice(0, 10) ?? null });
    } else {
      const { updatedAt: _, ...columns } = trackColumns;
      assetId = (await core.catalog.createTrack(w, { ...columns, tenantId, ownerUserId: release.ownerUserId, releaseDate: release.releaseDate?.slice(0, 10) ?? null })).id;
      await repos.releaseTracks.update(t.id, { trackId: assetId }, tx);
    }
    const details = {
      isrc: t.isrc, type, version: t.version, displayArtist: t.displayArtist, mainGenre: t.mainGenre, subGenre: t.subGenre, explicit: t.explicit,
      language: t.language, label: release.label, copyright: release.copyright, contributors: t.contributors, metadata: t.metadata, releaseId: release.id, updatedAt: now,
    };
    const had = await repos.assetDetails.find(assetId, tx);
    // An asset that existed before keeps its origin, so reverting this approval leaves it be.
    if (had) await repos.assetDetails.update(assetId, { ...details, releaseId: had.releaseId }, tx);
    else {
      await repos.assetDetails.insert(
        { ...details, trackId: assetId, tenantId, mood: '[]', publisher: null, copyrightOwner: null, recordingDate: null, recordingLocation: null, productionYear: null, createdAt: now },
        tx,
      );
    }
    const links = await repos.artists.linksFor('release_track', [t.id], tx);
    await repos.artists.replaceLinks(tenantId, 'asset', assetId, links.map((l) => ({ artistId: l.artistId, type: l.type })), tx);
    await audit.record(actor, { action: had || existing ? 'asset.updated' : 'asset.created', entityType: 'asset', entityId: assetId, changes: { releaseId: release.id, productId, ...trackColumns } }, tx);
    items.push({ assetId, number: t.trackNumber });
  }
  await repos.products.replaceAssets(tenantId, productId, items, tx);
  const releaseArtists = await repos.artists.linksFor('release', [release.id], tx);
  await repos.artists.replaceLinks(tenantId, 'product', productId, releaseArtists.map((l) => ({ artistId: l.artistId, type: l.type })), tx);
  await audit.record(actor, { action: 'product.created', entityType: 'product', entityId: productId, changes: { releaseId: release.id, upc, title: release.title, assets: items } }, tx);
  w.emit({ type: 'product.created', tenantId, productId });
  return { productId, upc };
}

/** Undoes what approval created: the product and the asset records (catalog tracks keep their audio). */
export async function clearApprovalArtifacts(
  deps: { repos: Pick<DistributionRepositories, 'artists' | 'products' | 'assetDetails'>; audit: AuditTrail },
  actor: Actor,
  release: ReleaseRow,
  w: Work,
): Promise<void> {
  const { repos, audit } = deps;
  const tx = w.tx;
  if (release.productId) {
    await repos.artists.deleteLinksFor('product', [release.productId], tx);
    await repos.products.delete(release.productId, tx);
    await audit.record(actor, { action: 'product.deleted', entityType: 'product', entityId: release.productId, changes: { releaseId: release.id, reason: 'release reverted' } }, tx);
    w.emit({ type: 'product.deleted', tenantId: release.tenantId, productId: release.productId });
  }
  for (const d of await repos.assetDetails.listForRelease(release.id, tx)) {
    await repos.assetDetails.delete(d.trackId, tx);
    await repos.artists.deleteLinksFor('asset', [d.trackId], tx);
  }
}
