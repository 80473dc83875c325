import type { CoreDeps } from '../../../container.js';
import { nowIso } from '../../../db/time.js';
import type { Actor } from '../../../domain/access.js';
import { artworkReadiness, releaseReadiness, type ReadinessIssue } from '../../../domain/ddex-readiness.js';
import type { ReleaseRow } from '../../../repositories/distribution/release.repository.js';
import type { ReleaseTrackRow } from '../../../repositories/distribution/release-track.repository.js';
import { mediaOf } from '../release-views.js';
import { uuidv7 } from '../../../domain/ids.js';
import { mayAccessTrack } from '../../../domain/track-access.js';
import { AppError, notFound } from '../../../errors.js';
import type { DistributionRepositories } from '../../../repositories/distribution/index.js';
import type { ProductRow } from '../../../repositories/distribution/product.repository.js';
import type { ArtistService } from '../artist.service.js';
import { buildErn } from './ern-builder.js';
import { isoDuration as isoDurationOf } from './ern-codes.js';
import type { ErnMessageKind, ErnMessagingParty } from './ern-model.js';
import { createErnSource, type ErnDraft } from './ern-source.js';
import { createFileInspector } from './file-inspection.js';
import { createMetadataExport } from './metadata-export.js';

/** A 422 carrying every readiness issue; the route renders them beside the message. */
export class NotReadyError extends AppError {
  constructor(readonly readiness: ReadinessIssue[], what = 'This product') {
    super(422, 'not_ready_for_delivery', `${what} is not ready for delivery: ${readiness.map((i) => i.message).join('; ')}`, { details: { readiness } });
  }
}

export interface DdexServiceDeps {
  core: CoreDeps<'db' | 'config' | 'store', 'tracks'>;
  repos: Pick<DistributionRepositories, 'products' | 'assetDetails' | 'artists' | 'ddexSource'>;
  artists: Pick<ArtistService, 'expand'>;
}

