import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestApp } from '../../helpers/app.js';
import { importCommand } from '../../../src/cli/import.command.js';
import { multipart } from '../distribution/multipart.js';
import { call, putTrackUpload, WS, workspaceUpload, type Catalog } from './surfaces.js';

/** Every way audio enters the catalog, each ending with one catalog track id. */

function must<T extends { status: number; raw: { body: string } }>(r: T, what: string, status = 200): T {
  if (r.status !== status) throw new Error(`${what} answered ${r.status}: ${r.raw.body}`);
  return r;
}

const fileIn = async (c: Catalog, id: string) => must(await call(c, 'PUT', `/v1/track/${id}`, { collection_id: c.collectionId }), 'file in collection');

/** AudioDN: an upload session of the collection, a track created with the session id as credential, bytes PUT. */
export async function viaUploadSession(c: Catalog): Promise<string> {
  const sid = must(await call(c, 'POST', '/v1/upload_session', { collection_id: c.collectionId }), 'upload session').body.upload_session_id;
  const res = await c.t.app.inject({ method: 'POST', url: `/v1/upload/${sid}/track`, payload: { file_name: 'session.wav' } });
  if (res.statusCode !== 200) throw new Error(`session track answered ${res.statusCode}: ${res.body}`);
  await putTrackUpload(c, res.json().track_upload, c.tone);
  return res.json().track_id;
}

/** AudioDN: `POST /v1/track` then the bytes PUT to `track_upload.upload_url`. */
export async function viaDirectUpload(c: Catalog): Promise<string> {
  const created = must(await call(c, 'POST', '/v1/track', { collection_id: c.collectionId, file_name: 'direct.wav' }), 'POST /v1/track');
  await putTrackUpload(c, created.body.track_upload, c.tone);
  return created.body.track_id;
}

/** Swayzio: `POST /v1/uploads` (the track is filed in the collection before its bytes arrive), PUT, finalize. */
export async function viaSignedUpload(c: Catalog): Promise<string> {
  const intent = must(await call(c, 'POST', `${WS}/uploads`, { fileName: 'signed.wav', contentType: 'audio/wav', byteSize: c.tone.length }), 'upload intent', 201).body;
  await fileIn(c, intent.trackId);
  const put = await c.t.app.inject({ method: 'PUT', url: new URL(intent.signedUrl).pathname + new URL(intent.signedUrl).search, headers: intent.requiredHeaders, payload: c.tone });
  if (put.statusCode !== 200) throw new Error(`PUT answered ${put.statusCode}: ${put.body}`);
  must(await call(c, 'POST', intent.finalizeUrl), 'finalize');
  return intent.trackId;
}

/** A track with no audio yet, filed in the collection (a Royalti asset). */
export async function assetWithoutAudio(c: Catalog, title: string): Promise<string> {
  const id = must(await call(c, 'POST', '/asset', { title, displayArtist: 'Invariant Artist' }), 'POST /asset', 201).body.data.id;
  await fileIn(c, id);
  return id;
}

/** Swayzio: a version upload (`POST /v1/tracks/:id/versions/uploads`, PUT, finalize) on an existing track. */
export async function viaVersionUpload(c: Catalog, trackId: string): Promise<string> {
  await workspaceUpload(c, `/tracks/${trackId}/versions/uploads`, { name: 'version.wav', bytes: c.tone, extra: { label: 'Take 2' } });
  return trackId;
}

async function release(c: Catalog, tracks: Array<Record<string, unknown>>) {
  const res = must(
    await call(c, 'POST', '/releases', { title: 'Invariant EP', displayArtist: 'Invariant Artist', artists: { 'Invariant Artist': 'primary' }, format: 'Single', type: 'Audio', tracks }),
    'POST /releases',
    201,
  );
  return res.body.data as { id: string; tracks: Array<{ id: string; assetId: string | null }> };
}

