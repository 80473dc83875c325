import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { ArtistEntityType, DistArtistLinksTable, DistArtistsTable } from '../../db/tables/distribution.js';
import { uuidv7 } from '../../domain/ids.js';
import { containsText, offsetOf, type Page, type PageQuery } from './query.js';

export type ArtistRow = Selectable<DistArtistsTable>;
export type ArtistPatch = Updateable<Omit<DistArtistsTable, 'id' | 'tenantId'>>;
export type ArtistLinkRow = Selectable<DistArtistLinksTable>;
export interface ArtistLinkInput {
  artistId: string;
  type: string;
}

const SORTS = { artistName: 'artistName', createdAt: 'createdAt', updatedAt: 'updatedAt' } as const;
export type ArtistSort = keyof typeof SORTS;

export function createArtistRepository(db: Executor) {
  return {
    insert: (row: Insertable<DistArtistsTable>, tx: Executor = db) => tx.insertInto('distArtists').values(row).execute(),
    find: (tenantId: string, id: string, tx: Executor = db) =>
      tx.selectFrom('distArtists').selectAll().where('tenantId', '=', tenantId).where('id', '=', id).executeTakeFirst(),
    findMany: (tenantId: string, ids: string[], tx: Executor = db) =>
      ids.length === 0
        ? Promise.resolve([] as ArtistRow[])
        : tx.selectFrom('distArtists').selectAll().where('tenantId', '=', tenantId).where('id', 'in', ids).execute(),
    findByNameKey: (tenantId: string, nameKey: string, tx: Executor = db) =>
      tx.selectFrom('distArtists').selectAll().where('tenantId', '=', tenantId).where('nameKey', '=', nameKey).orderBy('createdAt').limit(1).executeTakeFirst(),
    update: (tenantId: string, id: string, patch: ArtistPatch, tx: Executor = db) =>
      tx.updateTable('distArtists').set(patch).where('tenantId', '=', tenantId).where('id', '=', id).execute(),
    delete: (tenantId: string, ids: string[], tx: Executor = db) =>
      ids.length === 0 ? Promise.resolve() : tx.deleteFrom('distArtists').where('tenantId', '=', tenantId).where('id', 'in', ids).execute().then(() => undefined),

    async list(tenantId: string, p: PageQuery & { sort: ArtistSort; q?: string }, tx: Executor = db): Promise<Page<ArtistRow>> {
      let q = tx.selectFrom('distArtists').where('tenantId', '=', tenantId);
      if (p.q) q = q.where(containsText(['artist_name', 'real_name', 'label'], p.q));
      const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const rows = await q.selectAll().orderBy(SORTS[p.sort], p.order).orderBy('id', p.order).limit(p.size).offset(offsetOf(p)).execute();
      return { rows, total: Number(total.n) };
    },

    count: async (tenantId: string, tx: Executor = db): Promise<number> =>
      Number((await tx.selectFrom('distArtists').select((eb) => eb.fn.countAll<number>().as('n')).where('tenantId', '=', tenantId).executeTakeFirstOrThrow()).n),

    /** Replaces the artists of one release, track, product or asset with the given list, in order. */
    async replaceLinks(tenantId: string, entityType: ArtistEntityType, entityId: string, links: ArtistLinkInput[], tx: Executor = db): Promise<void> {
      await tx.deleteFrom('distArtistLinks').where('entityType', '=', entityType).where('entityId', '=', entityId).execute();
      if (links.length === 0) return;
      await tx
        .insertInto('distArtistLinks')
        .values(links.map((l, position) => ({ id: uuidv7(), tenantId, entityType, entityId, artistId: l.artistId, type: l.type, position })))
        .execute();
    },
    linksFor: (entityType: ArtistEntityType, entityIds: string[], tx: Executor = db) =>
      entityIds.length === 0
        ? Promise.resolve([] as ArtistLinkRow[])
        : tx.selectFrom('distArtistLinks').selectAll().where('entityType', '=', entityType).where('entityId', 'in', entityIds).orderBy('position').execute(),
    deleteLinksFor: (entityType: ArtistEntityType, entityIds: string[], tx: Executor = db) =>
      entityIds.length === 0
        ? Promise.resolve()
        : tx.deleteFrom('distArtistLinks').where('entityType', '=', entityType).where('entityId', 'in', entityIds).execute().then(() => undefined),
    entitiesOf: (tenantId: string, artistId: string, entityType: ArtistEntityType, tx: Executor = db) =>
      tx.selectFrom('distArtistLinks').select(['entityId', 'type']).where('tenantId', '=', tenantId).where('artistId', '=', artistId).where('entityType', '=', entityType).execute(),
    linksOfArtists: (tenantId: string, artistIds: string[], tx: Executor = db) =>
      artistIds.length === 0
        ? Promise.resolve([] as ArtistLinkRow[])
        : tx.selectFrom('distArtistLinks').selectAll().where('tenantId', '=', tenantId).where('artistId', 'in', artistIds).execute(),
    /** Points links at another artist. */
    moveLinks: (ids: string[], artistId: string, tx: Executor = db) =>
      ids.length === 0 ? Promise.resolve() : tx.updateTable('distArtistLinks').set({ artistId }).where('id', 'in', ids).execute().then(() => undefined),
    setLinkType: (ids: string[], type: string, tx: Executor = db) =>
      ids.length === 0 ? Promise.resolve() : tx.updateTable('distArtistLinks').set({ type }).where('id', 'in', ids).execute().then(() => undefined),
    deleteLinks: (ids: string[], tx: Executor = db) =>
      ids.length === 0 ? Promise.resolve() : tx.deleteFrom('distArtistLinks').where('id', 'in', ids).execute().then(() => undefined),
  };
}
export type ArtistRepository = ReturnType<typeof createArtistRepository>;
