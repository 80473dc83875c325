import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { createRelease, tracksOf, uploadTrackFile, type Headers } from './fixtures.js';

const TRACK_KEYS = [
  'id', 'TenantId', 'ReleaseId', 'assetId', 'trackNumber', 'title', 'version', 'isrc', 'iswc', 'duration', 'lyrics', 'language',
  'displayArtist', 'artists', 'mainGenre', 'subGenre', 'contributors', 'media', 'metadata', 'explicit',
];

describe.each(dialects())('distribution: release tracks (%s)', (dialect) => {
  let t: TestApp;
  let admin: Headers;
  let member: Headers;
  let guest: Headers;
  let stranger: Headers;

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    admin = bearer(await t.token({ role: 'admin' }));
    member = bearer(await t.token({ user: 'mo', role: 'member' }));
    guest = bearer(await t.token({ user: 'gus', role: 'guest' }));
    stranger = bearer(await t.token({ tenant: 'other', user: 'eve', role: 'owner' }));
  });
  afterAll(async () => t?.close());

  const putTrack = (h: Headers, releaseId: string, trackId: string, payload: unknown) =>
    t.app.inject({ method: 'PUT', url: `/releases/${releaseId}/tracks/${trackId}`, headers: h, payload: payload as object });

  it("refuses the contract's code-example body with 400 naming the required fields", async () => {
    const rel = await createRelease(t, admin, { tracks: tracksOf(1) });
    const res = await putTrack(admin, rel.id, rel.tracks[0].id, { ref: '#/components/schemas/ReleaseTrackInput' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ status: 'error', message: 'title is required; displayArtist is required' });
  });

  it('updates a track with every ReleaseTrackInput field as documented', async () => {
    const rel = await createRelease(t, member, { tracks: tracksOf(2) });
    const res = await putTrack(member, rel.id, rel.tracks[1].id, {
      title: 'Hit Single',
      version: 'Radio Edit',
      isrc: 'USABC1234567',
      iswc: 'T-123456789-0',
      duration: 213,
      lyrics: 'Verse 1\nChorus\nVerse 2',
      language: 'en',
      displayArtist: 'Artist Name',
      artists: { 'John Doe': 'primary', 'Jane Smith': 'featuring' },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.success).toBe(true);
    expect(body.message).toBe('Track updated successfully');
    expect(body.data).toMatchObject({
      id: rel.tracks[1].id, ReleaseId: rel.id, trackNumber: 2, title: 'Hit Single', version: 'Radio Edit', isrc: 'USABC1234567',
      iswc: 'T-123456789-0', duration: 213, lyrics: 'Verse 1\nChorus\nVerse 2', language: 'en', displayArtist: 'Artist Name',
    });
    expect(body.data.artists).toEqual([
      { id: expect.any(String), artistName: 'John Doe', type: 'primary' },
      { id: expect.any(String), artistName: 'Jane Smith', type: 'featuring' },
    ]);
    // The documented example ISWC has a wrong check digit: accepted, the mismatch reported.
    expect(body.warnings).toEqual([{ field: 'iswc', message: expect.stringContaining('4 was expected') }]);
    const got = (await t.app.inject({ url: `/releases/${rel.id}`, headers: member })).json().data;
    expect(got.tracks[1].title).toBe('Hit Single');
    expect(Object.keys(got.tracks[1])).toEqual(expect.arrayContaining(TRACK_KEYS));
  });

  it('applies each track rule: failing and passing values', async () => {
    const rel = await createRelease(t, admin, { tracks: tracksOf(1) });
    const trackId = rel.tracks[0].id;
    const base = { title: 'T', displayArtist: 'A' };
    const cases: Array<[string, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>]> = [
      ['title', { title: '' }, { title: 'Fine' }, { title: 'Fine' }],
      ['displayArtist', { displayArtist: '   ' }, { displayArtist: 'B' }, { displayArtist: 'B' }],
      ['isrc', { isrc: 'US-123' }, { isrc: 'us-abc-12-34567' }, { isrc: 'USABC1234567' }],
      ['iswc', { iswc: 'T12' }, { iswc: 'T-123.456.789-4' }, { iswc: 'T-123456789-4' }],
      ['language', { language: 'xx' }, { language: 'PT-br' }, { language: 'pt' }],
      ['duration', { duration: -1 }, { duration: 180.5 }, { duration: 180.5 }],
      ['artists', { artists: { Someone: 'remixer' } }, { artists: { Someone: 'featuring' } }, {}],
      ['artists', { artists: { '0190a4c2-7d3e-7b21-9c3e-3b1f2a4c5d6e': 'primary' } }, { artists: {} }, { artists: [] }],
      ['explicit', { explicit: 'sometimes' }, { explicit: 'clean' }, { explicit: 'clean' }],
      ['version', { version: 5 }, { version: null }, { version: null }],
    ];
    for (const [field, bad, good, expected] of cases) {
      const refused = await putTrack(admin, rel.id, trackId, { ...base, ...bad });
      expect(refused.statusCode, `${field} ${JSON.stringify(bad)}`).toBe(400);
      expect(refused.json().status).toBe('error');
      expect(refused.json().message).toMatch(new RegExp(`^${field}`));
      const accepted = await putTrack(admin, rel.id, trackId, { ...base, ...good });
      expect(accepted.statusCode, `${field} ${JSON.stringify(good)}: ${accepted.body}`).toBe(200);
      expect(accepted.json().data).toMatchObject(expected);
    }
    // language defaults to en for a new track.
    const added = await t.app.inject({ method: 'POST', url: `/releases/${rel.id}/tracks`, headers: admin, payload: base });
    expect(added.statusCode).toBe(201);
    expect(added.json().data).toMatchObject({ language: 'en', trackNumber: 2 });
  });

  it('reuses an artist named by id or by the same name, and refuses an ISRC used twice in one release', async () => {
    const rel = await createRelease(t, admin, { tracks: tracksOf(2) });
    const artistId = (await t.app.inject({ method: 'POST', url: '/artist', headers: admin, payload: { artistName: 'Bally Jhay' } })).json().data.id;
    const byId = await putTrack(admin, rel.id, rel.tracks[0].id, { title: 'T', displayArtist: 'Bally Jhay', artists: { [artistId]: 'primary', 'bally  JHAY': 'featuring' }, isrc: 'QZABC2400001' });
    expect(byId.json().data.artists).toEqual([{ id: artistId, artistName: 'Bally Jhay', type: 'primary' }]);
    const dup = await putTrack(admin, rel.id, rel.tracks[1].id, { title: 'T2', displayArtist: 'X', isrc: 'QZ-ABC-24-00001' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().message).toContain('QZABC2400001');
  });

  it('reorders tracks atomically and answers every track with its new trackNumber (contract example)', async () => {
    const rel = await createRelease(t, admin, { tracks: tracksOf(3) });
    const [a, b, c] = rel.tracks.map((x) => x.id);
    const literal = await t.app.inject({ method: 'POST', url: `/releases/${rel.id}/tracks/reorder`, headers: admin, payload: { trackOrder: ['track1-uuid', 'track2-uuid', 'track3-uuid'] } });
    expect(literal.statusCode).toBe(400);
    expect(literal.json().message).toContain('permutation');

    const res = await t.app.inject({ method: 'POST', url: `/releases/${rel.id}/tracks/reorder`, headers: admin, payload: { trackOrder: [c, a, b] } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ success: true, message: 'Tracks reordered successfully' });
    expect(body.data.map((x: { id: string; trackNumber: number }) => [x.id, x.trackNumber])).toEqual([[c, 1], [a, 2], [b, 3]]);
    for (const track of body.data) expect(Object.keys(track)).toEqual(expect.arrayContaining(TRACK_KEYS));

    const other = await createRelease(t, admin, { tracks: tracksOf(1) });
    for (const trackOrder of [[a, b], [a, a, b], [a, b, c, other.tracks[0].id], [a, b, other.tracks[0].id], []]) {
      const bad = await t.app.inject({ method: 'POST', url: `/releases/${rel.id}/tracks/reorder`, headers: admin, payload: { trackOrder } });
      expect(bad.statusCode, JSON.stringify(trackOrder)).toBe(400);
    }
    const after = (await t.app.inject({ url: `/releases/${rel.id}/tracks`, headers: admin })).json().data;
    expect(after.map((x: { id: string }) => x.id)).toEqual([c, a, b]);
  });

  it('keeps numbers 1..n without gaps or duplicates under 50 concurrent reorders', async () => {
    const rel = await createRelease(t, admin, { tracks: tracksOf(6) });
    const ids = rel.tracks.map((x) => x.id);
    const orders = Array.from({ length: 50 }, (_, i) => {
      const o = [...ids];
      for (let j = o.length - 1; j > 0; j--) {
        const k = (i * 7 + j * 13) % (j + 1);
        [o[j], o[k]] = [o[k], o[j]];
      }
      return o;
    });
    const results = await Promise.all(
      orders.map((trackOrder) => t.app.inject({ method: 'POST', url: `/releases/${rel.id}/tracks/reorder`, headers: admin, payload: { trackOrder } })),
    );
    for (const [i, res] of results.entries()) {
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().data.map((x: { id: string }) => x.id)).toEqual(orders[i]);
    }
    const rows = await t.container.db.selectFrom('distReleaseTracks').select(['id', 'trackNumber']).where('releaseId', '=', rel.id).orderBy('trackNumber').execute();
    expect(rows.map((r) => Number(r.trackNumber))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(rows.map((r) => r.id)).size).toBe(6);
    expect(orders.map((o) => o.join())).toContain(rows.map((r) => r.id).join());
  });

  it('adds a track at a position and closes the gap when one is removed', async () => {
    const rel = await createRelease(t, admin, { tracks: tracksOf(3) });
    const added = await t.app.inject({ method: 'POST', url: `/releases/${rel.id}/tracks`, headers: admin, payload: { title: 'Intro', displayArtist: 'A', trackNumber: 1 } });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ success: true, message: 'Track added successfully', data: { trackNumber: 1, title: 'Intro' } });
    const bad = await t.app.inject({ method: 'POST', url: `/releases/${rel.id}/tracks`, headers: admin, payload: { title: 'Far', displayArtist: 'A', trackNumber: 9 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^trackNumber/);
    const del = await t.app.inject({ method: 'DELETE', url: `/releases/${rel.id}/tracks/${rel.tracks[1].id}`, headers: admin });
    expect(del.statusCode).toBe(200);
    const list = (await t.app.inject({ url: `/releases/${rel.id}/tracks`, headers: admin })).json().data;
    expect(list.map((x: { title: string; trackNumber: number }) => `${x.trackNumber}:${x.title}`)).toEqual(['1:Intro', '2:Track 1', '3:Track 3']);
    expect((await t.app.inject({ method: 'DELETE', url: `/releases/${rel.id}/tracks/${rel.tracks[1].id}`, headers: admin })).statusCode).toBe(404);
  });

  it('links an existing asset as a new track, with overrides and at a position', async () => {
    const asset = (await t.app.inject({ method: 'POST', url: '/asset', headers: admin, payload: { title: 'My Song', isrc: 'GBAYE2400001', displayArtist: 'Linked Artist', mainArtist: ['Linked Artist'], language: 'fr' } })).json().data;
    const rel = await createRelease(t, admin, { tracks: tracksOf(1) });
    const res = await t.app.inject({
      method: 'POST',
      url: `/releases/${rel.id}/tracks/link-asset`,
      headers: admin,
      payload: { assetId: asset.id, trackNumber: 1, overrides: { title: 'My Song (Radio Edit)', explicit: 'clean' } },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().message).toBe('Asset "My Song (Radio Edit)" linked to release successfully');
    expect(res.json().data).toMatchObject({ assetId: asset.id, trackNumber: 1, title: 'My Song (Radio Edit)', isrc: 'GBAYE2400001', explicit: 'clean', language: 'fr', displayArtist: 'Linked Artist' });
    expect(res.json().data.artists).toEqual([{ id: expect.any(String), artistName: 'Linked Artist', type: 'primary' }]);
    const list = (await t.app.inject({ url: `/releases/${rel.id}/tracks`, headers: admin })).json().data;
    expect(list.map((x: { trackNumber: number }) => x.trackNumber)).toEqual([1, 2]);
    expect((await t.app.inject({ method: 'POST', url: `/releases/${rel.id}/tracks/link-asset`, headers: admin, payload: { assetId: '0190a4c2-7d3e-7b21-9c3e-3b1f2a4c5d6e' } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: `/releases/${rel.id}/tracks/link-asset`, headers: stranger, payload: { assetId: asset.id } })).statusCode).toBe(404);
  });

  it('validates media links and stores them as the track media', async () => {
    const rel = await createRelease(t, admin, { tracks: tracksOf(1) });
    const url = `/releases/${rel.id}/tracks/${rel.tracks[0].id}/media/link`;
    for (const bad of ['ftp://files.example.com/a.mp3', 'not a url', 'https://user:secret@example.com/a.mp3', 'javascript:alert(1)']) {
      const res = await t.app.inject({ method: 'POST', url, headers: admin, payload: { url: bad, type: 'audio' } });
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().message).toMatch(/^url/);
    }
    expect((await t.app.inject({ method: 'POST', url, headers: admin, payload: { url: 'https://x.test/a', type: 'image' } })).statusCode).toBe(400);
    const ok = await t.app.inject({ method: 'POST', url, headers: admin, payload: { url: 'https://wetransfer.com/downloads/abc123', name: 'Track Demo', type: 'audio' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      success: true,
      message: 'Media uploaded successfully',
      data: { type: 'audio', name: 'Track Demo', isLink: true, cloudUrl: 'https://wetransfer.com/downloads/abc123', releasePath: null, metadata: { linkValidated: true } },
    });
    const track = (await t.app.inject({ url: `/releases/${rel.id}/tracks`, headers: admin })).json().data[0];
    expect(track.media).toHaveLength(1);
    expect(track.media[0].cloudId).toBe(ok.json().data.cloudId);
  });

  it('refuses every track and media write once the release is no longer draft or rejected', async () => {
    const rel = await createRelease(t, admin, { tracks: [{ title: 'Only', displayArtist: 'A', isrc: 'QZFX19900001', media: [{ url: 'https://x.test/a.mp3', type: 'audio' }] }] });
    expect((await t.app.inject({ method: 'POST', url: `/releases/${rel.id}/submit`, headers: admin })).statusCode).toBe(200);
    const trackId = rel.tracks[0].id;
    const writes = [
      putTrack(admin, rel.id, trackId, { title: 'Changed', displayArtist: 'A' }),
      t.app.inject({ method: 'POST', url: `/releases/${rel.id}/tracks`, headers: admin, payload: { title: 'New', displayArtist: 'A' } }),
      t.app.inject({ method: 'DELETE', url: `/releases/${rel.id}/tracks/${trackId}`, headers: admin }),
      t.app.inject({ method: 'POST', url: `/releases/${rel.id}/tracks/reorder`, headers: admin, payload: { trackOrder: [trackId] } }),
      t.app.inject({ method: 'POST', url: `/releases/${rel.id}/tracks/${trackId}/media/link`, headers: admin, payload: { url: 'https://x.test/b.mp3' } }),
      uploadTrackFile(t, admin, rel.id, trackId, Buffer.from('ID3 pretend')),
      t.app.inject({ method: 'PUT', url: `/releases/${rel.id}`, headers: admin, payload: { title: 'Renamed' } }),
    ];
    for (const res of await Promise.all(writes)) {
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toEqual({ status: 'error', message: expect.stringContaining('only be changed while it is in draft or rejected status') });
    }
    const after = (await t.app.inject({ url: `/releases/${rel.id}`, headers: admin })).json().data;
    expect(after).toMatchObject({ title: 'Summer Vibes', status: 'submitted' });
    expect(after.tracks).toHaveLength(1);
    expect(after.tracks[0].title).toBe('Only');
  });

  it('keeps tenants apart and lets guests read but not write', async () => {
    const rel = await createRelease(t, admin, { tracks: tracksOf(1) });
    expect((await t.app.inject({ url: `/releases/${rel.id}`, headers: stranger })).statusCode).toBe(404);
    expect((await putTrack(stranger, rel.id, rel.tracks[0].id, { title: 'x', displayArtist: 'y' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/releases/${rel.id}/tracks`, headers: guest })).statusCode).toBe(200);
    const denied = await putTrack(guest, rel.id, rel.tracks[0].id, { title: 'x', displayArtist: 'y' });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().status).toBe('error');
    expect((await t.app.inject({ url: `/releases/${rel.id}` })).statusCode).toBe(401);
  });
});
