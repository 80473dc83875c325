import type { CoreDeps } from '../../container.js';
import type { Executor } from '../../db/database.js';
import { toProbeResult } from '../lane-results.js';
import { eachItem } from './bulk.js';
import { summarize } from './summary.js';
import { nowIso, parseJson } from '../../db/time.js';
import { uniqueViolation } from '../../db/unique-violation.js';
import type { Actor } from '../../domain/access.js';
import { uuidv7 } from '../../domain/ids.js';
import { badRequest, conflict, notFound } from '../../errors.js';
import { mayAccessTrack } from '../../domain/track-access.js';
import type { DistributionRepositories } from '../../repositories/distribution/index.js';
import type { ProductFilter, ProductPatch, ProductRow, ProductSort } from '../../repositories/distribution/product.repository.js';
import type { PageQuery } from '../../repositories/distribution/query.js';
import { productFile } from '../../storage/object-keys.js';
import { requireWriter } from './access.js';
import type { ArtistRef, ArtistService } from './artist.service.js';
import { diff, type AuditTrail } from './audit-trail.js';
import { crashPoint } from '../../crash-points.js';
import { createPendingObjects } from '../../storage/pending-objects.js';
import { storeIncoming, type IncomingFile, type StoredFile } from './file-intake.js';
import { mediaMetadata } from './media-metadata.js';
import { parseProductInput, type ProductInput } from './product-input.js';
import { nextFreeUpc } from './release-approval.js';
import { MEDIA_URL_TTL_SECONDS } from './release-views.js';

/** A file uploaded with a product, as stored in `dist_products.files`. */
export interface ProductFileEntry {
  cloudId: string;
  type: 'image' | 'audio' | 'video' | 'file';
  name: string;
  storageKey: string;
  mimeType: string;
  fileSize: number;
  metadata: Record<string, unknown>;
  uploadedAt: string;
}

export interface ProductView {
  row: ProductRow;
  artists: ArtistRef[];
  assets: Array<{ asset: string; number: number | null; title: string | null }>;
  files: Array<Omit<ProductFileEntry, 'storageKey'> & { cloudUrl: string }>;
}

const SIMPLE = [
  'catalogNumber', 'externalId', 'displayArtist', 'type', 'format', 'version', 'explicit', 'releaseDate', 'takedownDate', 'originalReleaseDate', 'status', 'label',
  'packageType', 'edition', 'recordingLocation', 'masteringLocation', 'sequenceNumber', 'parentReleaseId', 'language', 'totalTracks', 'totalDiscs',
] as const;
const JSONS = ['mainGenre', 'subGenre', 'distribution', 'contributors', 'metadata', 'chartHistory', 'producer', 'engineer', 'split', 'media'] as const;

/** The columns a product input sets (only the fields present). */
function productColumns(input: ProductInput): ProductPatch {
  const p: Record<string, unknown> = { title: input.title };
  for (const k of SIMPLE) if (input[k] !== undefined) p[k] = input[k];
  for (const k of JSONS) if (input[k] !== undefined) p[k] = JSON.stringify(input[k]);
  if (input.reissue !== undefined) p.reissue = input.reissue ? 1 : 0;
  if (input.c_line_year !== undefined) p.cLineYear = input.c_line_year;
  if (input.p_line_year !== undefined) p.pLineYear = input.p_line_year;
  if (input.upc !== undefined) p.upc = input.upc;
  if (input.id !== undefined) p.code = input.id;
  return p as ProductPatch;
}

export interface ProductServiceDeps {
  /** `config`, `media` and `tenants` for file intake and UPC numbering. */
  core: CoreDeps<'db' | 'store' | 'config' | 'media' | 'catalog', 'assets' | 'tracks' | 'tenants'>;
  repos: Pick<DistributionRepositories, 'artists' | 'products' | 'releases'>;
  artists: ArtistService;
  audit: AuditTrail;
}

