import type { CoreDeps } from '../../../container.js';
import { parseJson } from '../../../db/time.js';
import { releaseReadiness, type ReadinessIssue, type TrackReadinessInput } from '../../../domain/ddex-readiness.js';
import { validateSplitSheet, type SplitSheetInput } from '../../../domain/split-sheet.js';
import type { DistributionRepositories } from '../../../repositories/distribution/index.js';
import type { ProductRow } from '../../../repositories/distribution/product.repository.js';
import type { TrackRow } from '../../../repositories/track.repository.js';
import type { ArtistRef, ArtistService } from '../artist.service.js';
import type { ProductFileEntry } from '../product.service.js';
import { contributorPairs, firstGenre } from './credits.js';
import { dealsFor } from './deal-terms.js';
import { parentalWarning, releaseType } from './ern-codes.js';
import type { ErnArtistCredit, ErnImageFile, ErnMessage, ErnMessageKind, ErnMessagingParty, ErnParty, ErnTrack } from './ern-model.js';
import type { AudioFacts, FileInspector } from './file-inspection.js';

export interface ErnSourceDeps {
  core: CoreDeps<'db' | 'config' | 'store', 'tracks'>;
  repos: Pick<DistributionRepositories, 'products' | 'assetDetails' | 'artists' | 'ddexSource'>;
  artists: Pick<ArtistService, 'expand'>;
  inspector: FileInspector;
}

/** A stored file a delivery copies next to the message, under the name the message gives it. */
export interface DeliveryFile {
  uri: string;
  storageKey: string;
  size: number;
}

