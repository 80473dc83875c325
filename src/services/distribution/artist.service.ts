import type { CoreDeps } from '../../container.js';
import type { Executor } from '../../db/database.js';
import { nowIso } from '../../db/time.js';
import type { ArtistEntityType } from '../../db/tables/distribution.js';
import type { Actor } from '../../domain/access.js';
import { isUuid, uuidv7 } from '../../domain/ids.js';
import { badRequest, notFound } from '../../errors.js';
import type { ArtistLinkInput, ArtistPatch, ArtistRow, ArtistSort } from '../../repositories/distribution/artist.repository.js';
import type { DistributionRepositories } from '../../repositories/distribution/index.js';
import type { PageQuery } from '../../repositories/distribution/query.js';
import { requireWriter } from './access.js';
import { diff, type AuditTrail } from './audit-trail.js';
import { dateField, invalidField } from './fields.js';

export interface ArtistRef {
  id: string;
  artistName: string | null;
  type: string;
}

export interface ArtistInput {
  artistName?: string;
  realName?: string | null;
  signDate?: string | null;
  label?: string | null;
  publisher?: string | null;
  copyright?: string | null;
  externalId?: string | null;
  artistImg?: string | null;
  links?: Record<string, unknown>;
  genres?: string[];
  pseudonyms?: string[];
  biography?: string | null;
  /** Anything else the client keeps on an artist (contributors, split, users, ...). */
  extra?: Record<string, unknown>;
}

/** A release or track names its artists as { "<artist id or name>": "primary" | "featuring" }. */
export type ArtistMap = Record<string, string>;

export const nameKey = (name: string): string => name.trim().replace(/\s+/g, ' ').toLowerCase();