async function uploadMedia(c: Catalog, releaseId: string, releaseTrackId: string) {
  const mp = multipart([['file', { file: c.tone, filename: 'master.wav', contentType: 'audio/wav' }]]);
  const res = await c.t.app.inject({ method: 'POST', url: `/releases/${releaseId}/tracks/${releaseTrackId}/media/file`, headers: { ...c.auth, ...mp.headers }, payload: mp.payload });
  if (res.statusCode !== 200) throw new Error(`media upload answered ${res.statusCode}: ${res.body}`);
}

async function catalogTrackOf(c: Catalog, releaseId: string, releaseTrackId: string): Promise<string> {
  const tracks = must(await call(c, 'GET', `/releases/${releaseId}/tracks`), 'release tracks').body.data as Array<{ id: string; assetId: string | null }>;
  const id = tracks.find((x) => x.id === releaseTrackId)?.assetId;
  if (!id) throw new Error(`release track ${releaseTrackId} has no catalog track: ${JSON.stringify(tracks)}`);
  return id;
}

/** Royalti: a release with one track, its file uploaded as multipart (the catalog track is created then, and filed in the collection). */
export async function viaReleaseMedia(c: Catalog): Promise<string> {
  const rel = await release(c, [{ title: 'Master', displayArtist: 'Invariant Artist' }]);
  await uploadMedia(c, rel.id, rel.tracks[0].id);
  const id = await catalogTrackOf(c, rel.id, rel.tracks[0].id);
  await fileIn(c, id);
  return id;
}

/** Royalti: an existing asset linked to a release (`link-asset`), then the release track's file uploaded. */
export async function viaLinkedAsset(c: Catalog): Promise<string> {
  const assetId = await assetWithoutAudio(c, 'Linked');
  const rel = await release(c, []);
  const linked = must(await call(c, 'POST', `/releases/${rel.id}/tracks/link-asset`, { assetId }), 'link-asset', 201).body.data as { id: string };
  await uploadMedia(c, rel.id, linked.id);
  const id = await catalogTrackOf(c, rel.id, linked.id);
  if (id !== assetId) throw new Error(`the linked release track plays ${id}, not the asset ${assetId}`);
  return id;
}

/** The environment the CLI reads, pointing at the test app's database and data directory. */
function cliEnv(t: TestApp): Record<string, string> {
  const db = t.config.database;
  return {
    DATA_DIR: t.dataDir,
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    LOG_LEVEL: 'silent',
    PUBLIC_URL: t.config.publicUrl,
    WEBHOOK_ALLOW_PRIVATE: 'true',
    ...(db.kind === 'postgres' ? { DATABASE_URL: db.url, ...(db.schema ? { DATABASE_SCHEMA: db.schema } : {}) } : { DATABASE_URL: `sqlite:${db.file}` }),
  };
}

/** `ledgerline import DIR --tenant NAME` (without --process: the running app processes), run in this process. */
export async function viaCliImport(c: Catalog, tenant: string): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'll-import-'));
  writeFileSync(path.join(dir, 'imported.wav'), c.tone);
  const before = new Set(((await call(c, 'GET', '/asset?size=100')).body.data as Array<{ id: string }>).map((a) => a.id));
  const env = cliEnv(c.t);
  const saved: Record<string, string | undefined> = {};
  for (const k of Object.keys(env)) {
    saved[k] = process.env[k];
    process.env[k] = env[k];
  }
  let code: number;
  const stderr = process.stderr.write;
  try {
    process.stderr.write = (() => true) as typeof process.stderr.write;
    code = await importCommand.run({ tenant }, [dir]);
  } finally {
    process.stderr.write = stderr;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  if (code !== 0) throw new Error(`import exited ${code}`);
  const added = ((await call(c, 'GET', '/asset?size=100')).body.data as Array<{ id: string }>).map((a) => a.id).filter((id) => !before.has(id));
  if (added.length !== 1) throw new Error(`import added ${added.length} tracks`);
  await fileIn(c, added[0]);
  return added[0];
}
