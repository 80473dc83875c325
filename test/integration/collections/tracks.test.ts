import { contrastRatio } from '../../../src/domain/colors.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/app.js';
import { nowIso } from '../../../src/db/time.js';
import { organization, setup, UUID_RE, type Org, type Reply } from './setup.js';

/** The collection id used by the seed document's example request. */
const SEED_COLLECTION = '123e4567-e89b-12d3-a456-426614174000';

function expectError(res: Reply, status: number, message?: RegExp) {
  expect(res.status).toBe(status);
  expect(res.body.ok).toBe(false);
  expect(res.body.api_request_id).toMatch(UUID_RE);
  expect(res.headers['x-api-request-id']).toBe(res.body.api_request_id);
  if (message) expect(res.body.message).toMatch(message);
}

describe.each(dialects())('collections: the tracks routes of the seed (%s)', (dialect) => {
  let t: TestApp;
  let org: Org;
  let trackId: string;
  beforeAll(async () => {
    ({ t, org } = await setup(dialect));
    // The seed's example names this collection id; file it as the organization's own.
    const now = nowIso();
    await t.container.db
      .insertInto('collections')
      .values({ id: SEED_COLLECTION, tenantId: org.tenantId, creatorId: null, organizationIndex: null, title: 'My Album', metadata: '{}', theme: '[]', isCoverOverridable: 1, isThemeOverridable: 1, playerColor: null, playerColorSource: null, playerSubtitle: null, coverAssetId: null, createdAt: now, updatedAt: now })
      .execute();
  });
  afterAll(async () => t?.close());

  it('POST /v1/track with the seed example creates the track and both upload handles', async () => {
    const res = await org.api.post('/v1/track', {
      collection_id: SEED_COLLECTION,
      file_name: 'my-audio-track.mp3',
      metadata: { artist: 'John Doe', album: 'My Album' },
      player_title: 'Track Title',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, track_id: expect.stringMatching(UUID_RE), api_request_id: expect.stringMatching(UUID_RE) });
    expect(res.headers['x-api-request-id']).toBe(res.body.api_request_id);
    trackId = res.body.track_id;
    expect(res.body.track).toMatchObject({
      id: trackId,
      collection_id: SEED_COLLECTION,
      file_name: 'my-audio-track.mp3',
      metadata: { artist: 'John Doe', album: 'My Album' },
      player_title: 'Track Title',
      title: 'Track Title',
      track_status_id: 'initializing',
      status: 'initializing',
      duration: null,
      is_cover_overridable: true,
      is_theme_overridable: true,
    });
    expect(res.body.track.base_url).toBe(`http://ledgerline.test/storage/${res.body.track.base_path}`);
    expect(res.body.track_upload).toMatchObject({ method: 'PUT', upload_url: expect.stringContaining('http://ledgerline.test/storage/'), ttl: 3600 });
    expect(Date.parse(res.body.track_upload.expires_at)).toBeGreaterThan(Date.now() + 3500_000);
    expect(res.body.track_cover_upload).toMatchObject({ method: 'POST', upload_url: expect.stringContaining(`/v1/track/${trackId}/cover/upload?`), ttl: 3600 });
    expect(typeof res.body.track_cover_upload.expires_at).toBe('string');
    expect(JSON.stringify(res.body)).not.toMatch(/ownerUserId|storageKey|tenantId/);
  });

  it('the created track shows up in the shared track table with the API key owning nothing', async () => {
    const row = await t.container.repos.tracks.find(org.tenantId, trackId);
    expect(row).toMatchObject({ collectionId: SEED_COLLECTION, ownerUserId: null, title: 'Track Title' });
  });

  it('GET /v1/track/:track_id returns track_id and track', async () => {
    const res = await org.api.get(`/v1/track/${trackId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, track_id: trackId, track: { id: trackId, player_title: 'Track Title' } });
  });

  it('PUT /v1/track/:track_id updates every listed field', async () => {
    const creator = (await org.api.post('/v1/creator', { organization_index: 'artist-1' })).body.creator_id;
    const body = {
      creator_id: creator,
      organization_index: 'ext-42',
      title: 'Renamed',
      metadata: { mood: 'calm' },
      is_cover_overridable: false,
      is_theme_overridable: false,
      player_title: 'Player Title',
      player_subtitle: 'Player Subtitle',
      player_color: '#1A2B3C',
    };
    const res = await org.api.put(`/v1/track/${trackId}`, body);
    expect(res.status).toBe(200);
    expect(res.body.track_id).toBe(trackId);
    expect(res.body.track).toMatchObject(body);
    expect(res.body.track.player_color_light).toMatch(/^#[0-9a-f]{6}$/);
    expect(res.body.track.player_color_dark).toMatch(/^#[0-9a-f]{6}$/);
    // The light variant reads on white, the dark variant on black (the OpenAPI descriptions).
    expect(contrastRatio(res.body.track.player_color_light, '#ffffff')).toBeGreaterThan(contrastRatio(res.body.track.player_color_dark, '#ffffff'));
    expect(contrastRatio(res.body.track.player_color_dark, '#000000')).toBeGreaterThan(contrastRatio(res.body.track.player_color_light, '#000000'));
    expect(contrastRatio(res.body.track.player_color_light, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect((await org.api.get(`/v1/track/${trackId}`)).body.track).toMatchObject(body);
    // Sending the track object back (read-only fields included) is accepted; they are ignored.
    const echoed = await org.api.put(`/v1/track/${trackId}`, { ...res.body.track, player_subtitle: null, status: 'ready', duration: 99 });
    expect(echoed.status).toBe(200);
    expect(echoed.body.track).toMatchObject({ player_subtitle: null, status: 'initializing', duration: null });
  });

  it('GET /v1/collection/:collection_id/track pages with count as the total', async () => {
    for (let i = 0; i < 4; i++) await org.api.post('/v1/track', { collection_id: SEED_COLLECTION, file_name: `t${i}.wav` });
    const all = await org.api.get(`/v1/collection/${SEED_COLLECTION}/track`);
    expect(all.status).toBe(200);
    expect(all.body.count).toBe(5);
    expect(all.body.tracks.map((x: { id: string }) => x.id)[0]).toBe(trackId);
    const page = await org.api.get(`/v1/collection/${SEED_COLLECTION}/track?limit=2&offset=2`);
    expect(page.body.count).toBe(5);
    expect(page.body.tracks.map((x: { file_name: string }) => x.file_name)).toEqual(['t1.wav', 't2.wav']);
    const past = await org.api.get(`/v1/collection/${SEED_COLLECTION}/track?offset=50`);
    expect(past.status).toBe(200);
    expect(past.body).toMatchObject({ count: 5, tracks: [] });
    const max = await org.api.get(`/v1/collection/${SEED_COLLECTION}/track?limit=200`);
    expect(max.body.tracks).toHaveLength(5);
  });

  it('rejects bad pagination with 400', async () => {
    for (const q of ['limit=0', 'limit=201', 'offset=-1', 'limit=abc', 'limit=1.5', 'offset=x', 'limit=']) {
      const res = await org.api.get(`/v1/collection/${SEED_COLLECTION}/track?${q}`);
      expectError(res, 400, /querystring\.(limit|offset)/);
    }
  });

  it('validates POST /v1/track with useful messages', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ file_name: 'a.mp3' }, /collection_id/],
      [{ collection_id: SEED_COLLECTION }, /file_name/],
      [{ collection_id: 'nope', file_name: 'a.mp3' }, /collection_id/],
      [{ collection_id: SEED_COLLECTION, file_name: '' }, /file_name/],
      [{ collection_id: SEED_COLLECTION, file_name: 'a.mp3', metadata: 'x' }, /metadata/],
      [{ collection_id: SEED_COLLECTION, file_name: 'a.mp3', metadata: [1] }, /metadata/],
      [{ collection_id: SEED_COLLECTION, file_name: 'a.mp3', player_color: 'red' }, /player_color: must be a hex colour/],
      [{ collection_id: SEED_COLLECTION, file_name: 'a.mp3', player_color: '#12345' }, /player_color/],
      [{ collection_id: SEED_COLLECTION, file_name: 'a.mp3', is_cover_overridable: 'yes' }, /is_cover_overridable/],
      [{ collection_id: SEED_COLLECTION, file_name: 'a.mp3', creator_id: 'x' }, /creator_id/],
      [{ collection_id: SEED_COLLECTION, file_name: 'a.mp3', player_title: 'x'.repeat(241) }, /player_title/],
      [{ collection_id: SEED_COLLECTION, file_name: 'a.mp3', organization_index: '' }, /organization_index/],
    ];
    for (const [body, message] of cases) expectError(await org.api.post('/v1/track', body), 400, message);
    const raw = await t.app.inject({ method: 'POST', url: '/v1/track', headers: { authorization: `Bearer ${org.serverKey}`, 'content-type': 'application/json' }, payload: '{' });
    expect(raw.statusCode).toBe(400);
    expect(raw.json()).toMatchObject({ ok: false, message: 'Body is not valid JSON' });
  });

  it('validates PUT /v1/track and path ids', async () => {
    expectError(await org.api.put(`/v1/track/${trackId}`, { title: '' }), 400, /title/);
    expectError(await org.api.put(`/v1/track/${trackId}`, { player_color: 'blue' }), 400, /player_color/);
    expectError(await org.api.get('/v1/track/not-a-uuid'), 400, /params\.track_id/);
    expectError(await org.api.get('/v1/track/0190a4c2-7d3e-7b21-9c3e-3b1f2a4c5d6e'), 404, /Track not found/);
    expectError(await org.api.post('/v1/track', { collection_id: '0190a4c2-7d3e-7b21-9c3e-3b1f2a4c5d6e', file_name: 'a.mp3' }), 404, /Collection not found/);
    expectError(await org.api.put(`/v1/track/${trackId}`, { creator_id: '0190a4c2-7d3e-7b21-9c3e-3b1f2a4c5d6e' }), 404, /Creator not found/);
  });

  it('needs a valid Bearer key', async () => {
    const anon = await t.app.inject({ url: `/v1/track/${trackId}` });
    expect(anon.statusCode).toBe(401);
    expect(anon.json()).toMatchObject({ ok: false, message: expect.any(String), api_request_id: expect.stringMatching(UUID_RE) });
    expect((await t.app.inject({ url: `/v1/track/${trackId}`, headers: { authorization: 'Bearer ll_wrong' } })).statusCode).toBe(401);
  });

  it("keeps organizations apart: another organization's track and collection are 404", async () => {
    const other = await organization(t, 'org-b');
    expectError(await other.api.get(`/v1/track/${trackId}`), 404);
    expectError(await other.api.put(`/v1/track/${trackId}`, { title: 'x' }), 404);
    expectError(await other.api.del(`/v1/track/${trackId}`), 404);
    expectError(await other.api.get(`/v1/collection/${SEED_COLLECTION}/track`), 404);
    expectError(await other.api.post('/v1/track', { collection_id: SEED_COLLECTION, file_name: 'a.mp3' }), 404);
  });

  it('works with a user JWT too, recording the user as owner', async () => {
    const jwt = await t.token({ tenant: 'org-a', user: 'carol', role: 'member' });
    const res = await t.app.inject({ method: 'POST', url: '/v1/track', headers: { authorization: `Bearer ${jwt}` }, payload: { collection_id: SEED_COLLECTION, file_name: 'mine.flac' } });
    expect(res.statusCode).toBe(200);
    const row = await t.container.repos.tracks.find(org.tenantId, res.json().track_id);
    const user = await t.container.repos.tenants.findUserByName(org.tenantId, 'carol');
    expect(row?.ownerUserId).toBe(user?.id);
  });

  it('DELETE /v1/track/:track_id returns deleted_track', async () => {
    const res = await org.api.del(`/v1/track/${trackId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, track_id: trackId, deleted_track: { id: trackId, title: 'Renamed' } });
    expectError(await org.api.get(`/v1/track/${trackId}`), 404);
    expectError(await org.api.del(`/v1/track/${trackId}`), 404);
    expect((await org.api.get(`/v1/collection/${SEED_COLLECTION}/track`)).body.count).toBe(5);
  });
});
