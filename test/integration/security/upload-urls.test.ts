import { storedObjects } from '../../helpers/stored-objects.js';
import { readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { injectPath } from '../../helpers/audio.js';
import { startS3rver, type RunningS3rver } from '../../helpers/s3rver.js';
import { organization, type Org } from '../collections/setup.js';
import { client, type Client } from '../workspace/workspace-api.js';
import { trackPrefix } from '../../../src/storage/object-keys.js';

const MiB = 1024 * 1024;
const bytes = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) % 256));

const tempFiles = (t: TestApp) => {
  try {
    return readdirSync(path.join(t.dataDir, 'blobs', 'tmp'));
  } catch {
    return [];
  }
};

async function waitFor(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000) {
  const until = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(dialects())('security: signed upload URLs write once (%s)', (dialect) => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp({ dialect, env: { MAX_AUDIO_BYTES: String(MiB) } });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => t?.close());

  const put = (url: string, payload: Buffer | Readable, headers: Record<string, string>) =>
    t.app.inject({ method: 'PUT', url: injectPath(url), headers, payload });
  const download = async (url: string) => (await t.app.inject({ url: injectPath(url) })).rawPayload;

  describe('workspace: explicit finalize', () => {
    let alice: Client;
    beforeAll(async () => {
      alice = client(t, await t.token({ tenant: 'urls-ws', user: 'alice', role: 'member' }));
    });
    const intent = async (size: number) => {
      const res = await alice.post('/uploads', { fileName: 'take.wav', contentType: 'audio/wav', byteSize: size });
      expect(res.statusCode).toBe(201);
      return res.json() as { uploadId: string; trackId: string; signedUrl: string; requiredHeaders: Record<string, string>; finalizeUrl: string };
    };
    const downloaded = async (trackId: string) => {
      const tenantId = (await t.container.repos.tenants.findByName('urls-ws'))!.id;
      const track = (await t.container.repos.tracks.find(tenantId, trackId))!;
      return download((await t.container.services.trackMedia.downloadUrl(track)).url);
    };

    it('a second PUT after a complete write is refused and the first bytes stay', async () => {
      const first = bytes(4000, 1);
      const ticket = await intent(first.length);
      expect((await put(ticket.signedUrl, first, ticket.requiredHeaders)).statusCode).toBe(200);
      const again = await put(ticket.signedUrl, bytes(4000, 2), ticket.requiredHeaders);
      expect(again.statusCode).toBe(409);
      expect(again.json().error).toBe('upload_already_written');
      expect((await alice.post(ticket.finalizeUrl)).statusCode).toBe(200);
      expect((await downloaded(ticket.trackId)).equals(first)).toBe(true);
    });

    it('a PUT after finalize is refused; the download serves the finalized bytes', async () => {
      const first = bytes(3000, 3);
      const ticket = await intent(first.length);
      expect((await put(ticket.signedUrl, first, ticket.requiredHeaders)).statusCode).toBe(200);
      expect((await alice.post(ticket.finalizeUrl)).statusCode).toBe(200);
      const late = await put(ticket.signedUrl, bytes(3000, 4), ticket.requiredHeaders);
      expect(late.statusCode).toBe(409);
      expect(late.json().error).toBe('upload_already_written');
      expect((await downloaded(ticket.trackId)).equals(first)).toBe(true);
      const finalized = await t.container.db.selectFrom('uploads').selectAll().where('id', '=', ticket.uploadId).executeTakeFirstOrThrow();
      expect(finalized).toMatchObject({ status: 'finalized', writeState: 'written', writtenSize: 3000 });
    });

    it('a PUT that fails (short body) leaves nothing and the URL can be used again', async () => {
      const body = bytes(2000, 5);
      const ticket = await intent(body.length);
      const short = await t.app.inject({ method: 'PUT', url: injectPath(ticket.signedUrl), headers: { ...ticket.requiredHeaders, 'content-length': '1000' }, payload: body.subarray(0, 1000) });
      expect(short.statusCode).toBe(400);
      expect((await put(ticket.signedUrl, body, ticket.requiredHeaders)).statusCode).toBe(200);
      expect((await alice.post(ticket.finalizeUrl)).statusCode).toBe(200);
      expect((await downloaded(ticket.trackId)).equals(body)).toBe(true);
    });

    it('an aborted PUT over a real socket leaves no blob and can be retried; a PUT while one is in flight is refused', async () => {
      const body = bytes(512 * 1024, 6);
      const ticket = await intent(body.length);
      const url = `${base}${injectPath(ticket.signedUrl)}`;
      const tenantId = (await t.container.repos.tenants.findByName('urls-ws'))!.id;
      const prefix = `${trackPrefix(tenantId, ticket.trackId)}/`;

      const req = httpRequest(url, { method: 'PUT', headers: ticket.requiredHeaders });
      req.on('error', () => undefined);
      req.write(body.subarray(0, 128 * 1024));
      await waitFor(async () => (await t.container.db.selectFrom('uploads').select('writeState').where('id', '=', ticket.uploadId).executeTakeFirstOrThrow()).writeState === 'writing', 'the PUT to claim the URL');
      const meanwhile = await put(ticket.signedUrl, body, ticket.requiredHeaders);
      expect(meanwhile.statusCode).toBe(409);
      expect(meanwhile.json().error).toBe('upload_in_progress');
      req.destroy();

      await waitFor(async () => (await t.container.db.selectFrom('uploads').select('writeState').where('id', '=', ticket.uploadId).executeTakeFirstOrThrow()).writeState === 'pending', 'the claim to be given back');
      await waitFor(() => tempFiles(t).length === 0, 'the temp file to go');
      expect(storedObjects(t, prefix)).toEqual([]);

      const retry = await fetch(url, { method: 'PUT', headers: ticket.requiredHeaders, body });
      expect(retry.status).toBe(200);
      expect((await alice.post(ticket.finalizeUrl)).statusCode).toBe(200);
      expect((await downloaded(ticket.trackId)).equals(body)).toBe(true);
    });

    it('two PUTs at once: exactly one writes', async () => {
      const a = bytes(64 * 1024, 7);
      const b = bytes(64 * 1024, 8);
      const ticket = await intent(a.length);
      const url = `${base}${injectPath(ticket.signedUrl)}`;
      const [ra, rb] = await Promise.all([a, b].map((body) => fetch(url, { method: 'PUT', headers: ticket.requiredHeaders, body })));
      const statuses = [ra.status, rb.status].sort();
      expect(statuses).toEqual([200, 409]);
      expect((await alice.post(ticket.finalizeUrl)).statusCode).toBe(200);
      const winner = ra.status === 200 ? a : b;
      expect((await downloaded(ticket.trackId)).equals(winner)).toBe(true);
    });
  });

  describe('collections: URLs of unknown size, auto-finalized', () => {
    let org: Org;
    let collectionId: string;
    beforeAll(async () => {
      org = await organization(t, 'urls-org');
      collectionId = (await org.api.post('/v1/collection', { title: 'Urls' })).body.collection_id;
    });
    const newTrack = async () => (await org.api.post('/v1/track', { collection_id: collectionId, file_name: 'a.mp3' })).body;
    const audio = { 'content-type': 'audio/mpeg' };
    const sourceOf = async (trackId: string) => (await t.container.db.selectFrom('assets').select('storageKey').where('trackId', '=', trackId).where('kind', '=', 'audio').executeTakeFirstOrThrow()).storageKey;

    it('a second PUT after the bytes landed is refused and the master is unchanged', async () => {
      const created = await newTrack();
      const first = bytes(5000, 9);
      expect((await put(created.track_upload.upload_url, first, audio)).statusCode).toBe(200);
      const again = await put(created.track_upload.upload_url, bytes(6000, 10), audio);
      expect(again.statusCode).toBe(409);
      expect(again.json().error).toBe('upload_already_written');
      const key = await sourceOf(created.track_id);
      expect((await t.container.services.trackMedia.readBytes(key)).equals(first)).toBe(true);
      expect((await org.api.get(`/v1/track/${created.track_id}`)).body.track.size).toBe(5000);
    });

    it('a max-size URL refuses 3 MiB beyond the maximum with 413, stores nothing, and stays usable', async () => {
      const created = await newTrack();
      const url: string = created.track_upload.upload_url;
      expect(url).toContain(`max=${MiB}`);
      const prefix = `${trackPrefix(org.tenantId, created.track_id)}/`;

      const declared = await put(url, Buffer.alloc(MiB + 3 * MiB, 1), audio);
      expect(declared.statusCode).toBe(413);
      expect(declared.json().error).toBe('payload_too_large');
      expect(storedObjects(t, prefix)).toEqual([]);

      // No Content-Length over a real socket: the limit holds while the body streams.
      const chunked = await chunkedPut(`${base}${injectPath(url)}`, audio, 16, 256 * 1024);
      expect(chunked.status).toBe(413);
      expect(JSON.parse(chunked.body).error).toBe('payload_too_large');
      await waitFor(() => tempFiles(t).length === 0, 'the temp file to go');
      expect(storedObjects(t, prefix)).toEqual([]);
      expect((await org.api.get(`/v1/track/${created.track_id}`)).body.track.track_status_id).toBe('initializing');

      expect((await put(url, bytes(MiB, 11), audio)).statusCode).toBe(200);
      expect((await org.api.get(`/v1/track/${created.track_id}`)).body.track.size).toBe(MiB);
    });

    it('a PUT after the track was deleted is refused and recreates no blob', async () => {
      const unused = await newTrack();
      expect((await org.api.del(`/v1/track/${unused.track_id}`)).status).toBe(200);
      const late = await put(unused.track_upload.upload_url, bytes(1000, 12), audio);
      expect(late.statusCode).toBe(404);
      expect(late.json().error).toBe('upload_not_found');
      expect(storedObjects(t, `${trackPrefix(org.tenantId, unused.track_id)}/`)).toEqual([]);

      const used = await newTrack();
      expect((await put(used.track_upload.upload_url, bytes(1000, 13), audio)).statusCode).toBe(200);
      expect((await org.api.del(`/v1/track/${used.track_id}`)).status).toBe(200);
      const after = await put(used.track_upload.upload_url, bytes(1000, 14), audio);
      expect(after.statusCode).toBe(404);
      expect(after.json().error).toBe('upload_not_found');
      expect(storedObjects(t, `${trackPrefix(org.tenantId, used.track_id)}/`)).toEqual([]);
      expect(await t.container.db.selectFrom('assets').select('id').where('trackId', '=', used.track_id).execute()).toEqual([]);
    });
  });
});

