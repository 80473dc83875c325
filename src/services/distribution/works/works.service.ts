import type { CoreDeps } from '../../../container.js';
import { parseJson } from '../../../db/time.js';
import type { Actor } from '../../../domain/access.js';
import { mayAccessTrack } from '../../../domain/track-access.js';
import { badRequest, notFound } from '../../../errors.js';
import type { DistributionRepositories } from '../../../repositories/distribution/index.js';
import { ownership, societyCode, writeCwr, type Work } from './cwr-writer.js';

export interface WorksServiceDeps {
  core: CoreDeps<'db', 'tracks' | 'tenants'>;
  repos: Pick<DistributionRepositories, 'ddexSource' | 'products'>;
}

type Entry = { collaboratorId: string; percentage: number; role?: string };

/** Musical works as the split sheets describe them, and their CWR 2.1 registration file. */
export function createWorksService(deps: WorksServiceDeps) {
  const { core, repos } = deps;

  async function load(tenantId: string, filter: { since?: string; trackId?: string }): Promise<Array<Work & { updatedAt: string }>> {
    const sheets = await repos.ddexSource.sheetsOf(tenantId, filter);
    const ids = new Set<string>();
    for (const s of sheets) for (const e of [...parseJson<Entry[]>(s.writers, []), ...parseJson<Entry[]>(s.publishers, [])]) ids.add(e.collaboratorId);
    const people = new Map((await repos.ddexSource.collaborators(tenantId, [...ids])).map((c) => [c.id, c]));
    const products = await repos.products.productsOfAssets(tenantId, sheets.map((s) => s.trackId));
    const full = await repos.products.findManyById(tenantId, [...new Set(products.map((p) => p.id))]);
    const productById = new Map(full.map((p) => [p.id, p]));
    const party = (e: Entry) => {
      const c = people.get(e.collaboratorId);
      return { id: e.collaboratorId, name: c?.name ?? e.collaboratorId, ipi: c?.ipi ?? null, society: societyCode(c?.pro ?? null), pro: c?.pro ?? null, percentage: Number(e.percentage) };
    };
    return sheets.map((s) => {
      const first = products.find((p) => p.assetId === s.trackId);
      const product = first ? productById.get(first.id) : undefined;
      const isrc = s.detailsIsrc ?? s.isrc;
      return {
        id: s.trackId, title: s.title, version: s.version ?? null, iswc: s.iswc, durationMs: s.durationMs, performer: s.displayArtist ?? s.artist,
        writers: parseJson<Entry[]>(s.writers, []).map(party), publishers: parseJson<Entry[]>(s.publishers, []).map(party),
        recording: isrc || product
          ? { isrc, releaseDate: product?.releaseDate ?? null, albumTitle: product?.title ?? null, label: product?.label ?? null, upc: product?.upc ?? null, catalogNumber: product?.catalogNumber ?? null }
          : null,
        revision: !!filterSince(filter) && s.createdAt < filterSince(filter)!,
        updatedAt: s.updatedAt,
      };
    });
  }

  /** The works of one asset: its split sheet's writers and publishers with their shares and ISWC. */
  async function ofAsset(actor: Actor, assetId: string) {
    const track = await core.repos.tracks.find(actor.tenantId, assetId);
    if (!track || !mayAccessTrack(actor, track)) throw notFound('asset_not_found', 'Asset not found');
    return (await load(actor.tenantId, { trackId: track.id })).map((w) => {
      const shares = ownership(w);
      return {
        workId: w.id, title: w.title, iswc: w.iswc,
        writers: w.writers.map((p, i) => ({ collaboratorId: p.id, name: p.name, ipi: p.ipi, society: p.society, share: p.percentage, performingShare: shares.writers.pr[i], mechanicalShare: shares.writers.mr[i] })),
        publishers: w.publishers.map((p, i) => ({ collaboratorId: p.id, name: p.name, ipi: p.ipi, society: p.society, share: p.percentage, performingShare: shares.publishers.pr[i], mechanicalShare: shares.publishers.mr[i] })),
        recording: w.recording,
        updatedAt: w.updatedAt,
      };
    });
  }

  /** A CWR 2.1 file of the tenant's works (changed since `since`: those registered before as REV). */
  async function cwr(actor: Actor, opts: { since?: string; senderId?: string }) {
    if (opts.since && Number.isNaN(Date.parse(opts.since))) throw badRequest('validation_error', 'since must be an ISO-8601 date or time');
    const since = opts.since ? new Date(opts.since).toISOString() : undefined;
    const works = await load(actor.tenantId, { since });
    const now = new Date();
    const text = writeCwr(works, { id: opts.senderId ?? '0', name: actor.tenantName }, now);
    const name = `CW${now.toISOString().slice(2, 4)}0001${actor.tenantName.replace(/[^A-Za-z0-9]/g, '').slice(0, 3).toUpperCase().padEnd(3, 'X')}_000.V21`;
    return { text, name, count: works.length };
  }

  return { ofAsset, cwr };
}
export type WorksService = ReturnType<typeof createWorksService>;

const filterSince = (f: { since?: string }) => f.since;