/** ERN 4.3 messages of products, and what stops a product or asset from being delivered. */
export function createDdexService(deps: DdexServiceDeps) {
  const { core, repos } = deps;
  const inspector = createFileInspector(core.store);
  const source = createErnSource({ ...deps, inspector });

  async function product(actor: Actor, ref: string): Promise<ProductRow> {
    const row = await repos.products.find(actor.tenantId, ref);
    if (!row) throw notFound('product_not_found', 'Product not found');
    return row;
  }

  const draftOf = (row: ProductRow, kind: ErnMessageKind, recipient?: ErnMessagingParty | null): Promise<ErnDraft> =>
    source.draft(row, { kind, recipient, messageId: uuidv7(), createdAt: nowIso().replace(/\.\d+Z$/, 'Z') });

  /** The message as XML with the files it names; 422 with every issue when the product is not ready. */
  async function messageFor(row: ProductRow, kind: ErnMessageKind, recipient?: ErnMessagingParty | null) {
    const draft = await draftOf(row, kind, recipient);
    if (draft.issues.length) throw new NotReadyError(draft.issues);
    return { xml: buildErn(draft.message), draft };
  }

  const message = async (actor: Actor, ref: string, kind: ErnMessageKind, recipient?: ErnMessagingParty | null) => messageFor(await product(actor, ref), kind, recipient);

  async function productReadiness(actor: Actor, ref: string) {
    const row = await product(actor, ref);
    const { issues } = await draftOf(row, 'new');
    return { productId: row.code, upc: row.upc, ready: issues.length === 0, issues };
  }

  const assetDraftFor = async (actor: Actor, assetId: string) => {
    const track = await core.repos.tracks.find(actor.tenantId, assetId);
    if (!track || !mayAccessTrack(actor, track)) throw notFound('asset_not_found', 'Asset not found');
    const pseudo = {
      id: `asset:${track.id}`, tenantId: actor.tenantId, code: track.id, upc: '', title: track.title, displayArtist: track.artist, releaseDate: track.releaseDate,
      metadata: '{}', files: '[]', contributors: '[]', distribution: 'null', mainGenre: 'null', subGenre: 'null', label: null, format: 'Single',
      catalogNumber: null, version: null, explicit: null, originalReleaseDate: null, language: null, pLineYear: null, cLineYear: null, takedownDate: null,
    } as unknown as ProductRow;
    return { track, draft: await source.draft(pseudo, { kind: 'new', messageId: uuidv7(), createdAt: nowIso(), assetIds: [track.id] }) };
  };

  /** What stops one asset from going into a delivery (the release-level checks are the product's). */
  async function assetReadiness(actor: Actor, assetId: string) {
    const { track, draft } = await assetDraftFor(actor, assetId);
    const art = draft.message.artwork;
    const issues = [...draft.issues.filter((i) => i.assetId === track.id), ...artworkReadiness(art ? { width: art.width, height: art.height } : null, false)];
    return { assetId: track.id, isrc: draft.message.tracks[0]?.isrc ?? null, ready: issues.length === 0, issues };
  }

  /**
   * What would stop a release, once approved, from a valid delivery that the release itself
   * must fix: release date, display artist, each track's ISRC and the uploaded masters' format
   * (the UPC is assigned at approval and the cover is given to the product).
   */
  async function releaseIssues(release: ReleaseRow, tracks: ReleaseTrackRow[]): Promise<ReadinessIssue[]> {
    const inputs = await Promise.all(
      tracks.map(async (t) => {
        const media = mediaOf(t).filter((m) => m.type === 'audio');
        const stored = media.find((m) => !m.isLink && m.storageKey);
        const facts = stored ? await inspector.audio(stored.storageKey!, null).catch(() => null) : null;
        const audio = stored
          ? { sampleRate: facts?.sampleRate ?? null, bitsPerSample: facts?.lossless ? (facts.bitsPerSample ?? null) : null, readable: !!facts }
          : media.length ? { sampleRate: null, bitsPerSample: null, readable: true, linked: true } : null;
        return { assetId: t.trackId ?? t.id, trackNumber: t.trackNumber, isrc: t.isrc, displayArtist: t.displayArtist, audio, splitSheet: null };
      }),
    );
    return releaseReadiness({ upc: release.upc, requireUpc: !!release.upc, releaseDate: release.releaseDate, displayArtist: release.displayArtist, tracks: inputs, artwork: null, requireArtwork: false });
  }

  /** The DDEX view of one asset: the SoundRecording's fields and the delivered file's technical details. */
  async function assetMetadata(actor: Actor, assetId: string) {
    const { draft } = await assetDraftFor(actor, assetId);
    const t = draft.message.tracks[0];
    const party = (ref: string) => draft.message.parties.find((p) => p.ref === ref);
    return {
      assetId: t.assetId,
      resourceType: 'SoundRecording' as const,
      soundRecordingType: 'MusicalWorkSoundRecording',
      isrc: t.isrc,
      iswc: t.iswc,
      title: t.title,
      subtitle: t.version,
      displayArtistName: t.displayArtist,
      displayArtists: t.artists.map((a) => ({ name: party(a.partyRef)?.name ?? null, role: a.role })),
      contributors: t.contributors.map((c) => ({ name: party(c.partyRef)?.name ?? null, role: c.role, ipi: party(c.partyRef)?.ipi ?? null })),
      duration: t.durationMs != null ? isoDurationOf(t.durationMs) : null,
      durationMs: t.durationMs,
      parentalWarningType: t.parentalWarning,
      genre: t.genre,
      subGenre: t.subGenre,
      languageOfPerformance: t.language,
      pLine: t.pLine,
      technicalDetails: t.audio
        ? { codec: t.audio.codec, bitRateKbps: t.audio.bitRateKbps, sampleRate: t.audio.sampleRate, channels: t.audio.channels, bitsPerSample: t.audio.bitsPerSample, lossless: t.audio.lossless, md5: t.audio.md5, fileSize: t.audio.size }
        : null,
      writers: t.splitSheet?.writers ?? [],
    };
  }

  const metadataPage = createMetadataExport(deps);

  return { metadataPage, message, messageFor, releaseIssues, productReadiness, assetReadiness, assetMetadata, product, sender: source.sender, draftOf };
}
export type DdexService = ReturnType<typeof createDdexService>;