describe.each(dialects())('security: presigned S3 upload URLs (%s)', (dialect) => {
  let s3: RunningS3rver;
  let t: TestApp;
  let alice: Client;
  beforeAll(async () => {
    s3 = await startS3rver('upload-urls');
    t = await createTestApp({ dialect, env: { STORAGE_URL: s3.storageUrl } });
    alice = client(t, await t.token({ tenant: 'urls-s3', user: 'alice', role: 'member' }));
  });
  afterAll(async () => {
    await t?.close();
    await s3?.close();
  });

  it('signs the exact size, records size and ETag at finalize, and finalizes once', async () => {
    const body = bytes(4096, 21);
    const intent = await alice.post('/uploads', { fileName: 'take.wav', contentType: 'audio/wav', byteSize: body.length });
    const ticket = intent.json() as { uploadId: string; signedUrl: string; requiredHeaders: Record<string, string>; finalizeUrl: string };
    expect(new URL(ticket.signedUrl).searchParams.get('X-Amz-SignedHeaders')).toContain('content-length');
    // S3 refuses a body of another size: the signature covers Content-Length.
    const bigger = await fetch(ticket.signedUrl, { method: 'PUT', headers: { 'Content-Type': 'audio/wav' }, body: bytes(4096 + 3 * MiB, 22) });
    expect(bigger.status).toBe(403);
    expect((await fetch(ticket.signedUrl, { method: 'PUT', headers: ticket.requiredHeaders, body })).status).toBe(200);

    expect((await alice.post(ticket.finalizeUrl)).statusCode).toBe(200);
    const row = await t.container.db.selectFrom('uploads').selectAll().where('id', '=', ticket.uploadId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'finalized', writeState: 'written', writtenSize: 4096, writtenEtag: expect.stringMatching(/^"?[0-9a-f]{32}"?$/) });
    const again = await alice.post(ticket.finalizeUrl);
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toBe('upload_already_finalized');
  });
});

/** A PUT with a chunked body of `count` chunks; resolves with the answer, even if sent before the body ends. */
function chunkedPut(url: string, headers: Record<string, string>, count: number, size: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'PUT', headers: { ...headers, 'transfer-encoding': 'chunked' } });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', () => undefined); // the server may close before the body ends
    let sent = 0;
    const next = () => {
      if (sent++ >= count) return void req.end();
      if (req.destroyed) return;
      req.write(Buffer.alloc(size, 2), () => setImmediate(next));
    };
    next();
  });
}
