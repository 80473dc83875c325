import type { CoreDeps } from '../../container.js';
import type { Executor } from '../../db/database.js';
import { nowIso } from '../../db/time.js';
import type { Actor } from '../../domain/access.js';
import { uuidv7 } from '../../domain/ids.js';
import { RELEASE_STATUSES } from '../../domain/release-status.js';
import { conflict, notFound } from '../../errors.js';
import type { DistributionRepositories } from '../../repositories/distribution/index.js';
import type { PageQuery } from '../../repositories/distribution/query.js';
import type { ReleaseTrackPatch, ReleaseTrackRow } from '../../repositories/distribution/release-track.repository.js';
import type { ReleaseFilter, ReleasePatch, ReleaseRow, ReleaseSort } from '../../repositories/distribution/release.repository.js';
import { requireWriter } from './access.js';
import type { ArtistMap, ArtistService } from './artist.service.js';
import type { AuditTrail } from './audit-trail.js';
import { dateField, explicitField, invalidField, linkField, upcField, type FieldWarning } from './fields.js';
import { lockEditable, markEdited } from './release-gate.js';
import { mediaOf, type MediaEntry, type ReleaseViews, type ReleaseView } from './release-views.js';
import { trackColumns, type ReleaseTrackInput } from './track-input.js';

export interface ReleaseInput {
  title?: string;
  displayArtist?: string | null;
  artists?: ArtistMap;
  format?: string | null;
  type?: string | null;
  version?: string | null;
  label?: string | null;
  copyright?: string | null;
  mainGenre?: string[];
  subGenre?: string[];
  contributors?: unknown;
  description?: string | null;
  metadata?: Record<string, unknown>;
  media?: Array<{ url: string; type?: string; name?: string }>;
  explicit?: boolean | string | null;
  releaseDate?: string | null;
  preReleaseDate?: string | null;
  ownerId?: string;
  upc?: string | null;
  catalogNumber?: string | null;
  tracks?: ReleaseTrackInput[];
}

export interface ReleaseServiceDeps {
  core: CoreDeps<'db' | 'catalog', 'tenants' | 'tracks'>;
  repos: Pick<DistributionRepositories, 'releases' | 'releaseTracks' | 'artists' | 'assetDetails' | 'products'>;
  artists: ArtistService;
  audit: AuditTrail;
  views: ReleaseViews;
}

/** Media links sent with a track when it is created. */
export function linkEntries(links: ReleaseTrackInput['media'], field: string): MediaEntry[] {
  return (links ?? []).map((l, i) => {
    const url = linkField(l.url, `${field}[${i}].url`);
    return {
      cloudId: uuidv7(),
      type: l.type === 'video' ? 'video' : 'audio',
      name: l.name ?? (new URL(url).pathname.split('/').pop() || 'link'),
      isLink: true,
      url,
      metadata: { linkValidated: true, processedAt: nowIso() },
    };
  });
}

/** Two tracks of one release cannot share an ISRC. */
export function assertDistinctIsrcs(tracks: Array<Pick<ReleaseTrackRow, 'id' | 'isrc' | 'trackNumber'>>): void {
  const seen = new Map<string, number>();
  for (const t of tracks) {
    if (!t.isrc) continue;
    const other = seen.get(t.isrc);
    if (other !== undefined) throw conflict('isrc_taken', `isrc ${t.isrc} is already used by track ${other} of this release`);
    seen.set(t.isrc, t.trackNumber);
  }
}