export interface ErnDraft {
  message: ErnMessage;
  issues: ReadinessIssue[];
  files: DeliveryFile[];
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const extOf = (name: string, fallback: string) => (/\.([a-z0-9]{2,5})$/i.exec(name)?.[1] ?? fallback).toLowerCase();

/** Parties of a message: one per distinct name, P1, P2, ... in order of first mention. */
function partyBook() {
  const parties: ErnParty[] = [];
  const byName = new Map<string, ErnParty>();
  const ref = (name: string, ids: { ipi?: string | null } = {}): string => {
    const k = name.trim().toLowerCase();
    let p = byName.get(k);
    if (!p) {
      p = { ref: `P${parties.length + 1}`, name: name.trim(), ipi: ids.ipi ?? null };
      parties.push(p);
      byName.set(k, p);
    } else if (!p.ipi && ids.ipi) p.ipi = ids.ipi;
    return p.ref;
  };
  return { parties, ref };
}

const credits = (refs: ArtistRef[], ref: (name: string) => string): ErnArtistCredit[] =>
  refs
    .filter((a) => a.artistName && (a.type === 'primary' || a.type === 'featuring' || a.type === 'featured'))
    .map((a) => ({ partyRef: ref(a.artistName!), role: a.type === 'primary' ? ('MainArtist' as const) : ('FeaturedArtist' as const) }));

export function createErnSource(deps: ErnSourceDeps) {
  const { core, repos, artists, inspector } = deps;

  const sender = (): ErnMessagingParty | null => (core.config.ddex.partyId ? { partyId: core.config.ddex.partyId, name: core.config.ddex.partyName } : null);

  /** What the message says about each of the product's tracks, with the files' facts. */
  async function draft(product: ProductRow, opts: { kind: ErnMessageKind; recipient?: ErnMessagingParty | null; messageId: string; createdAt: string; assetIds?: string[] }): Promise<ErnDraft> {
    const tenantId = product.tenantId;
    const links = opts.assetIds ? opts.assetIds.map((assetId) => ({ assetId })) : await repos.products.assetsFor([product.id]);
    const ids = links.map((l) => l.assetId);
    const [tracks, details, byAsset, byProduct, masters, sheets] = await Promise.all([
      core.repos.tracks.findMany(tenantId, ids),
      repos.assetDetails.findMany(ids),
      artists.expand(tenantId, 'asset', ids),
      artists.expand(tenantId, 'product', [product.id]),
      repos.ddexSource.masters(tenantId, ids),
      repos.ddexSource.splitSheets(tenantId, ids),
    ]);
    const trackById = new Map(tracks.map((t) => [t.id, t]));
    const detailsById = new Map(details.map((d) => [d.trackId, d]));
    const masterById = new Map(masters.map((m) => [m.trackId, m]));
    const sheetById = new Map(sheets.map((s) => [s.trackId, s]));
    const collaboratorIds = sheets.flatMap((s) => parseJson<Array<{ collaboratorId: string }>>(s.writers, []).map((w) => w.collaboratorId));
    const collaborators = new Map((await repos.ddexSource.collaborators(tenantId, [...new Set(collaboratorIds)])).map((c) => [c.id, c]));

    const book = partyBook();
    const productArtists = byProduct.get(product.id) ?? [];
    const releaseArtists = credits(productArtists, book.ref);
    if (!releaseArtists.length && product.displayArtist) releaseArtists.push({ partyRef: book.ref(product.displayArtist), role: 'MainArtist' });
    const labelRef = book.ref(product.label ?? core.config.ddex.partyName);
    const upc = product.upc || null;
    const stem = upc ?? product.code;

    const files: DeliveryFile[] = [];
    const ernTracks: ErnTrack[] = [];
    const readiness: TrackReadinessInput[] = [];
    const discCounters = new Map<number, number>();
    let n = 0;
    for (const link of links) {
      const track: TrackRow | undefined = trackById.get(link.assetId);
      if (!track) continue;
      n++;
      const d = detailsById.get(track.id);
      const meta = parseJson<Record<string, unknown>>(d?.metadata, {});
      const disc = Math.max(1, Math.trunc(Number(meta.discNumber ?? meta.disc ?? 1)) || 1);
      const sequence = (discCounters.get(disc) ?? 0) + 1;
      discCounters.set(disc, sequence);
      const isrc = d?.isrc ?? track.isrc;
      const displayArtist = d?.displayArtist ?? track.artist;
      const trackArtists = credits(byAsset.get(track.id) ?? [], book.ref);
      if (!trackArtists.length && displayArtist) trackArtists.push({ partyRef: book.ref(displayArtist), role: 'MainArtist' });

      const master = masterById.get(track.id);
      let facts: AudioFacts | null = null;
      let readable = true;
      if (master) {
        facts = await inspector.audio(master.storageKey, master.size).catch(() => null);
        readable = !!facts;
      }
      const uri = master ? `resources/${stem}_${pad(disc, 2)}_${pad(sequence, 3)}.${extOf(master.fileName, 'wav')}` : '';
      if (master && facts) files.push({ uri, storageKey: master.storageKey, size: facts.size });

      const sheet = sheetById.get(track.id);
      const writers = sheet ? parseJson<Array<{ collaboratorId: string; percentage: number; role?: string }>>(sheet.writers, []) : [];
      const balanced = sheet
        ? validateSplitSheet({ master: parseJson(sheet.master, []), writers, publishers: parseJson(sheet.publishers, []) } as SplitSheetInput).length === 0
        : true;
      const contributors = contributorPairs(parseJson<unknown>(d?.contributors, null)).map((c) => ({ partyRef: book.ref(c.name), role: c.role }));
      for (const w of writers) {
        const who = collaborators.get(w.collaboratorId);
        if (!who) continue;
        const ref = book.ref(who.name, { ipi: who.ipi });
        if (!contributors.some((c) => c.partyRef === ref)) contributors.push({ partyRef: ref, role: w.role ?? 'ComposerLyricist' });
      }
      const year = d?.productionYear ?? product.pLineYear ?? (product.releaseDate ? Number(product.releaseDate.slice(0, 4)) : null);
      ernTracks.push({
        assetId: track.id, resourceRef: `A${n}`, releaseRef: `R${n}`, disc, sequence, isrc, iswc: track.iswc, title: track.title, version: d?.version ?? null,
        displayArtist, artists: trackArtists, contributors, durationMs: track.durationMs ?? facts?.durationMs ?? null,
        parentalWarning: parentalWarning(parseJson<unknown>(d?.explicit, null)), genre: firstGenre(parseJson<unknown>(d?.mainGenre, null)) ?? track.genre,
        subGenre: firstGenre(parseJson<unknown>(d?.subGenre, null)), language: d?.language ?? null,
        pLine: d?.copyright || product.label ? { year, text: d?.copyright ?? `${year ?? ''} ${product.label}`.trim() } : null,
        audio: master && facts ? { uri, ...facts } : null,
        splitSheet: sheet
          ? { writers: writers.map((w) => ({ name: collaborators.get(w.collaboratorId)?.name ?? w.collaboratorId, share: w.percentage })), balanced }
          : null,
      });
      readiness.push({
        assetId: track.id, trackNumber: n, isrc, displayArtist,
        audio: master ? { sampleRate: facts?.sampleRate ?? null, bitsPerSample: facts?.lossless ? (facts.bitsPerSample ?? null) : null, readable } : null,
        splitSheet: sheet ? { balanced } : null,
      });
    }

    const artwork = await artworkOf(product, tracks, stem, files);
    const productContributors = contributorPairs(parseJson<unknown>(product.contributors, null));
    for (const t of ernTracks) for (const c of productContributors) t.contributors.push({ partyRef: book.ref(c.name), role: c.role });
    const releaseDate = product.releaseDate?.slice(0, 10) ?? null;
    const today = opts.createdAt.slice(0, 10);
    const endDate = opts.kind === 'takedown' ? (product.takedownDate?.slice(0, 10) ?? today) : null;
    const from = sender();
    const message: ErnMessage = {
      kind: opts.kind, messageId: opts.messageId, threadId: product.id, createdAt: opts.createdAt, test: false,
      sender: from ?? { partyId: 'PADPIDA0', name: core.config.ddex.partyName },
      recipients: [opts.recipient ?? from ?? { partyId: 'PADPIDA0', name: core.config.ddex.partyName }],
      parties: book.parties,
      release: {
        productId: product.code, ref: 'R0', upc, grid: parseJson<Record<string, unknown>>(product.metadata, {}).grid as string | null ?? null,
        catalogNumber: product.catalogNumber, title: product.title, version: product.version, releaseType: releaseType(product.format, ernTracks.length),
        displayArtist: product.displayArtist, artists: releaseArtists, labelRef, genre: firstGenre(parseJson<unknown>(product.mainGenre, null)) ?? ernTracks[0]?.genre ?? null,
        subGenre: firstGenre(parseJson<unknown>(product.subGenre, null)), releaseDate, originalReleaseDate: product.originalReleaseDate?.slice(0, 10) ?? null,
        parentalWarning: parentalWarning(product.explicit), language: product.language?.toLowerCase() ?? null, discs: Math.max(1, discCounters.size),
        pLine: product.label ? { year: product.pLineYear, text: `${product.pLineYear ?? ''} ${product.label}`.trim() } : null,
        cLine: product.label ? { year: product.cLineYear, text: `${product.cLineYear ?? ''} ${product.label}`.trim() } : null,
      },
      tracks: ernTracks,
      artwork,
      deals: dealsFor(parseJson<unknown>(product.distribution, null), releaseDate ?? today, endDate),
    };
    const issues = releaseReadiness({ upc, releaseDate, displayArtist: product.displayArtist, tracks: readiness, artwork: artwork ? { width: artwork.width, height: artwork.height } : null });
    if (!from) issues.push({ code: 'sender_party_missing', field: 'DDEX_PARTY_ID', message: 'This installation has no DDEX Party Id (set DDEX_PARTY_ID)' });
    if (opts.kind === 'purge' || opts.kind === 'takedown') return { message, issues: issues.filter((i) => i.code === 'sender_party_missing' || i.code === 'upc_missing' || i.code === 'upc_invalid'), files: [] };
    return { message, issues, files };
  }

  /** The product's cover: the first image uploaded with it, else the first track's artwork. */
  async function artworkOf(product: ProductRow, tracks: TrackRow[], stem: string, files: DeliveryFile[]): Promise<ErnImageFile | null> {
    const uploaded = parseJson<ProductFileEntry[]>(product.files, []).find((f) => f.type === 'image');
    let source: { storageKey: string; size: number | null; fileName: string } | null = uploaded ? { storageKey: uploaded.storageKey, size: uploaded.fileSize, fileName: uploaded.name } : null;
    if (!source) {
      const artworkId = tracks.find((t) => t.artworkAssetId)?.artworkAssetId;
      const [row] = artworkId ? await repos.ddexSource.assets(product.tenantId, [artworkId]) : [];
      if (row) source = { storageKey: row.storageKey, size: row.size, fileName: row.fileName };
    }
    if (!source) return null;
    const facts = await inspector.image(source.storageKey, source.size).catch(() => null);
    if (!facts) return null;
    const uri = `resources/${stem}.${facts.codec === 'PNG' ? 'png' : facts.codec === 'GIF' ? 'gif' : extOf(source.fileName, 'jpg')}`;
    files.push({ uri, storageKey: source.storageKey, size: facts.size });
    return { uri, codec: facts.codec, width: facts.width, height: facts.height, md5: facts.md5, size: facts.size };
  }

  return { draft, sender };
}
export type ErnSource = ReturnType<typeof createErnSource>;