export function createArtistService(deps: { core: CoreDeps<'db' | 'catalog'>; repos: Pick<DistributionRepositories, 'artists'>; audit: AuditTrail }) {
  const { core, repos, audit } = deps;

  function columns(input: ArtistInput): ArtistPatch {
    const patch: ArtistPatch = {};
    if (input.artistName !== undefined) {
      patch.artistName = input.artistName.trim();
      patch.nameKey = nameKey(input.artistName);
    }
    for (const k of ['realName', 'label', 'publisher', 'copyright', 'externalId', 'artistImg', 'biography'] as const) {
      if (input[k] !== undefined) patch[k] = input[k];
    }
    if (input.signDate !== undefined) patch.signDate = dateField(input.signDate, 'signDate');
    if (input.links !== undefined) patch.links = JSON.stringify(input.links);
    if (input.genres !== undefined) patch.genres = JSON.stringify(input.genres);
    if (input.pseudonyms !== undefined) patch.pseudonyms = JSON.stringify(input.pseudonyms);
    if (input.extra !== undefined) patch.extra = JSON.stringify(input.extra);
    return patch;
  }

  async function insertNamed(tenantId: string, name: string, tx: Executor): Promise<ArtistRow> {
    const now = nowIso();
    const row: ArtistRow = {
      id: uuidv7(), tenantId, artistName: name.trim(), nameKey: nameKey(name), realName: null, signDate: null, label: null, publisher: null,
      copyright: null, externalId: null, artistImg: null, links: '{}', genres: '[]', pseudonyms: '[]', biography: null, extra: '{}', createdAt: now, updatedAt: now,
    };
    await repos.artists.insert(row, tx);
    return row;
  }

  async function create(actor: Actor, input: ArtistInput & { artistName: string }): Promise<ArtistRow> {
    requireWriter(actor);
    const patch = columns(input);
    return core.catalog.transaction(async ({ tx, emit }) => {
      const row = await insertNamed(actor.tenantId, input.artistName, tx);
      await repos.artists.update(actor.tenantId, row.id, patch, tx);
      await audit.record(actor, { action: 'artist.created', entityType: 'artist', entityId: row.id, changes: diff(null, patch as Record<string, unknown>) }, tx);
      emit({ type: 'artist.created', tenantId: actor.tenantId, artistId: row.id });
      return (await repos.artists.find(actor.tenantId, row.id, tx))!;
    }, { actor });
  }

  async function get(actor: Actor, id: string): Promise<ArtistRow> {
    const row = await repos.artists.find(actor.tenantId, id);
    if (!row) throw notFound('artist_not_found', 'Artist not found');
    return row;
  }

  async function update(actor: Actor, id: string, input: ArtistInput): Promise<ArtistRow> {
    requireWriter(actor);
    const before = await get(actor, id);
    const patch = { ...columns(input), updatedAt: nowIso() };
    await core.catalog.transaction(async ({ tx, emit }) => {
      await repos.artists.update(actor.tenantId, id, patch, tx);
      const changes = diff(before, patch);
      await audit.record(actor, { action: 'artist.updated', entityType: 'artist', entityId: id, changes }, tx);
      emit({ type: 'artist.updated', tenantId: actor.tenantId, artistId: id, changes });
    }, { actor });
    return get(actor, id);
  }

  async function remove(actor: Actor, id: string): Promise<void> {
    requireWriter(actor);
    const before = await get(actor, id);
    await core.catalog.transaction(async ({ tx, emit }) => {
      const links = await repos.artists.linksOfArtists(actor.tenantId, [id], tx);
      await repos.artists.deleteLinks(links.map((l) => l.id), tx);
      await repos.artists.delete(actor.tenantId, [id], tx);
      await audit.record(actor, { action: 'artist.deleted', entityType: 'artist', entityId: id, changes: {} }, tx);
      emit({ type: 'artist.deleted', tenantId: actor.tenantId, artistId: id, name: before.artistName });
    }, { actor });
  }

  /** Folds the secondary artists into the primary one: their links move over, they are deleted. */
  async function merge(actor: Actor, primaryId: string, secondaryIds: string[]) {
    requireWriter(actor);
    const ids = [...new Set(secondaryIds.map((s) => s.trim()).filter((s) => s && s !== primaryId))];
    if (ids.length === 0) throw badRequest('validation_error', 'ids must name at least one artist other than the primary one');
    await get(actor, primaryId);
    const found = await repos.artists.findMany(actor.tenantId, ids);
    const missing = ids.filter((i) => !found.some((f) => f.id === i));
    if (missing.length) throw notFound('artist_not_found', `Artist not found: ${missing.join(', ')}`);
    return core.catalog.transaction(async ({ tx, emit }) => {
      const primaryLinks = await repos.artists.linksOfArtists(actor.tenantId, [primaryId], tx);
      const kept = new Map(primaryLinks.map((l) => [`${l.entityType}:${l.entityId}`, l]));
      const links = await repos.artists.linksOfArtists(actor.tenantId, ids, tx);
      const move: string[] = [];
      const drop: string[] = [];
      const promote: string[] = [];
      const touched = { asset: new Set<string>(), product: new Set<string>() };
      for (const l of links) {
        const key = `${l.entityType}:${l.entityId}`;
        const existing = kept.get(key);
        if (existing) {
          // Where both appeared, the merged artist keeps the stronger credit.
          if (l.type === 'primary' && existing.type !== 'primary') promote.push(existing.id);
          drop.push(l.id);
        } else {
          move.push(l.id);
          kept.set(key, l);
        }
        if (l.entityType === 'asset' || l.entityType === 'product') touched[l.entityType].add(l.entityId);
      }
      await repos.artists.setLinkType(promote, 'primary', tx);
      await repos.artists.moveLinks(move, primaryId, tx);
      await repos.artists.deleteLinks(drop, tx);
      await repos.artists.delete(actor.tenantId, ids, tx);
      await audit.record(actor, { action: 'artist.merged', entityType: 'artist', entityId: primaryId, changes: { merged: ids } }, tx);
      emit({ type: 'artist.merged', tenantId: actor.tenantId, artistId: primaryId });
      const result = { assetsUpdatedCount: touched.asset.size, productsUpdatedCount: touched.product.size, artistsDeletedCount: ids.length };
      return { ...result, totalChanges: result.assetsUpdatedCount + result.productsUpdatedCount + result.artistsDeletedCount };
    }, { actor });
  }

  /**
   * Turns `{ "<id or name>": type }` into links: a UUID must be one of the tenant's artists; any
   * other key is a name, matched case-insensitively or created.
   */
  async function resolveMap(tenantId: string, map: ArtistMap | undefined, tx: Executor, field = 'artists'): Promise<ArtistLinkInput[]> {
    const links: ArtistLinkInput[] = [];
    for (const [key, type] of Object.entries(map ?? {})) {
      const k = key.trim();
      if (!k) throw invalidField(field, 'keys must be artist ids or names');
      if (isUuid(k)) {
        const found = await repos.artists.find(tenantId, k, tx);
        if (!found) throw invalidField(`${field}.${k}`, 'is not an artist of this workspace');
        links.push({ artistId: found.id, type });
        continue;
      }
      const existing = (await repos.artists.findByNameKey(tenantId, nameKey(k), tx)) ?? (await insertNamed(tenantId, k, tx));
      if (!links.some((l) => l.artistId === existing.id)) links.push({ artistId: existing.id, type });
    }
    return links;
  }

  /** The artists of many entities at once, names filled in where the artist is known. */
  async function expand(tenantId: string, entityType: ArtistEntityType, entityIds: string[], tx: Executor = core.db): Promise<Map<string, ArtistRef[]>> {
    const links = await repos.artists.linksFor(entityType, entityIds, tx);
    const artists = await repos.artists.findMany(tenantId, [...new Set(links.map((l) => l.artistId))], tx);
    const names = new Map(artists.map((a) => [a.id, a.artistName]));
    const out = new Map<string, ArtistRef[]>();
    for (const l of links) {
      const list = out.get(l.entityId) ?? [];
      list.push({ id: l.artistId, artistName: names.get(l.artistId) ?? null, type: l.type });
      out.set(l.entityId, list);
    }
    return out;
  }

  const list = (actor: Actor, p: PageQuery & { sort: ArtistSort; q?: string }) => repos.artists.list(actor.tenantId, p);

  const summary = async (actor: Actor) => ({ total: await repos.artists.count(actor.tenantId) });

  return { create, get, update, remove, merge, list, resolveMap, expand, summary };
}
export type ArtistService = ReturnType<typeof createArtistService>;
