import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { bearer, type TestApp } from '../../helpers/app.js';
import { injectPath } from '../../helpers/audio.js';

/**
 * The three HTTP APIs over one catalog, as a small uniform client: create, read, list, rename
 * and delete a track on each. Everything goes through `app.inject` with one user's JWT, which
 * every surface accepts.
 */
export type Surface = 'collections' | 'workspace' | 'distribution';
export const SURFACES: Surface[] = ['collections', 'workspace', 'distribution'];

export const WS = '/api/swayzio/v1';

export interface Catalog {
  t: TestApp;
  auth: { authorization: string };
  tenantId: string;
  /** The AudioDN collection every test track is filed in, so collection listings and counts can be checked. */
  collectionId: string;
  /** A one-second WAV tone. */
  tone: Buffer;
}

export interface Reply {
  status: number;
  body: any;
  raw: LightMyRequestResponse;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export async function call(c: Catalog, method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await c.t.app.inject({ method, url, headers: { ...c.auth, ...headers }, ...(payload !== undefined ? { payload: payload as object } : {}) });
  let body: any = null;
  try {
    body = res.json();
  } catch {
    body = res.body;
  }
  return { status: res.statusCode, body, raw: res };
}

function must(r: Reply, what: string, status = 200): Reply {
  if (r.status !== status) throw new Error(`${what} answered ${r.status}: ${r.raw.body}`);
  return r;
}

/** A tenant of its own (so cases do not see each other's tracks) with one collection. */
export async function catalog(t: TestApp, tone: Buffer, tenant = 'acme'): Promise<Catalog> {
  const token = await t.token({ tenant, user: 'alice', role: 'admin' });
  const auth = bearer(token);
  const tenantId = (await t.container.repos.tenants.findByName(tenant))!.id;
  const c: Catalog = { t, auth, tenantId, collectionId: '', tone };
  c.collectionId = must(await call(c, 'POST', '/v1/collection', { title: 'Invariants' }), 'create collection').body.collection_id;
  return c;
}

/* ---------------------------------------------------------------- create */

export interface Created {
  id: string;
  /** Whether bytes were stored for the track (so there are blobs to check after a delete). */
  uploaded: boolean;
}

/** AudioDN: `POST /v1/track` in the collection, then the bytes PUT to `track_upload.upload_url`. */
export async function createViaCollections(c: Catalog, title: string, opts: { upload?: boolean } = {}): Promise<Created> {
  const created = must(await call(c, 'POST', '/v1/track', { collection_id: c.collectionId, file_name: 'tone.wav' }), 'POST /v1/track');
  const id = created.body.track_id as string;
  must(await call(c, 'PUT', `/v1/track/${id}`, { title }), 'PUT /v1/track title');
  if (opts.upload !== false) await putTrackUpload(c, created.body.track_upload, c.tone);
  return { id, uploaded: opts.upload !== false };
}

export async function putTrackUpload(c: Catalog, handle: { upload_url: string; headers?: Record<string, string> }, bytes: Buffer): Promise<void> {
  const res = await c.t.app.inject({
    method: 'PUT',
    url: injectPath(handle.upload_url),
    headers: { 'content-type': handle.headers?.['Content-Type'] ?? 'application/octet-stream' },
    payload: bytes,
  });
  if (res.statusCode !== 200) throw new Error(`PUT track_upload answered ${res.statusCode}: ${res.body}`);
}

/** Swayzio: an upload intent at `intentUrl`, the bytes PUT to its signed URL, then finalize. */
export async function workspaceUpload(c: Catalog, intentUrl: string, file: { name: string; bytes: Buffer; extra?: Record<string, unknown> }) {
  const intent = must(await call(c, 'POST', `${WS}${intentUrl}`, { fileName: file.name, contentType: 'audio/wav', byteSize: file.bytes.length, ...file.extra }), `POST ${intentUrl}`, 201);
  const ticket = intent.body as { uploadId: string; trackId: string; assetId: string; signedUrl: string; requiredHeaders: Record<string, string>; finalizeUrl: string };
  const put = await c.t.app.inject({ method: 'PUT', url: injectPath(ticket.signedUrl), headers: ticket.requiredHeaders, payload: file.bytes });
  if (put.statusCode !== 200) throw new Error(`PUT signed URL answered ${put.statusCode}: ${put.body}`);
  const finalized = must(await call(c, 'POST', ticket.finalizeUrl), 'finalize');
  return { ticket, finalized: finalized.body as { versionId?: string; trackId: string } };
}

/** Swayzio: `POST /v1/uploads` creates the track resource with its audio. */
export async function createViaWorkspace(c: Catalog, title: string): Promise<Created> {
  const { ticket } = await workspaceUpload(c, '/uploads', { name: `${title}.wav`, bytes: c.tone });
  return { id: ticket.trackId, uploaded: true };
}

/** Royalti: `POST /asset` (metadata only; no file). */
export async function createViaDistribution(c: Catalog, title: string): Promise<Created> {
  const res = must(await call(c, 'POST', '/asset', { title, displayArtist: 'Invariant Artist' }), 'POST /asset', 201);
  return { id: res.body.data.id, uploaded: false };
}

/**
 * Creates a track through `surface` and files it in the test collection (through AudioDN's
 * `PUT /v1/track/:id`) when it was not created there, so every track can be looked for in a
 * collection listing too.
 */
export async function createOn(c: Catalog, surface: Surface, title: string): Promise<Created> {
  const created = surface === 'collections' ? await createViaCollections(c, title) : surface === 'workspace' ? await createViaWorkspace(c, title) : await createViaDistribution(c, title);
  if (surface !== 'collections') must(await call(c, 'PUT', `/v1/track/${created.id}`, { collection_id: c.collectionId }), 'file in collection');
  // A rename on creation keeps titles comparable (the workspace names a track after its file).
  if (surface === 'workspace') must(await call(c, 'PATCH', `${WS}/tracks/${created.id}/metadata`, { title }), 'PATCH metadata');
  return created;
}

/* ---------------------------------------------------------------- read / list */

/** One track through a surface: its HTTP status and, when found, its title. */
export async function readOn(c: Catalog, surface: Surface, id: string): Promise<{ status: number; title?: string; body: any }> {
  const url = surface === 'collections' ? `/v1/track/${id}` : surface === 'workspace' ? `${WS}/tracks/${id}` : `/asset/${id}`;
  const r = await call(c, 'GET', url);
  const title = r.status !== 200 ? undefined : surface === 'collections' ? r.body.track?.title : surface === 'workspace' ? r.body.title : r.body.data?.title;
  return { status: r.status, title, body: r.body };
}

export interface Listing {
  ids: string[];
  /** The total the surface reports beside the page. */
  total: number;
}

/** Every track a surface lists (all pages), with the total it reports. */
export async function listOn(c: Catalog, surface: Surface): Promise<Listing> {
  const ids: string[] = [];
  if (surface === 'collections') {
    let total = 0;
    for (let offset = 0; ; offset += 200) {
      const r = must(await call(c, 'GET', `/v1/collection/${c.collectionId}/track?limit=200&offset=${offset}`), 'collection tracks');
      total = r.body.count;
      ids.push(...r.body.tracks.map((x: { id: string }) => x.id));
      if (r.body.tracks.length < 200) break;
    }
    return { ids, total };
  }
  if (surface === 'workspace') {
    let total = 0;
    let cursor: string | null = null;
    do {
      const r = must(await call(c, 'GET', `${WS}/tracks?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`), 'workspace tracks');
      total = r.body.totalCount;
      ids.push(...r.body.records.map((x: { id: string }) => x.id));
      cursor = r.body.nextCursor ?? null;
    } while (cursor);
    return { ids, total };
  }
  let total = 0;
  for (let page = 1; ; page++) {
    const r = must(await call(c, 'GET', `/asset?size=100&page=${page}`), 'assets');
    total = r.body.totalItems;
    ids.push(...r.body.data.map((x: { id: string }) => x.id));
    if (page >= r.body.totalPages) break;
  }
  return { ids, total };
}

/* ---------------------------------------------------------------- rename / delete */

export async function renameOn(c: Catalog, surface: Surface, id: string, title: string): Promise<Reply> {
  if (surface === 'collections') return call(c, 'PUT', `/v1/track/${id}`, { title });
  if (surface === 'workspace') return call(c, 'PATCH', `${WS}/tracks/${id}/metadata`, { title });
  return call(c, 'PUT', `/asset/${id}`, { title });
}

/** The surface's own delete: AudioDN and Royalti delete for good; Swayzio's plain DELETE is a soft delete (see `purgeOnWorkspace`). */
export async function deleteOn(c: Catalog, surface: Surface, id: string): Promise<Reply> {
  if (surface === 'collections') return call(c, 'DELETE', `/v1/track/${id}`);
  if (surface === 'workspace') return call(c, 'DELETE', `${WS}/tracks/${id}`);
  return call(c, 'DELETE', `/asset/${id}`);
}

export const purgeOnWorkspace = (c: Catalog, id: string) => call(c, 'DELETE', `${WS}/tracks/${id}?purge=true`);

/* ---------------------------------------------------------------- blobs (read-only) */

/** The storage keys of a track's stored files, read from the database (read-only). */
export async function storageKeysOf(c: Catalog, trackId: string): Promise<string[]> {
  const rows = await c.t.container.db.selectFrom('assets').select('storageKey').where('trackId', '=', trackId).execute();
  return rows.map((r) => r.storageKey).filter((k): k is string => !!k);
}

/** Files under the app's data directory whose path names the track. */
export function filesNaming(c: Catalog, trackId: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (full.includes(trackId)) out.push(path.relative(c.t.dataDir, full));
    }
  };
  walk(c.t.dataDir);
  return out;
}

/** Keys among `keys` the blob store still holds. */
export async function storedAmong(c: Catalog, keys: string[]): Promise<string[]> {
  const left: string[] = [];
  for (const k of keys) if ((await c.t.container.store.stat(k)) !== null) left.push(k);
  return left;
}
