import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/app.js';
import { organization, setup, UUID_RE, type Org } from './setup.js';

describe.each(dialects())('collections: organizations, creators, collections (%s)', (dialect) => {
  let t: TestApp;
  let org: Org;
  beforeAll(async () => {
    ({ t, org } = await setup(dialect));
  });
  afterAll(async () => t?.close());

  it('reads and updates the organization, deriving the light and dark colours', async () => {
    const got = await org.api.get(`/v1/organization/${org.tenantId}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ ok: true, organization_id: org.tenantId, organization: { id: org.tenantId, name: 'org-a', is_theme_overridable: true } });
    const theme = [{ hex: '#112233', area: 0.5, lightness: 0.2, saturation: 0.5 }];
    const put = await org.api.put(`/v1/organization/${org.tenantId}`, { name: 'Org A', player_color: '#3366FF', player_subtitle: 'Label', is_theme_overridable: false, theme });
    expect(put.status).toBe(200);
    expect(put.body.organization).toMatchObject({ name: 'Org A', player_color: '#3366FF', player_subtitle: 'Label', is_theme_overridable: false, is_cover_overridable: true, theme });
    expect(put.body.organization.player_color_light).toMatch(/^#[0-9a-f]{6}$/);
    expect(put.body.organization.player_color_dark).not.toBe(put.body.organization.player_color_light);
    expect((await org.api.get(`/v1/organization/${org.tenantId}`)).body.organization.name).toBe('Org A');
    expect((await org.api.put(`/v1/organization/${org.tenantId}`, { player_color: 'blue' })).status).toBe(400);
    expect((await org.api.put(`/v1/organization/${org.tenantId}`, { theme: [{ hex: 'nope' }] })).status).toBe(400);
    const other = await organization(t, 'org-b');
    expect((await other.api.get(`/v1/organization/${org.tenantId}`)).status).toBe(404);
    expect((await other.api.put(`/v1/organization/${org.tenantId}`, { name: 'mine' })).status).toBe(404);
    expect((await org.api.put(`/v1/organization/${org.tenantId}`, { name: 'org-b' })).status).toBe(409);
  });

  it('manages creators with organization_index required and unique', async () => {
    expect((await org.api.post('/v1/creator', {})).body.message).toMatch(/organization_index/);
    expect((await org.api.post('/v1/creator', { organization_index: '' })).status).toBe(400);
    const created = await org.api.post('/v1/creator', { organization_index: 'artist-7', metadata: { name: 'Seven' } });
    expect(created.status).toBe(200);
    const id = created.body.creator_id;
    expect(created.body.creator).toMatchObject({ id, organization_id: org.tenantId, organization_index: 'artist-7', metadata: { name: 'Seven' }, folder_id: expect.stringMatching(UUID_RE) });
    expect((await org.api.post('/v1/creator', { organization_index: 'artist-7' })).status).toBe(409);
    expect((await org.api.get(`/v1/creator/${id}`)).body.creator.organization_index).toBe('artist-7');
    const put = await org.api.put(`/v1/creator/${id}`, { organization_index: 'artist-8' });
    expect(put.body.creator.organization_index).toBe('artist-8');
    await org.api.post('/v1/creator', { organization_index: 'artist-9' });
    const list = await org.api.get('/v1/creator?limit=1');
    expect(list.body.count).toBe(2);
    expect(list.body.creators).toHaveLength(1);
    expect((await org.api.get('/v1/creator?limit=201')).status).toBe(400);

    const collection = (await org.api.post('/v1/collection', { title: 'By creator', creator_id: id })).body.collection_id;
    const deleted = await org.api.del(`/v1/creator/${id}`);
    expect(deleted.body).toMatchObject({ ok: true, creator_id: id, deleted_creator: { id } });
    expect((await org.api.get(`/v1/creator/${id}`)).status).toBe(404);
    expect((await org.api.get(`/v1/collection/${collection}`)).body.collection.creator_id).toBeNull();
  });

  it('manages collections: title required, pagination, cover upload handle, delete', async () => {
    expect((await org.api.post('/v1/collection', {})).body.message).toMatch(/title/);
    expect((await org.api.post('/v1/collection', { title: '   ' })).status).toBe(400);
    expect((await org.api.post('/v1/collection', { title: 'x', player_color: '#fff' })).status).toBe(400);
    expect((await org.api.post('/v1/collection', { title: 'x', creator_id: '0190a4c2-7d3e-7b21-9c3e-3b1f2a4c5d6e' })).status).toBe(404);
    const created = await org.api.post('/v1/collection', { title: 'Album', player_subtitle: 'Artist', player_color: '#AA3300', metadata: { year: 2024 } });
    expect(created.status).toBe(200);
    const id = created.body.collection_id;
    expect(created.body.collection).toMatchObject({ id, title: 'Album', player_subtitle: 'Artist', player_color: '#AA3300', metadata: { year: 2024 } });
    expect(created.body.collection_cover_upload).toMatchObject({ method: 'POST', ttl: 3600 });

    const put = await org.api.put(`/v1/collection/${id}`, { title: 'Album (Deluxe)', is_cover_overridable: false });
    expect(put.body.collection).toMatchObject({ title: 'Album (Deluxe)', is_cover_overridable: false, player_color: '#AA3300' });
    const cover = await org.api.post(`/v1/collection/${id}/cover`);
    expect(cover.body).toMatchObject({ collection_id: id, collection: { id }, collection_cover_upload: { method: 'POST' } });

    const list = await org.api.get('/v1/collection?limit=200&offset=0');
    expect(list.body.count).toBe(2);
    expect((await org.api.get('/v1/collection?offset=10')).body).toMatchObject({ count: 2, collections: [] });
    for (const q of ['limit=0', 'limit=201', 'offset=-3']) expect((await org.api.get(`/v1/collection?${q}`)).status).toBe(400);

    const track = (await org.api.post('/v1/track', { collection_id: id, file_name: 'song.mp3' })).body.track_id;
    const del = await org.api.del(`/v1/collection/${id}`);
    expect(del.body).toMatchObject({ ok: true, collection_id: id, deleted_collection: { id, title: 'Album (Deluxe)' } });
    expect((await org.api.get(`/v1/collection/${id}`)).status).toBe(404);
    expect((await org.api.get(`/v1/track/${track}`)).status).toBe(404);
    expect(await t.container.repos.tracks.find(org.tenantId, track)).toBeUndefined();
  });

  it('lists tracks filed in a collection by another surface', async () => {
    const id = (await org.api.post('/v1/collection', { title: 'Shared' })).body.collection_id;
    const now = new Date().toISOString();
    await t.container.repos.tracks.insert({ id: '0190a4c2-7d3e-7b21-9c3e-3b1f2a4c5d00', tenantId: org.tenantId, collectionId: id, title: 'From the workspace', visibility: 'private', status: 'active', metadata: '{}', userTags: '[]', createdAt: now, updatedAt: now });
    const list = await org.api.get(`/v1/collection/${id}/track`);
    expect(list.body.count).toBe(1);
    expect(list.body.tracks[0]).toMatchObject({ id: '0190a4c2-7d3e-7b21-9c3e-3b1f2a4c5d00', title: 'From the workspace', file_name: null, track_status_id: 'initializing', is_theme_overridable: true });
    const put = await org.api.put('/v1/track/0190a4c2-7d3e-7b21-9c3e-3b1f2a4c5d00', { player_title: 'Now with AudioDN fields' });
    expect(put.body.track.player_title).toBe('Now with AudioDN fields');
  });

  it('lists the organization variants', async () => {
    const list = await org.api.get('/v1/variant');
    expect(list.body.variants.map((v: { index: string }) => v.index)).toEqual(['hq', 'lq', 'levels', 'original']);
    expect(list.body.count).toBe(4);
    const hq = list.body.variants[0];
    expect(hq).toMatchObject({ type: 'transcode', format: 'aac', bitrate: 128 });
    expect((await org.api.get(`/v1/variant/${hq.id}`)).body.variant).toEqual(hq);
    expect((await org.api.get('/v1/variant?offset=3&limit=5')).body.variants.map((v: { index: string }) => v.index)).toEqual(['original']);
    expect((await org.api.get('/v1/variant/0190a4c2-7d3e-7b21-9c3e-3b1f2a4c5d6e')).status).toBe(404);
    const other = await organization(t, 'org-c');
    expect((await other.api.get(`/v1/variant/${hq.id}`)).status).toBe(404);
  });
});