export function createProductService(deps: ProductServiceDeps) {
  const { core, repos, artists, audit } = deps;

  /** Streams a product's `file` part into the store (before the other fields are known). */
  const pending = createPendingObjects(core.db, core.store);
  const stageFile = (actor: Actor, file: IncomingFile): Promise<StoredFile> =>
    storeIncoming(core, file, (assetId, name) => productFile(actor.tenantId, assetId, name), { images: true, anyFile: true, pending: (key) => pending.record(actor.tenantId, key) });

  const discardFile = (file: StoredFile | null | undefined) => (file ? pending.discard(file.key) : Promise.resolve());

  async function attachFile(actor: Actor, file: StoredFile, tx: Executor): Promise<ProductFileEntry> {
    const now = nowIso();
    const probe = file.probe ? toProbeResult(file.probe) : null;
    await core.catalog.insertAsset(
      { tx },
      {
        id: file.assetId, tenantId: actor.tenantId, trackId: null, ownerUserId: actor.userId, kind: file.kind === 'image' ? 'artwork' : file.kind === 'file' ? 'document' : 'audio', name: 'product',
        status: 'uploaded', storageKey: file.key, fileName: file.fileName, contentType: file.contentType, declaredSize: file.size, size: file.size,
        metadata: JSON.stringify(probe ?? {}), createdAt: now, updatedAt: now, uploadedAt: now, expiresAt: null,
      },
    );
    return {
      cloudId: file.assetId, type: file.kind, name: file.originalName || file.fileName, storageKey: file.key, mimeType: file.contentType, fileSize: file.size,
      metadata: probe ? mediaMetadata({ ...probe, fileSize: file.size }, now) : {}, uploadedAt: now,
    };
  }

  /**
   * A product names artists and assets of this workspace: an id that is not one (or an asset the
   * caller may not see) is refused, naming it, before anything is linked.
   */
  async function checkReferences(actor: Actor, input: ProductInput, tx: Executor): Promise<void> {
    if (input.artists?.length) {
      const ids = [...new Set(input.artists.map((a) => a.id))];
      const found = new Set((await repos.artists.findMany(actor.tenantId, ids, tx)).map((a) => a.id));
      const unknown = ids.filter((id) => !found.has(id));
      if (unknown.length) throw badRequest('unknown_artist', `artists: no artist with id ${unknown.join(', ')}`, { details: { field: 'artists', unknown } });
    }
    if (input.assets?.length) {
      const ids = [...new Set(input.assets.map((a) => a.asset))];
      const tracks = await core.repos.tracks.findMany(actor.tenantId, ids, tx);
      const found = new Set(tracks.filter((t) => mayAccessTrack(actor, t)).map((t) => t.id));
      const unknown = ids.filter((id) => !found.has(id));
      if (unknown.length) throw badRequest('unknown_asset', `assets: no asset with id ${unknown.join(', ')}`, { details: { field: 'assets', unknown } });
    }
  }

  async function writeLinks(actor: Actor, productId: string, input: ProductInput, tx: Executor): Promise<void> {
    await checkReferences(actor, input, tx);
    if (input.artists !== undefined) await repos.artists.replaceLinks(actor.tenantId, 'product', productId, input.artists.map((a) => ({ artistId: a.id, type: a.type })), tx);
    if (input.assets !== undefined) await repos.products.replaceAssets(actor.tenantId, productId, input.assets.map((a) => ({ assetId: a.asset, number: a.number })), tx);
  }

  async function guardIdentifiers(tenantId: string, cols: ProductPatch, selfId: string | null, tx: Executor): Promise<void> {
    if (cols.code !== undefined) {
      const other = await repos.products.findByCode(tenantId, cols.code as string, tx);
      if (other && other.id !== selfId) throw conflict('product_id_taken', `A product with id ${cols.code} already exists`);
    }
    if (cols.upc !== undefined) {
      const other = await repos.products.findByUpc(tenantId, cols.upc as string, tx);
      if (other && other.id !== selfId) throw conflict('upc_taken', `UPC ${cols.upc} is already used by product ${other.code}`);
    }
  }

  /** Unique violations from a race the checks above lost become the same 409s. */
  async function translated<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      const index = uniqueViolation(err);
      if (!index) throw err;
      throw index.includes('upc') ? conflict('upc_taken', 'This UPC is already used by another product') : conflict('product_id_taken', 'A product with this id already exists');
    }
  }

  async function create(actor: Actor, raw: unknown, file?: StoredFile | null): Promise<ProductView> {
    try {
      requireWriter(actor);
      const input = parseProductInput(raw);
      const cols = productColumns(input);
      const id = await translated(() =>
        core.catalog.transaction(async ({ tx, emit }) => {
          const id = uuidv7();
          await guardIdentifiers(actor.tenantId, cols, null, tx);
          const now = nowIso();
          const files = file ? [await attachFile(actor, file, tx)] : [];
          await repos.products.insert(
            {
              id, tenantId: actor.tenantId, code: id, ownerUserId: actor.userId, releaseId: null, upc: cols.upc ?? (await nextFreeUpc(core, repos, actor.tenantId, tx)),
              title: input.title, type: 'Audio', status: 'Pending', reissue: 0, ...cols, files: JSON.stringify(files), createdAt: now, updatedAt: now,
            } as Parameters<typeof repos.products.insert>[0],
            tx,
          );
          await writeLinks(actor, id, input, tx);
          await audit.record(actor, { action: 'product.created', entityType: 'product', entityId: id, changes: diff(null, cols as Record<string, unknown>) }, tx);
          emit({ type: 'product.created', tenantId: actor.tenantId, productId: id });
          return id;
        }, { actor }),
      );
      return view(actor.tenantId, (await repos.products.findById(actor.tenantId, id))!);
    } catch (err) {
      await discardFile(file);
      throw err;
    }
  }

  async function update(actor: Actor, ref: string, raw: unknown, file?: StoredFile | null): Promise<ProductView> {
    try {
      requireWriter(actor);
      const input = parseProductInput(raw);
      const cols = productColumns(input);
      const before = await repos.products.find(actor.tenantId, ref);
      if (!before) throw notFound('product_not_found', 'Product not found');
      if (file) crashPoint('product.update.file-stored');
      await translated(() =>
        core.catalog.transaction(async ({ tx, emit }) => {
          await guardIdentifiers(actor.tenantId, cols, before.id, tx);
          const patch: ProductPatch = { ...cols, updatedAt: nowIso() };
          if (file) patch.files = JSON.stringify([...parseJson<ProductFileEntry[]>(before.files, []), await attachFile(actor, file, tx)]);
          await repos.products.update(before.id, patch, tx);
          await writeLinks(actor, before.id, input, tx);
          const fieldChanges = diff(before as unknown as Record<string, unknown>, cols as Record<string, unknown>);
          const changes: Record<string, unknown> = { ...fieldChanges };
          if (file) changes.file = { to: file.assetId };
          if (input.artists !== undefined) changes.artists = { to: input.artists };
          if (input.assets !== undefined) changes.assets = { to: input.assets };
          await audit.record(actor, { action: 'product.updated', entityType: 'product', entityId: before.id, changes }, tx);
          emit({ type: 'product.updated', tenantId: actor.tenantId, productId: before.id, changes: fieldChanges });
        }, { actor }),
      );
      return view(actor.tenantId, (await repos.products.findById(actor.tenantId, before.id))!);
    } catch (err) {
      await discardFile(file);
      throw err;
    }
  }

  async function get(actor: Actor, ref: string): Promise<ProductView> {
    const row = await repos.products.find(actor.tenantId, ref);
    if (!row) throw notFound('product_not_found', 'Product not found');
    return view(actor.tenantId, row);
  }

  async function list(actor: Actor, filter: ProductFilter, page: PageQuery & { sort: ProductSort }) {
    const { rows, total } = await repos.products.list(actor.tenantId, filter, page);
    return { views: await views(actor.tenantId, rows), total };
  }

  async function remove(actor: Actor, ref: string): Promise<void> {
    requireWriter(actor);
    const row = await repos.products.find(actor.tenantId, ref);
    if (!row) throw notFound('product_not_found', 'Product not found');
    const files = parseJson<ProductFileEntry[]>(row.files, []);
    await core.catalog.transaction(async ({ tx, emit }) => {
      await repos.artists.deleteLinksFor('product', [row.id], tx);
      for (const r of await repos.releases.findByProduct(actor.tenantId, row.id, tx)) await repos.releases.update(r.id, { productId: null }, tx);
      for (const f of files) await core.repos.assets.delete(f.cloudId, tx);
      await repos.products.delete(row.id, tx);
      await audit.record(actor, { action: 'product.deleted', entityType: 'product', entityId: row.id, changes: { code: row.code, upc: row.upc, title: row.title } }, tx);
      emit({ type: 'product.deleted', tenantId: actor.tenantId, productId: row.id, title: row.title });
    }, { actor });
    for (const f of files) await core.store.delete(f.storageKey);
  }

  /** Creates each item on its own: one bad item is reported and does not stop the others. */
  async function bulk(actor: Actor, items: unknown[]) {
    requireWriter(actor);
    const { done, errors } = await eachItem(items, (item) => create(actor, item));
    return { createdProducts: done, processedCount: items.length, errors };
  }

  /** Counts of the workspace's products by status, format and type. */
  const summary = async (actor: Actor) => summarize(await repos.products.groupCounts(actor.tenantId), { byStatus: 'status', byFormat: 'format', byType: 'type' });

  async function views(tenantId: string, rows: ProductRow[]): Promise<ProductView[]> {
    const ids = rows.map((r) => r.id);
    const [byProduct, links] = await Promise.all([artists.expand(tenantId, 'product', ids), repos.products.assetsFor(ids)]);
    const tracks = await core.repos.tracks.findMany(tenantId, [...new Set(links.map((l) => l.assetId))]);
    const titles = new Map(tracks.map((t) => [t.id, t.title]));
    return Promise.all(
      rows.map(async (row) => ({
        row,
        artists: byProduct.get(row.id) ?? [],
        assets: links.filter((l) => l.productId === row.id).map((l) => ({ asset: l.assetId, number: l.number, title: titles.get(l.assetId) ?? null })),
        files: await Promise.all(
          parseJson<ProductFileEntry[]>(row.files, []).map(async ({ storageKey, ...f }) => ({
            ...f,
            cloudUrl: await core.store.signedGetUrl(storageKey, { expiresInSec: MEDIA_URL_TTL_SECONDS, ...(f.type === 'file' ? { downloadName: f.name } : { contentType: f.mimeType }) }),
          })),
        ),
      })),
    );
  }

  const view = async (tenantId: string, row: ProductRow) => (await views(tenantId, [row]))[0];

  return { stageFile, discardFile, create, update, get, list, remove, bulk, summary };
}
export type ProductService = ReturnType<typeof createProductService>;
