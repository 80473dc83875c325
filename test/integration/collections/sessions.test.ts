import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/app.js';
import { organization, setup, uploadTo, UUID_RE, type Org } from './setup.js';

describe.each(dialects())('collections: upload and play sessions (%s)', (dialect) => {
  let t: TestApp;
  let org: Org;
  let collectionId: string;
  const anon = (method: 'GET' | 'POST', url: string, payload?: object) => t.app.inject({ method, url, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    ({ t, org } = await setup(dialect));
    collectionId = (await org.api.post('/v1/collection', { title: 'Inbox', player_color: '#2255AA' })).body.collection_id;
  });
  afterAll(async () => t?.close());

  it('creates an upload session and tracks in it with the session id alone', async () => {
    const created = await org.api.post('/v1/upload_session', { collection_id: collectionId, organization_index: 'batch-1', metadata: { source: 'web' } });
    expect(created.status).toBe(200);
    const sid = created.body.upload_session_id;
    expect(created.body).toMatchObject({
      upload_session: { id: sid, collection_id: collectionId, organization_index: 'batch-1', metadata: { source: 'web' } },
      player_color: '#2255AA',
      player_color_light: expect.stringMatching(/^#[0-9a-f]{6}$/),
      player_color_dark: expect.stringMatching(/^#[0-9a-f]{6}$/),
    });
    const ttl = Date.parse(created.body.expires_at) - Date.now();
    expect(ttl).toBeGreaterThan(3500_000);
    expect(ttl).toBeLessThanOrEqual(3600_000);

    const got = await anon('GET', `/v1/upload_session/${sid}`);
    expect(got.statusCode).toBe(200);
    expect(got.json().upload_session.id).toBe(sid);

    const track = await anon('POST', `/v1/upload/${sid}/track`, { file_name: 'voice-memo.m4a', metadata: { take: 2 } });
    expect(track.statusCode).toBe(200);
    const body = track.json();
    expect(body).toMatchObject({
      ok: true,
      upload_session_id: sid,
      track_id: expect.stringMatching(UUID_RE),
      track: { collection_id: collectionId, file_name: 'voice-memo.m4a', upload_session_id: sid, organization_index: 'batch-1', metadata: { source: 'web', take: 2 } },
      upload_session: { id: sid },
      track_upload: { method: 'PUT', headers: { 'Content-Type': 'audio/mp4' } },
      track_cover_upload: { method: 'POST' },
    });
    const second = await anon('POST', `/v1/upload/${sid}/track`, { file_name: 'second.mp3' });
    expect(second.json().track_id).not.toBe(body.track_id);
    // Bytes of any size up to the limit go to the URL; arrival finalizes the upload.
    const put = await uploadTo(t, body.track_upload, Buffer.alloc(1234, 1));
    expect(put.statusCode).toBe(200);
    const upload = await t.container.db.selectFrom('uploads').selectAll().where('trackId', '=', body.track_id).executeTakeFirstOrThrow();
    expect(upload.status).toBe('finalized');
    expect((await org.api.get(`/v1/track/${body.track_id}`)).body.track).toMatchObject({ size: 1234, track_status_id: 'processing' });
    const list = await org.api.get(`/v1/collection/${collectionId}/track`);
    expect(list.body.count).toBe(2);
  });

  it('validates upload sessions', async () => {
    expect((await org.api.post('/v1/upload_session', {})).body.message).toMatch(/collection_id is required/);
    for (const expires_in of [59, 86401, 1.5, '60']) {
      const res = await org.api.post('/v1/upload_session', { collection_id: collectionId, expires_in });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/expires_in/);
    }
    expect((await org.api.post('/v1/upload_session', { collection_id: collectionId, expires_in: 60 })).status).toBe(200);
    expect((await org.api.post('/v1/upload_session', { collection_id: '0190a4c2-7d3e-7b21-9c3e-3b1f2a4c5d6e' })).status).toBe(404);
    expect((await anon('GET', '/v1/upload_session/0190a4c2-7d3e-7b21-9c3e-3b1f2a4c5d6e')).statusCode).toBe(404);
    expect((await anon('GET', '/v1/upload_session/nope')).statusCode).toBe(400);
    const sid = (await org.api.post('/v1/upload_session', { collection_id: collectionId })).body.upload_session_id;
    expect((await anon('POST', `/v1/upload/${sid}/track`, {})).statusCode).toBe(400);
    await t.container.db.updateTable('uploadSessions').set({ expiresAt: '2000-01-01T00:00:00.000Z' }).where('id', '=', sid).execute();
    expect((await anon('GET', `/v1/upload_session/${sid}`)).statusCode).toBe(404);
    expect((await anon('POST', `/v1/upload/${sid}/track`, { file_name: 'late.mp3' })).statusCode).toBe(404);
    const other = await organization(t, 'org-b');
    expect((await other.api.post('/v1/upload_session', { collection_id: collectionId })).status).toBe(404);
  });

  it('validates play sessions and only plays what is ready', async () => {
    const trackId = (await org.api.post('/v1/track', { collection_id: collectionId, file_name: 'pending.mp3' })).body.track_id;
    const playlist = await org.api.post('/v1/play_session/playlist', { collection_id: collectionId });
    expect(playlist.status).toBe(400);
    expect(playlist.body.message).toMatch(/playlist/);
    expect((await org.api.post('/v1/play_session/album', { collection_id: collectionId })).status).toBe(400);
    expect((await org.api.post('/v1/play_session/collection', {})).body.message).toMatch(/collection_id is required/);
    expect((await org.api.post('/v1/play_session/track', {})).body.message).toMatch(/track_id is required/);
    expect((await org.api.post('/v1/play_session/track', { track_id: trackId, variants: ['ultra'] })).body.message).toMatch(/Unknown variant index: ultra/);
    expect((await org.api.post('/v1/play_session/track', { track_id: trackId, expires_in: 30 })).status).toBe(400);
    expect((await org.api.post('/v1/play_session/track', { track_id: trackId, variants: 'hq' })).status).toBe(400);

    const session = await org.api.post('/v1/play_session/collection', { collection_id: collectionId, expires_in: 600 });
    expect(session.status).toBe(200);
    expect(session.body.play_session).toMatchObject({ scope: 'collection', collection_id: collectionId, variants: ['hq', 'lq'], is_downloadable: false });
    expect(session.body.first_track).toBeNull();
    expect(session.body.tracks.length).toBe(3);
    const sid = session.body.play_session_id;
    const got = await anon('GET', `/v1/play_session/${sid}`);
    expect(got.statusCode).toBe(200);
    expect(got.json().tracks.map((x: { id: string }) => x.id)).toContain(trackId);
    const notReady = await anon('GET', `/v1/play/${sid}/${trackId}`);
    expect(notReady.statusCode).toBe(409);
    expect(notReady.json().message).toMatch(/not ready/);
    const otherCollection = (await org.api.post('/v1/collection', { title: 'Else' })).body.collection_id;
    const outside = (await org.api.post('/v1/track', { collection_id: otherCollection, file_name: 'x.mp3' })).body.track_id;
    expect((await anon('GET', `/v1/play/${sid}/${outside}`)).statusCode).toBe(404);
    expect((await anon('GET', `/v1/play/${sid}/${trackId}/hq/download`)).statusCode).toBe(403);
    await t.container.db.updateTable('playSessions').set({ expiresAt: '2000-01-01T00:00:00.000Z' }).where('id', '=', sid).execute();
    expect((await anon('GET', `/v1/play_session/${sid}`)).statusCode).toBe(404);
    expect((await anon('GET', `/v1/play/${sid}/${trackId}`)).statusCode).toBe(404);
  });
});
