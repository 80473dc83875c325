import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { makeTone } from '../../helpers/audio.js';
import { uploadAudio } from '../../helpers/uploads.js';
import { createRelease, type Headers } from './fixtures.js';

describe.each(dialects())('distribution: assets and artists (%s)', (dialect) => {
  let t: TestApp;
  let admin: Headers;

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    admin = bearer(await t.token({ role: 'admin' }));
  });
  afterAll(async () => t?.close());

  const createAsset = (payload: Record<string, unknown>, h: Headers = admin) => t.app.inject({ method: 'POST', url: '/asset', headers: h, payload });

  it('creates an asset that is a catalog track the other APIs see', async () => {
    const res = await createAsset({
      title: 'Night Drive', ISRC: 'US-S1Z-24-00001', type: 'Audio', version: 'Extended', displayArtist: 'Nova', mainArtist: ['Nova'], mainGenre: ['Electronic'],
      explicit: false, language: 'en', tempo: 122, key: 'A minor', mood: ['dark'], lyrics: 'la la', label: 'Indie', productionYear: 2024, iswc: 'T-123456789-0',
    });
    expect(res.statusCode, res.body).toBe(201);
    const { data, message, warnings } = res.json();
    expect(message).toBe('Asset created successfully');
    expect(data).toMatchObject({
      title: 'Night Drive', ISRC: 'USS1Z2400001', type: 'Audio', version: 'Extended', displayArtist: 'Nova', mainArtist: ['Nova'], mainGenre: ['Electronic'],
      explicit: 'clean', language: 'en', tempo: 122, key: 'A minor', mood: ['dark'], productionYear: 2024, products: [], hasAudio: false,
    });
    expect(warnings[0].field).toBe('iswc');

    const listed = (await t.app.inject({ url: '/asset?q=night', headers: admin })).json();
    expect(listed).toMatchObject({ success: true, totalItems: 1, currentPage: 1 });
    const swayzio = await t.app.inject({ url: '/api/swayzio/v1/tracks', headers: admin });
    expect(swayzio.statusCode, swayzio.body).toBe(200);
    expect(JSON.stringify(swayzio.json())).toContain(data.id);
    const audiodn = await t.app.inject({ url: `/v1/track/${data.id}`, headers: admin });
    expect(audiodn.statusCode, audiodn.body).toBe(200);
    expect(audiodn.json().track).toMatchObject({ id: data.id, title: 'Night Drive' });
    const audit = await t.container.db.selectFrom('auditEvents').selectAll().where('entityId', '=', data.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['asset.created']);
    expect(JSON.parse(audit[0].changes).isrc).toEqual({ from: null, to: 'USS1Z2400001' });
  });

  it('keeps ISRCs unique per workspace', async () => {
    const first = (await createAsset({ title: 'One', isrc: 'FRZ032400001' })).json().data;
    const dup = await createAsset({ title: 'Two', isrc: 'FR-Z03-24-00001' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toEqual({ status: 'error', message: `ISRC FRZ032400001 is already used by asset ${first.id}` });
    const second = (await createAsset({ title: 'Two', isrc: 'FRZ032400002' })).json().data;
    expect((await t.app.inject({ method: 'PUT', url: `/asset/${second.id}`, headers: admin, payload: { isrc: 'FRZ032400001' } })).statusCode).toBe(409);
    expect((await t.app.inject({ method: 'PUT', url: `/asset/${first.id}`, headers: admin, payload: { isrc: 'FRZ032400001', title: 'One again' } })).statusCode).toBe(200);
    const bad = await createAsset({ title: 'Bad', isrc: 'NOPE' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^isrc/);
    const other = bearer(await t.token({ tenant: 'other-label', user: 'o', role: 'admin' }));
    expect((await createAsset({ title: 'Same code elsewhere', isrc: 'FRZ032400001' }, other)).statusCode).toBe(201);
    // A track with that ISRC from another API counts too.
    const { trackId, tenant } = await uploadAudio(t, makeTone({ seconds: 1 }));
    await t.container.repos.tracks.update(tenant.id, trackId, { isrc: 'FRZ032400077' });
    expect((await createAsset({ title: 'Clash', isrc: 'FRZ032400077' })).statusCode).toBe(409);
  });

  it('serves, updates and deletes tracks made by the other APIs as assets', async () => {
    const { trackId } = await uploadAudio(t, makeTone({ seconds: 1 }));
    const got = (await t.app.inject({ url: `/asset/${trackId}`, headers: admin })).json().data;
    expect(got).toMatchObject({ id: trackId, type: 'Audio', hasAudio: true, products: [] });
    const put = await t.app.inject({ method: 'PUT', url: `/asset/${trackId}`, headers: admin, payload: { title: 'Renamed', subGenre: ['Lo-fi'], copyrightOwner: 'Me' } });
    expect(put.statusCode).toBe(200);
    expect(put.json().data).toMatchObject({ title: 'Renamed', subGenre: ['Lo-fi'], copyrightOwner: 'Me' });
    expect((await t.container.repos.tracks.find(got.TenantId, trackId))?.title).toBe('Renamed');
    expect((await t.app.inject({ method: 'PUT', url: `/asset/${trackId}`, headers: admin, payload: { type: 'Cassette' } })).json().message).toMatch(/^type/);

    // In use by a release: refused; free: deleted with its files.
    const rel = await createRelease(t, admin);
    await t.app.inject({ method: 'POST', url: `/releases/${rel.id}/tracks/link-asset`, headers: admin, payload: { assetId: trackId, overrides: { displayArtist: 'X' } } });
    const inUse = await t.app.inject({ method: 'DELETE', url: `/asset/${trackId}`, headers: admin });
    expect(inUse.statusCode).toBe(409);
    await t.app.inject({ method: 'DELETE', url: `/releases/${rel.id}`, headers: admin });
    const del = await t.app.inject({ method: 'DELETE', url: `/asset/${trackId}`, headers: admin });
    expect(del.json()).toMatchObject({ success: true, message: 'Asset deleted successfully' });
    expect((await t.app.inject({ url: `/asset/${trackId}`, headers: admin })).statusCode).toBe(404);
    expect(await t.container.repos.tracks.find(got.TenantId, trackId)).toBeUndefined();
  });

  it('manages artists: CRUD, search, paging and merge', async () => {
    const mk = async (artistName: string, extra: Record<string, unknown> = {}) =>
      (await t.app.inject({ method: 'POST', url: '/artist', headers: admin, payload: { artistName, ...extra } })).json().data;
    const main = await mk('Merge Main', { links: { spotify: 'https://open.spotify.com/artist/x' }, genres: ['Pop'], signDate: '2023-12-25' });
    expect(main).toMatchObject({ artistName: 'Merge Main', links: { spotify: 'https://open.spotify.com/artist/x' }, genres: ['Pop'], signDate: '2023-12-25' });
    const dupA = await mk('Merge Dup A');
    const dupB = await mk('Merge Dup B');
    expect((await t.app.inject({ method: 'POST', url: '/artist', headers: admin, payload: { artistName: '' } })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: '/artist', headers: admin, payload: { artistName: 'D', signDate: 'soon' } })).json().message).toMatch(/^signDate/);

    const rel = await createRelease(t, admin, { artists: { [dupA.id]: 'primary', [main.id]: 'featuring' } });
    const asset = (await createAsset({ title: 'Merged Song', artists: { [dupB.id]: 'primary' } })).json().data;

    const page = (await t.app.inject({ url: '/artist?q=merge&size=2&page=2&sort=artistName&order=asc', headers: admin })).json();
    expect(page).toMatchObject({ totalItems: 3, totalPages: 2, currentPage: 2 });
    expect(page.data.map((a: { artistName: string }) => a.artistName)).toEqual(['Merge Main']);

    const put = await t.app.inject({ method: 'PUT', url: `/artist/${main.id}`, headers: admin, payload: { label: 'New Label' } });
    expect(put.json()).toMatchObject({ message: 'Artist updated successfully', data: { label: 'New Label', artistName: 'Merge Main' } });

    const noIds = await t.app.inject({ method: 'PUT', url: `/artist/${main.id}/merge`, headers: admin });
    expect(noIds.statusCode).toBe(400);
    expect((await t.app.inject({ method: 'PUT', url: `/artist/${main.id}/merge?ids=0190a4c2-7d3e-7b21-9c3e-3b1f2a4c5d6e`, headers: admin })).statusCode).toBe(404);
    const merged = await t.app.inject({ method: 'PUT', url: `/artist/${main.id}/merge?ids=${dupA.id},${dupB.id}`, headers: admin });
    expect(merged.json()).toEqual({ success: true, message: 'Artists merged successfully', assetsUpdatedCount: 1, productsUpdatedCount: 0, artistsDeletedCount: 2, totalChanges: 3 });
    expect((await t.app.inject({ url: `/artist/${dupA.id}`, headers: admin })).statusCode).toBe(404);
    const relAfter = (await t.app.inject({ url: `/releases/${rel.id}`, headers: admin })).json().data;
    expect(relAfter.artists).toEqual([{ id: main.id, artistName: 'Merge Main', type: 'primary' }]);
    expect((await t.app.inject({ url: `/asset/${asset.id}`, headers: admin })).json().data.artists).toEqual([{ id: main.id, artistName: 'Merge Main', type: 'primary' }]);

    const del = await t.app.inject({ method: 'DELETE', url: `/artist/${main.id}`, headers: admin });
    expect(del.statusCode).toBe(200);
    expect((await t.app.inject({ url: `/artist/${main.id}`, headers: admin })).json()).toEqual({ status: 'error', message: 'Artist not found' });
  });
});
