import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/app.js';
import { client, organization, setup, type Client, type Org } from './setup.js';

describe.each(dialects())('collections: scoped API keys (%s)', (dialect) => {
  let t: TestApp;
  let org: Org;
  let a: string;
  let b: string;
  let trackA1: string;
  let trackA2: string;
  let trackB: string;
  const mint = async (body: object): Promise<Client> => {
    const res = await org.api.post('/v1/api_key', { title: 'k', ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.api_key).toMatch(/^ll_/);
    return client(t, res.body.api_key);
  };

  beforeAll(async () => {
    ({ t, org } = await setup(dialect));
    a = (await org.api.post('/v1/collection', { title: 'A' })).body.collection_id;
    b = (await org.api.post('/v1/collection', { title: 'B' })).body.collection_id;
    trackA1 = (await org.api.post('/v1/track', { collection_id: a, file_name: 'a1.mp3' })).body.track_id;
    trackA2 = (await org.api.post('/v1/track', { collection_id: a, file_name: 'a2.mp3' })).body.track_id;
    trackB = (await org.api.post('/v1/track', { collection_id: b, file_name: 'b.mp3' })).body.track_id;
  });
  afterAll(async () => t?.close());

  it('validates POST /v1/api_key', async () => {
    expect((await org.api.post('/v1/api_key', { title: 'x', api_key_type_id: 'api' })).status).toBe(403);
    expect((await org.api.post('/v1/api_key', { title: 'x', api_key_type_id: 'root' })).status).toBe(400);
    expect((await org.api.post('/v1/api_key', { api_key_type_id: 'player', collection_id: a })).body.message).toMatch(/title/);
    expect((await org.api.post('/v1/api_key', { title: 'x', api_key_type_id: 'player', track_id: trackA1 })).body.message).toMatch(/requires collection_id/);
    expect((await org.api.post('/v1/api_key', { title: 'x', api_key_type_id: 'player' })).status).toBe(400);
    expect((await org.api.post('/v1/api_key', { title: 'x', api_key_type_id: 'share', collection_id: a, track_id: trackA1 })).body.message).toMatch(/exactly one variant/);
    expect((await org.api.post('/v1/api_key', { title: 'x', api_key_type_id: 'player', collection_id: a, expires_at: '2001-01-01T00:00:00Z' })).status).toBe(400);
    expect((await org.api.post('/v1/api_key', { title: 'x', api_key_type_id: 'player', collection_id: a, expires_at: 'tomorrow' })).status).toBe(400);
    expect((await org.api.post('/v1/api_key', { title: 'x', api_key_type_id: 'player', collection_id: b, track_id: trackA1 })).status).toBe(404);
    const other = await organization(t, 'org-b');
    expect((await other.api.post('/v1/api_key', { title: 'x', api_key_type_id: 'player', collection_id: a })).status).toBe(404);
  });

  it('a player key reads and plays its collection only', async () => {
    const player = await mint({ api_key_type_id: 'player', collection_id: a, expires_at: new Date(Date.now() + 86400_000).toISOString() });
    expect((await player.get(`/v1/collection/${a}`)).status).toBe(200);
    expect((await player.get(`/v1/collection/${a}/track`)).body.count).toBe(2);
    expect((await player.get(`/v1/track/${trackA1}`)).status).toBe(200);
    expect((await player.get(`/v1/collection/${b}`)).status).toBe(404);
    expect((await player.get(`/v1/collection/${b}/track`)).status).toBe(404);
    expect((await player.get(`/v1/track/${trackB}`)).status).toBe(404);
    const list = await player.get('/v1/collection');
    expect(list.body.count).toBe(1);
    expect(list.body.collections[0].id).toBe(a);
    expect((await player.post('/v1/play_session/collection', { collection_id: a })).status).toBe(200);
    expect((await player.post('/v1/play_session/collection', {})).body.play_session.collection_id).toBe(a);
    expect((await player.post('/v1/play_session/collection', { collection_id: b })).status).toBe(404);
    expect((await player.post('/v1/play_session/track', { track_id: trackB })).status).toBe(404);
    for (const res of [
      await player.post('/v1/collection', { title: 'mine' }),
      await player.post('/v1/track', { collection_id: a, file_name: 'x.mp3' }),
      await player.put(`/v1/track/${trackA1}`, { title: 'x' }),
      await player.del(`/v1/track/${trackA1}`),
      await player.post('/v1/upload_session', { collection_id: a }),
      await player.post('/v1/api_key', { title: 'x', api_key_type_id: 'player', collection_id: a }),
      await player.get('/v1/creator'),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body.ok).toBe(false);
    }
  });

  it('an uploader key uploads into its collection only', async () => {
    const uploader = await mint({ api_key_type_id: 'uploader', collection_id: a });
    const session = await uploader.post('/v1/upload_session', {});
    expect(session.status).toBe(200);
    expect(session.body.upload_session.collection_id).toBe(a);
    expect((await uploader.post('/v1/upload_session', { collection_id: b })).status).toBe(404);
    const created = await uploader.post('/v1/track', { collection_id: a, file_name: 'up.wav' });
    expect(created.status).toBe(200);
    expect((await uploader.post('/v1/track', { collection_id: b, file_name: 'up.wav' })).status).toBe(404);
    expect((await uploader.post(`/v1/track/${created.body.track_id}/cover`)).status).toBe(200);
    expect((await uploader.post(`/v1/track/${trackB}/cover`)).status).toBe(404);
    expect((await uploader.post('/v1/play_session/collection', { collection_id: a })).status).toBe(403);
    expect((await uploader.del(`/v1/track/${created.body.track_id}`)).status).toBe(403);
  });

  it('a share key sees its one track', async () => {
    const share = await mint({ api_key_type_id: 'share', collection_id: a, track_id: trackA1, variants: ['lq'] });
    expect((await share.get(`/v1/track/${trackA1}`)).status).toBe(200);
    expect((await share.get(`/v1/track/${trackA2}`)).status).toBe(404);
    expect((await share.get(`/v1/collection/${a}`)).status).toBe(404);
    expect((await share.get(`/v1/collection/${a}/track`)).status).toBe(404);
    expect((await share.get('/v1/collection')).body).toMatchObject({ count: 0, collections: [] });
    const session = await share.post('/v1/play_session/track', {});
    expect(session.status).toBe(200);
    expect(session.body.play_session).toMatchObject({ track_id: trackA1, variants: ['lq'], is_downloadable: false });
    expect((await share.post('/v1/play_session/track', { variants: ['hq'] })).status).toBe(403);
    expect((await share.post('/v1/play_session/track', { track_id: trackA2 })).status).toBe(404);
  });

  it('downloads only when both the key and the request allow it', async () => {
    const plain = await mint({ api_key_type_id: 'player', collection_id: a });
    expect((await plain.post('/v1/play_session/collection', { is_downloadable: true })).body.play_session.is_downloadable).toBe(false);
    const allowed = await mint({ api_key_type_id: 'player', collection_id: a, is_downloadable: true });
    expect((await allowed.post('/v1/play_session/collection', { is_downloadable: true })).body.play_session.is_downloadable).toBe(true);
    expect((await allowed.post('/v1/play_session/collection', {})).body.play_session.is_downloadable).toBe(false);
    expect((await org.api.post('/v1/play_session/collection', { collection_id: a, is_downloadable: true })).body.play_session.is_downloadable).toBe(true);
  });
});