export function createReleaseService(deps: ReleaseServiceDeps) {
  const { core, repos, artists, audit, views } = deps;

  async function releaseColumns(actor: Actor, input: ReleaseInput): Promise<ReleasePatch> {
    const p: ReleasePatch = {};
    if (input.title !== undefined) {
      if (!input.title.trim()) throw invalidField('title', 'must not be empty');
      p.title = input.title.trim();
    }
    for (const k of ['displayArtist', 'format', 'type', 'version', 'label', 'copyright', 'description'] as const) if (input[k] !== undefined) p[k] = input[k];
    if (input.mainGenre !== undefined) p.mainGenre = JSON.stringify(input.mainGenre);
    if (input.subGenre !== undefined) p.subGenre = JSON.stringify(input.subGenre);
    if (input.contributors !== undefined) p.contributors = JSON.stringify(input.contributors ?? null);
    if (input.metadata !== undefined) p.metadata = JSON.stringify(input.metadata ?? {});
    if (input.media !== undefined) p.media = JSON.stringify(input.media.map((m, i) => ({ ...m, url: linkField(m.url, `media[${i}].url`) })));
    if (input.explicit !== undefined) p.explicit = explicitField(input.explicit);
    if (input.releaseDate !== undefined) p.releaseDate = dateField(input.releaseDate, 'releaseDate');
    if (input.preReleaseDate !== undefined) p.preReleaseDate = dateField(input.preReleaseDate, 'preReleaseDate');
    const meta = (input.metadata ?? {}) as { upc?: unknown; catalogNumber?: unknown };
    const upc = input.upc !== undefined ? input.upc : typeof meta.upc === 'string' ? meta.upc : undefined;
    if (upc !== undefined) p.upc = upcField(upc, input.upc !== undefined ? 'upc' : 'metadata.upc');
    const catalog = input.catalogNumber !== undefined ? input.catalogNumber : typeof meta.catalogNumber === 'string' ? meta.catalogNumber : undefined;
    if (catalog !== undefined) p.catalogNumber = catalog;
    if (input.ownerId !== undefined) {
      const user = await core.repos.tenants.findUserById(input.ownerId);
      if (!user || user.tenantId !== actor.tenantId) throw invalidField('ownerId', 'is not a user of this workspace');
      p.ownerUserId = user.id;
    }
    return p;
  }

  async function insertTrack(actor: Actor, releaseId: string, trackNumber: number, input: ReleaseTrackInput, warnings: FieldWarning[], tx: Executor, prefix = ''): Promise<ReleaseTrackRow> {
    const cols: ReleaseTrackPatch = trackColumns(input, warnings, prefix);
    const now = nowIso();
    const row: ReleaseTrackRow = {
      id: uuidv7(), tenantId: actor.tenantId, releaseId, trackNumber, trackId: null, title: cols.title!, version: cols.version ?? null,
      isrc: cols.isrc ?? null, iswc: cols.iswc ?? null, duration: cols.duration ?? null, lyrics: cols.lyrics ?? null, language: cols.language ?? 'en',
      displayArtist: cols.displayArtist!, mainGenre: cols.mainGenre ?? '[]', subGenre: cols.subGenre ?? '[]', contributors: cols.contributors ?? '{}',
      media: JSON.stringify(linkEntries(input.media, `${prefix}media`)), metadata: cols.metadata ?? '{}', explicit: cols.explicit ?? 'null', createdAt: now, updatedAt: now,
    };
    await repos.releaseTracks.insert(row, tx);
    await repos.artists.replaceLinks(actor.tenantId, 'release_track', row.id, await artists.resolveMap(actor.tenantId, input.artists, tx, `${prefix}artists`), tx);
    return row;
  }

  async function create(actor: Actor, input: ReleaseInput & { title: string }): Promise<{ view: ReleaseView; warnings: FieldWarning[] }> {
    requireWriter(actor);
    const cols = await releaseColumns(actor, input);
    const warnings: FieldWarning[] = [];
    const now = nowIso();
    const id = uuidv7();
    await core.db.transaction().execute(async (tx) => {
      await repos.releases.insert(
        {
          id, tenantId: actor.tenantId, ownerUserId: actor.userId, title: cols.title!, displayArtist: null, format: null, type: null, version: null, label: null,
          copyright: null, mainGenre: '[]', subGenre: '[]', contributors: 'null', description: null, metadata: '{}', media: '[]', explicit: null, releaseDate: null,
          preReleaseDate: null, upc: null, catalogNumber: null, status: 'draft', feedback: null, productId: null, submittedAt: null, reviewedAt: null, reviewedBy: null,
          ...cols, createdAt: now, updatedAt: now,
        },
        tx,
      );
      await repos.artists.replaceLinks(actor.tenantId, 'release', id, await artists.resolveMap(actor.tenantId, input.artists, tx), tx);
      const rows: ReleaseTrackRow[] = [];
      for (const [i, t] of (input.tracks ?? []).entries()) rows.push(await insertTrack(actor, id, i + 1, t, warnings, tx, `tracks[${i}].`));
      assertDistinctIsrcs(rows);
      await audit.statusChange(actor, id, { from: null, to: 'draft', via: 'create' }, tx);
    });
    return { view: await get(actor, id), warnings };
  }

  async function find(actor: Actor, id: string): Promise<ReleaseRow> {
    const row = await repos.releases.find(actor.tenantId, id);
    if (!row) throw notFound('release_not_found', 'Release not found');
    return row;
  }

  const get = async (actor: Actor, id: string): Promise<ReleaseView> => views.release(actor.tenantId, await find(actor, id), { history: true });

  async function list(actor: Actor, filter: ReleaseFilter, page: PageQuery & { sort: ReleaseSort }) {
    const { rows, total } = await repos.releases.list(actor.tenantId, filter, page);
    return { views: await views.releases(actor.tenantId, rows), total };
  }

  async function update(actor: Actor, id: string, input: ReleaseInput): Promise<ReleaseView> {
    requireWriter(actor);
    const cols = await releaseColumns(actor, input);
    await core.db.transaction().execute(async (tx) => {
      const release = await lockEditable(repos, actor, id, tx);
      if (Object.keys(cols).length) await repos.releases.update(id, cols, tx);
      if (input.artists !== undefined) await repos.artists.replaceLinks(actor.tenantId, 'release', id, await artists.resolveMap(actor.tenantId, input.artists, tx), tx);
      await markEdited(repos, audit, actor, release, tx);
    });
    return get(actor, id);
  }

  /** Removes a draft or rejected release with its tracks, their uploaded files and the catalog tracks only they created. */
  async function remove(actor: Actor, id: string): Promise<void> {
    requireWriter(actor);
    const leftovers = await core.db.transaction().execute(async (tx) => {
      await lockEditable(repos, actor, id, tx);
      const tracks = await repos.releaseTracks.listForRelease(id, tx);
      await repos.artists.deleteLinksFor('release_track', tracks.map((t) => t.id), tx);
      await repos.artists.deleteLinksFor('release', [id], tx);
      await repos.releases.delete(id, tx);
      await audit.record(actor, { action: 'release.deleted', entityType: 'release', entityId: id, changes: {} }, tx);
      return tracks;
    });
    for (const t of leftovers) await discardTrackMedia(actor.tenantId, t);
  }

  /**
   * After a release track is removed: the catalog track its first upload created goes too (with
   * every file, release copies included) unless something else now uses it. Files of tracks that
   * live on keep backing their versions.
   */
  async function discardTrackMedia(tenantId: string, track: ReleaseTrackRow): Promise<void> {
    const media = mediaOf(track);
    if (!track.trackId || !media.some((m) => m.createdTrack)) return;
    const [details, uses, catalogTrack, products] = await Promise.all([
      repos.assetDetails.find(track.trackId),
      repos.releaseTracks.listForTrack(tenantId, track.trackId),
      core.repos.tracks.find(tenantId, track.trackId),
      repos.products.productsOfAssets(tenantId, [track.trackId]),
    ]);
    if (!catalogTrack || details || products.length > 0 || uses.some((u) => u.id !== track.id)) return;
    await core.catalog.purge(catalogTrack);
  }

  async function stats(actor: Actor) {
    const rows = await repos.releases.stats(actor.tenantId);
    const byStatus: Record<string, number> = Object.fromEntries(RELEASE_STATUSES.map((s) => [s, 0]));
    const byFormat: Record<string, number> = {};
    const byType: Record<string, number> = {};
    let total = 0;
    for (const r of rows) {
      total += r.n;
      byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
      if (r.format) byFormat[r.format] = (byFormat[r.format] ?? 0) + r.n;
      if (r.type) byType[r.type] = (byType[r.type] ?? 0) + r.n;
    }
    return { total, byStatus, byFormat, byType };
  }

  return { create, find, get, list, update, remove, stats, insertTrack, discardTrackMedia };
}
export type ReleaseService = ReturnType<typeof createReleaseService>;
