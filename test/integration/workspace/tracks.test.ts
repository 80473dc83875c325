import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { injectPath, toneBytes } from '../../helpers/audio.js';
import { client, createTrack, type Client } from './workspace-api.js';

describe.each(dialects())('workspace tracks and uploads (%s)', (dialect) => {
  let t: TestApp;
  let alice: Client;
  let bob: Client;
  let admin: Client;
  let stranger: Client;
  let wav: Buffer;

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    alice = client(t, await t.token({ user: 'alice', role: 'member' }));
    bob = client(t, await t.token({ user: 'bob', role: 'member' }));
    admin = client(t, await t.token({ user: 'root', role: 'admin' }));
    stranger = client(t, await t.token({ tenant: 'other', user: 'eve', role: 'owner' }));
    wav = toneBytes({ seconds: 1 });
  });
  afterAll(async () => t?.close());

  it('creates a track from an upload intent and finalizes it', async () => {
    const res = await alice.post('/uploads', { fileName: 'Night Drive.wav', contentType: 'audio/wav', byteSize: wav.length });
    expect(res.statusCode).toBe(201);
    const ticket = res.json();
    expect(Object.keys(ticket).sort()).toEqual(['assetId', 'expiresAt', 'finalizeUrl', 'method', 'requiredHeaders', 'signedUrl', 'trackId', 'uploadId']);
    expect(ticket.method).toBe('PUT');
    expect(ticket.finalizeUrl).toBe(`/api/swayzio/v1/uploads/${ticket.uploadId}/finalize`);
    expect(res.headers['cache-control']).toBe('no-store');

    const early = await alice.post(ticket.finalizeUrl);
    expect(early.statusCode).toBe(409);
    expect(early.json().error).toBe('upload_incomplete');

    const put = await t.app.inject({ method: 'PUT', url: injectPath(ticket.signedUrl), headers: ticket.requiredHeaders, payload: wav });
    expect(put.statusCode).toBe(200);
    expect((await bob.post(ticket.finalizeUrl)).json().error).toBe('upload_not_found');
    const done = await alice.post(ticket.finalizeUrl);
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ uploadId: ticket.uploadId, trackId: ticket.trackId, status: 'finalized', processing: 'queued' });
    const again = await alice.post(ticket.finalizeUrl);
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toBe('upload_already_finalized');

    const track = (await alice.get(`/tracks/${ticket.trackId}`)).json();
    expect(track).toMatchObject({ id: ticket.trackId, title: 'Night Drive', artist: '', visibility: 'private', userTags: [], machineTags: [], primaryAssetId: ticket.assetId });
    expect(track).not.toHaveProperty('ownerId');
    expect(track).not.toHaveProperty('ownerUserId');
    expect(JSON.stringify(track)).not.toContain('t/');
  });

  it('rejects bad upload declarations and a size mismatch', async () => {
    const bad = await alice.post('/uploads', { fileName: 'x.exe', contentType: 'application/x-msdownload', byteSize: 10 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'validation_error', issues: [{ path: 'body.contentType' }] });
    expect((await alice.post('/uploads', { fileName: 'x.wav', contentType: 'audio/wav', byteSize: 0 })).statusCode).toBe(400);
    expect((await alice.post('/uploads', { fileName: '', contentType: 'audio/wav', byteSize: 5 })).statusCode).toBe(400);
    expect((await alice.post('/uploads', { fileName: 'a.wav', contentType: 'audio/wav', byteSize: 1e15 })).json().error).toBe('invalid_byte_size');

    const ticket = (await alice.post('/uploads', { fileName: 'short.wav', contentType: 'audio/wav', byteSize: wav.length + 10 })).json();
    // The store refuses a short body, so write the object directly to model a client that lied about the size.
    await t.container.store.put(
      (await t.container.repos.assets.find((await t.container.repos.tenants.findByName('acme'))!.id, ticket.assetId))!.storageKey,
      wav,
    );
    const res = await alice.post(ticket.finalizeUrl);
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toBe('size_mismatch');
    expect((await alice.post('/uploads/nope/finalize')).json().error).toBe('upload_not_found');
  });

  it('needs a credential, and answers malformed JSON in the envelope', async () => {
    const res = await client(t, null).get('/tracks');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: 'unauthorized' });
    const json = await alice.call('POST', '/uploads', '{"fileName":', { 'content-type': 'application/json' });
    expect(json.statusCode).toBe(400);
    expect(json.json().error).toBe('invalid_json');
  });

  it('lists with paging, sorts, a query and facet filters', async () => {
    const api = client(t, await t.token({ user: 'lister', role: 'member' }));
    const ids: string[] = [];
    for (const title of ['delta', 'alpha', 'charlie', 'bravo', 'echo']) {
      const id = await createTrack(t, api, { name: `${title}.wav`, bytes: wav });
      ids.push(id);
    }
    await api.patch(`/tracks/${ids[1]}/metadata`, { artist: 'The Band', genre: 'Jazz', userTags: ['mood:calm', 'instrument:piano', 'late night'] });
    await api.patch(`/tracks/${ids[2]}/metadata`, { artist: 'Solo', userTags: ['mood:tense'] });

    const first = (await api.get('/tracks?limit=2')).json();
    expect(first.totalCount).toBe(5);
    expect(first.records.map((r: { id: string }) => r.id)).toEqual([ids[4], ids[3]]);
    const second = (await api.get(`/tracks?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.records.map((r: { id: string }) => r.id)).toEqual([ids[2], ids[1]]);
    const third = (await api.get(`/tracks?limit=2&cursor=${second.nextCursor}`)).json();
    expect(third.records.map((r: { id: string }) => r.id)).toEqual([ids[0]]);
    expect(third.nextCursor).toBeNull();

    const titles = async (qs: string) => (await api.get(`/tracks?${qs}`)).json().records.map((r: { title: string }) => r.title);
    expect(await titles('sort=title_asc')).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo']);
    expect(await titles('sort=title_desc&limit=2')).toEqual(['echo', 'delta']);
    const page = (await api.get('/tracks?sort=title_asc&limit=3')).json();
    expect((await api.get(`/tracks?sort=title_asc&limit=3&cursor=${page.nextCursor}`)).json().records.map((r: { title: string }) => r.title)).toEqual(['delta', 'echo']);
    expect(await titles('sort=created_asc&limit=1')).toEqual(['delta']);
    expect(await titles('query=char')).toEqual(['charlie']);
    expect(await titles('query=late%20night')).toEqual(['alpha']);
    expect(await titles('artist=the%20band')).toEqual(['alpha']);
    expect(await titles('genre=jazz')).toEqual(['alpha']);
    expect(await titles('mood=tense')).toEqual(['charlie']);
    expect(await titles('instrument=piano')).toEqual(['alpha']);
    expect(await titles('userTag=late%20night')).toEqual(['alpha']);
    expect((await api.get('/tracks?mood=calm')).json().totalCount).toBe(1);

    for (const qs of ['limit=0', 'limit=101', 'sort=newest', 'cursor=%%%', `cursor=${first.nextCursor}&sort=title_asc`, 'minBpm=120&maxBpm=90']) {
      const res = await api.get(`/tracks?${qs}`);
      expect(res.statusCode, qs).toBe(400);
      expect(['validation_error', 'invalid_cursor']).toContain(res.json().error);
    }
  });

  it('notices in the list what other surfaces and the lanes change', async () => {
    const api = client(t, await t.token({ user: 'watcher', role: 'member' }));
    const id = await createTrack(t, api, { name: 'before.wav', bytes: wav });
    expect((await api.get('/tracks')).json().records[0].title).toBe('before');
    const tenant = (await t.container.repos.tenants.findByName('acme'))!;
    // As another surface would: straight through the shared track repository.
    await t.container.repos.tracks.update(tenant.id, id, { title: 'after', updatedAt: new Date(Date.now() + 5).toISOString() });
    await new Promise((r) => setTimeout(r, 150));
    const page = (await api.get('/tracks')).json();
    expect(page.records[0].title).toBe('after');
    await t.container.repos.tracks.update(tenant.id, id, { deletedAt: new Date().toISOString(), updatedAt: new Date(Date.now() + 10).toISOString() });
    await new Promise((r) => setTimeout(r, 150));
    expect((await api.get('/tracks')).json()).toMatchObject({ records: [], totalCount: 0 });
  });

  it('edits metadata within the rules', async () => {
    const id = await createTrack(t, alice, { name: 'meta.wav', bytes: wav });
    const ok = await alice.patch(`/tracks/${id}/metadata`, { title: 'Night Drive', artist: 'AVR', releaseDate: '2026-05-01', isrc: 'usrc17607839', iswc: 'T-123.456.789-0' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ id, title: 'Night Drive', artist: 'AVR', releaseDate: '2026-05-01', isrc: 'USRC17607839', iswc: 'T-123456789-0' });
    const cleared = (await alice.patch(`/tracks/${id}/metadata`, { isrc: null, iswc: null, releaseDate: null })).json();
    expect(cleared).not.toHaveProperty('isrc');
    expect(cleared).not.toHaveProperty('releaseDate');
    const bad: Array<[unknown, string]> = [
      [{}, 'body'],
      [{ unknown: 1 }, 'body'],
      [{ title: '' }, 'body.title'],
      [{ title: 'x'.repeat(241) }, 'body.title'],
      [{ artist: 'x'.repeat(241) }, 'body.artist'],
      [{ isrc: 'US-RC1-76-07839' }, 'body.isrc'],
      [{ isrc: 'USRC1760783' }, 'body.isrc'],
      [{ iswc: 'T 123 456 789 0' }, 'body.iswc'],
      [{ iswc: `T-123456789-0${' '.repeat(40)}x` }, 'body.iswc'],
      [{ releaseDate: '2026-02-30' }, 'body.releaseDate'],
      [{ releaseDate: '01/05/2026' }, 'body.releaseDate'],
      [{ title: 42 }, 'body.title'],
    ];
    for (const [body, path] of bad) {
      const res = await alice.patch(`/tracks/${id}/metadata`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error).toBe('validation_error');
      expect(res.json().issues[0].path).toBe(path);
    }
    const noBody = await alice.call('PATCH', `/tracks/${id}/metadata`);
    expect(noBody.statusCode).toBe(400);
  });

  it('keeps owners and tenants apart; tenant admins reach every track of their tenant', async () => {
    const id = await createTrack(t, alice, { name: 'private.wav', bytes: wav });
    const probes = [
      (c: Client) => c.get(`/tracks/${id}`),
      (c: Client) => c.patch(`/tracks/${id}/metadata`, { title: 'mine now' }),
      (c: Client) => c.get(`/tracks/${id}/tags`),
      (c: Client) => c.get(`/tracks/${id}/versions`),
      (c: Client) => c.get(`/tracks/${id}/processing-status`),
      (c: Client) => c.get(`/tracks/${id}/playback-url`),
      (c: Client) => c.get(`/tracks/${id}/download-url`),
      (c: Client) => c.post(`/tracks/${id}/processing/media-intelligence/retry`),
      (c: Client) => c.get(`/tracks/${id}/share-links`),
      (c: Client) => c.post(`/tracks/${id}/share-links`, {}),
      (c: Client) => c.get(`/tracks/${id}/split-sheet/share-links`),
      (c: Client) => c.post(`/tracks/${id}/artwork/uploads`, { fileName: 'a.png', contentType: 'image/png', byteSize: 10 }),
      (c: Client) => c.put(`/tracks/${id}/lyrics`, { lyrics: 'la' }),
      (c: Client) => c.del(`/tracks/${id}`),
    ];
    for (const other of [bob, stranger]) {
      for (const [i, probe] of probes.entries()) {
        const res = await probe(other);
        expect(res.statusCode, `probe ${i}`).toBe(404);
        expect(res.json().error).toBe('track_not_found');
      }
      const list = (await other.get('/tracks?limit=100')).json();
      expect(list.records.map((r: { id: string }) => r.id)).not.toContain(id);
    }
    expect((await admin.get(`/tracks/${id}`)).statusCode).toBe(200);
    expect((await admin.get('/tracks?limit=100')).json().records.map((r: { id: string }) => r.id)).toContain(id);
    expect((await alice.get(`/tracks/${id}`)).json().title).toBe('private');
  });

  it('soft-deletes, then purges with the files', async () => {
    const id = await createTrack(t, alice, { name: 'gone.wav', bytes: wav });
    const del = await alice.del(`/tracks/${id}`);
    expect(del.statusCode).toBe(200);
    expect(del.json()).toEqual({ id, status: 'deleted' });
    expect((await alice.get(`/tracks/${id}`)).statusCode).toBe(404);
    expect((await alice.del(`/tracks/${id}`)).statusCode).toBe(404);
    const tenant = (await t.container.repos.tenants.findByName('acme'))!;
    expect((await t.container.repos.tracks.find(tenant.id, id, { includeDeleted: true }))?.deletedAt).toBeTruthy();
    const purge = await alice.call('DELETE', `/tracks/${id}?purge=true`);
    expect(purge.json()).toEqual({ id, status: 'purged' });
    expect(await t.container.repos.tracks.find(tenant.id, id, { includeDeleted: true })).toBeUndefined();
    expect(await t.container.repos.assets.listForTrack(tenant.id, id)).toEqual([]);
  });
});
