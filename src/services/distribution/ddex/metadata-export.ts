import type { CoreDeps } from '../../../container.js';
import { parseJson } from '../../../db/time.js';
import type { Actor } from '../../../domain/access.js';
import type { DistributionRepositories } from '../../../repositories/distribution/index.js';
import { firstGenre } from './credits.js';
import { parentalWarning } from './ern-codes.js';

export const METADATA_COLUMNS = [
  'productId', 'upc', 'catalogNumber', 'productTitle', 'productVersion', 'displayArtist', 'label', 'releaseDate', 'format', 'genre', 'status',
  'disc', 'trackNumber', 'assetId', 'isrc', 'iswc', 'trackTitle', 'trackVersion', 'trackArtist', 'durationSeconds', 'parentalWarning', 'language',
] as const;

/** One row per product track (a product without tracks is one row), page by page, for the metadata export. */
export function createMetadataExport(deps: { core: CoreDeps<'db', 'tracks'>; repos: Pick<DistributionRepositories, 'products' | 'assetDetails'> }) {
  const { core, repos } = deps;
  return async function page(actor: Actor, q: string | undefined, page: number, size: number): Promise<Array<Record<string, unknown>>> {
    const { rows } = await repos.products.list(actor.tenantId, { q }, { page, size, order: 'asc', sort: 'createdAt' });
    const links = await repos.products.assetsFor(rows.map((r) => r.id));
    const ids = [...new Set(links.map((l) => l.assetId))];
    const [tracks, details] = await Promise.all([core.repos.tracks.findMany(actor.tenantId, ids), repos.assetDetails.findMany(ids)]);
    const trackById = new Map(tracks.map((t) => [t.id, t]));
    const detailsById = new Map(details.map((d) => [d.trackId, d]));
    const out: Array<Record<string, unknown>> = [];
    for (const p of rows) {
      const base = {
        productId: p.code, upc: p.upc, catalogNumber: p.catalogNumber, productTitle: p.title, productVersion: p.version, displayArtist: p.displayArtist, label: p.label,
        releaseDate: p.releaseDate, format: p.format, genre: firstGenre(parseJson<unknown>(p.mainGenre, null)), status: p.status,
      };
      const mine = links.filter((l) => l.productId === p.id);
      if (!mine.length) out.push(base);
      mine.forEach((l, i) => {
        const t = trackById.get(l.assetId);
        const d = detailsById.get(l.assetId);
        const meta = parseJson<Record<string, unknown>>(d?.metadata, {});
        out.push({
          ...base, disc: Number(meta.discNumber ?? meta.disc ?? 1) || 1, trackNumber: l.number ?? i + 1, assetId: l.assetId, isrc: d?.isrc ?? t?.isrc ?? null, iswc: t?.iswc ?? null,
          trackTitle: t?.title ?? null, trackVersion: d?.version ?? null, trackArtist: d?.displayArtist ?? t?.artist ?? null,
          durationSeconds: t?.durationMs != null ? Math.round(t.durationMs / 1000) : null, parentalWarning: parentalWarning(parseJson<unknown>(d?.explicit, null)), language: d?.language ?? null,
        });
      });
    }
    return out;
  };
}
