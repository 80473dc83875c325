import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidGtin } from '../../../src/domain/identifiers.js';
import { bearer, createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { createRelease, freshIsrc, tracksOf, uploadTrackFile, wav, type Headers } from './fixtures.js';

/** The body of Royalti's "Create Release" example. */
const ROYALTI_CREATE_EXAMPLE = {
  title: 'My First Single',
  displayArtist: 'Test Artist',
  artists: { 'Test Artist': 'primary' },
  format: 'Single',
  type: 'Audio',
  version: 'Radio Edit',
  label: 'Independent Records',
  copyright: '2024 Test Artist',
  mainGenre: ['Pop', 'Rock'],
  subGenre: ['Alternative'],
  contributors: { producer: ['Producer Name'], songwriter: ['Test Artist', 'Co-Writer'] },
  description: 'A catchy single with great production',
  metadata: { recordingStudio: 'Abbey Road Studios', mixedBy: 'Famous Engineer' },
  media: [{ url: 'https://example.com/media.mp3', type: 'audio', name: 'Media' }],
  explicit: null,
  releaseDate: '2024-12-01',
  preReleaseDate: '2024-11-15',
  tracks: [
    {
      title: 'My First Single',
      version: 'Radio Edit',
      isrc: 'USCM51500001',
      iswc: 'T-000.000.001-0',
      duration: 210,
      lyrics: 'Verse 1\nChorus\nVerse 2\nChorus\nBridge\nChorus',
      language: 'EN',
      displayArtist: 'Test Artist',
      artists: { 'Test Artist': 'primary' },
      mainGenre: ['Pop'],
      subGenre: ['Alternative'],
      contributors: { songwriter: ['Test Artist'] },
      media: [],
      metadata: { bpm: 120, key: 'C Major' },
      explicit: null,
    },
  ],
};

describe.each(dialects())('distribution: release workflow (%s)', (dialect) => {
  let t: TestApp;
  let admin: Headers;
  let member: Headers;

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    admin = bearer(await t.token({ role: 'admin' }));
    member = bearer(await t.token({ user: 'mo', role: 'member' }));
  });
  afterAll(async () => t?.close());

  const post = (url: string, h: Headers, payload?: object) => t.app.inject({ method: 'POST', url, headers: h, ...(payload ? { payload } : {}) });
  const getRelease = async (id: string) => (await t.app.inject({ url: `/releases/${id}`, headers: admin })).json().data;

  it("creates a draft release from Royalti's example body, naming artists that then exist", async () => {
    const res = await post('/releases', member, ROYALTI_CREATE_EXAMPLE);
    expect(res.statusCode).toBe(201);
    const { data, message, success } = res.json();
    expect({ success, message }).toEqual({ success: true, message: 'Release created successfully' });
    expect(data).toMatchObject({ title: 'My First Single', status: 'draft', format: 'Single', mainGenre: ['Pop', 'Rock'], releaseDate: '2024-12-01', explicit: null });
    expect(data.artists).toEqual([{ id: expect.any(String), artistName: 'Test Artist', type: 'primary' }]);
    expect(data.tracks[0]).toMatchObject({ trackNumber: 1, isrc: 'USCM51500001', iswc: 'T-000000001-0', language: 'en', duration: 210, metadata: { bpm: 120, key: 'C Major' } });
    expect(data.tracks[0].artists[0].id).toBe(data.artists[0].id);
    const artists = (await t.app.inject({ url: '/artist?q=test%20artist', headers: member })).json();
    expect(artists.data.map((a: { artistName: string }) => a.artistName)).toEqual(['Test Artist']);
    expect(data.statusHistory).toEqual([expect.objectContaining({ from: null, to: 'draft' })]);
  });

  it('lists releases with filters and page/limit, and counts them by status, format and type', async () => {
    const a = await createRelease(t, admin, { title: 'Filter Alpha', format: 'EP' });
    await createRelease(t, admin, { title: 'Filter Beta', format: 'Album', type: 'Video' });
    const byFormat = (await t.app.inject({ url: '/releases?format=EP&search=filter', headers: admin })).json();
    expect(byFormat.success).toBe(true);
    expect(byFormat.data.releases.map((r: { id: string }) => r.id)).toEqual([a.id]);
    const paged = (await t.app.inject({ url: '/releases?limit=1&page=2&search=filter&sort=title&order=asc', headers: admin })).json().data;
    expect(paged).toMatchObject({ totalItems: 2, totalPages: 2, currentPage: 2 });
    expect(paged.releases.map((r: { title: string }) => r.title)).toEqual(['Filter Beta']);
    expect((await t.app.inject({ url: '/releases?status=shipped', headers: admin })).statusCode).toBe(400);
    const stats = (await t.app.inject({ url: '/releases/stats', headers: admin })).json().data;
    expect(stats.byStatus.draft).toBeGreaterThanOrEqual(2);
    expect(stats.byFormat).toMatchObject({ EP: 1, Album: 1 });
    expect(stats.byType.Video).toBe(1);
    expect(stats.total).toBe(Object.values(stats.byStatus as Record<string, number>).reduce((x, y) => x + y, 0));
  });

  it('updates a draft release, naming artists and validating fields', async () => {
    const rel = await createRelease(t, admin);
    const put = (payload: object) => t.app.inject({ method: 'PUT', url: `/releases/${rel.id}`, headers: admin, payload });
    expect((await put({})).statusCode).toBe(200);
    const res = await put({ title: 'Renamed', artists: { 'New Headliner': 'primary' }, releaseDate: '2025-01-31', explicit: true, metadata: { catalogNumber: 'CAT-9' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({ title: 'Renamed', releaseDate: '2025-01-31', explicit: 'explicit', catalogNumber: 'CAT-9', artists: [{ artistName: 'New Headliner', type: 'primary' }] });
    for (const [field, value] of [['releaseDate', '2025-02-30'], ['title', ''], ['explicit', 'rated-r'], ['media', [{ url: 'file:///etc/passwd' }]], ['ownerId', '0190a4c2-7d3e-7b21-9c3e-3b1f2a4c5d6e']] as const) {
      const bad = await put({ [field]: value });
      expect(bad.statusCode, `${field}: ${bad.body}`).toBe(400);
      expect(bad.json().message).toMatch(new RegExp(`^${field}`));
    }
    // Royalti's collection paths also answer with a trailing slash.
    expect((await t.app.inject({ url: '/releases/?limit=1', headers: admin })).json().data.releases).toHaveLength(1);
  });

  it('refuses to submit an incomplete release, saying what is missing', async () => {
    const empty = await createRelease(t, admin);
    const res = await post(`/releases/${empty.id}/submit`, admin);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('Release has no tracks');
    const noAudio = await createRelease(t, admin, { tracks: tracksOf(2) });
    const res2 = await post(`/releases/${noAudio.id}/submit`, admin);
    expect(res2.statusCode).toBe(400);
    expect(res2.json().message).toContain('Track 1 has no audio; Track 2 has no audio');
    expect((await getRelease(noAudio.id)).status).toBe('draft');
  });

  it('runs draft -> media -> submit -> reject -> edit -> submit -> approve, creating the product and its assets', async () => {
    const rel = await createRelease(t, member, {
      title: 'Workflow Album',
      releaseDate: '2025-03-01',
      tracks: [
        { title: 'Opening', displayArtist: 'The Wave Collective', isrc: 'USWF12500001', artists: { 'The Wave Collective': 'primary', 'Guest Vocalist': 'featuring' } },
        { title: 'Closing', displayArtist: 'The Wave Collective', isrc: 'USWF12500002' },
      ],
    });
    const [one, two] = rel.tracks;
    const upload = await uploadTrackFile(t, member, rel.id, one.id, wav(), { filename: 'opening.wav', contentType: 'audio/wav' });
    expect(upload.statusCode, upload.body).toBe(200);
    const catalogTrackId = (await getRelease(rel.id)).tracks[0].assetId;
    expect(catalogTrackId).toEqual(expect.any(String));
    expect((await post(`/releases/${rel.id}/tracks/${two.id}/media/link`, member, { url: 'https://example.com/closing.wav', type: 'audio' })).statusCode).toBe(200);

    expect((await post(`/releases/${rel.id}/submit`, member)).json().data.status).toBe('submitted');
    expect((await post(`/releases/${rel.id}/review`, member, { action: 'approve' })).statusCode).toBe(403);
    const rejected = await post(`/releases/${rel.id}/review`, admin, { action: 'reject', feedback: 'Cover art missing' });
    expect(rejected.json()).toMatchObject({ success: true, message: 'Release rejected successfully', data: { status: 'rejected', feedback: 'Cover art missing' } });

    // Editing a rejected release takes it back to draft.
    const edited = await t.app.inject({ method: 'PUT', url: `/releases/${rel.id}/tracks/${two.id}`, headers: member, payload: { title: 'Closing (Edit)', displayArtist: 'The Wave Collective', isrc: 'USWF12500002' } });
    expect(edited.statusCode).toBe(200);
    expect((await getRelease(rel.id)).status).toBe('draft');
    expect((await post(`/releases/${rel.id}/submit`, member)).statusCode).toBe(200);
    const approved = await post(`/releases/${rel.id}/review`, admin, { action: 'approve', feedback: 'Excellent release!' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().message).toBe('Release approved successfully');
    const release = approved.json().data;
    expect(release.status).toBe('approved');
    expect(isValidGtin(release.upc)).toBe(true);
    expect(release.statusHistory.map((s: { from: string | null; to: string }) => `${s.from}>${s.to}`)).toEqual([
      'null>draft', 'draft>submitted', 'submitted>rejected', 'rejected>draft', 'draft>submitted', 'submitted>approved',
    ]);
    expect(release.statusHistory.at(-1)).toMatchObject({ note: 'Excellent release!', by: expect.any(String), at: expect.any(String) });

    // The product, linked to the release and to one asset per track.
    const product = (await t.app.inject({ url: `/product/${release.productId}`, headers: member })).json().data;
    expect(product).toMatchObject({ id: release.productId, upc: release.upc, title: 'Workflow Album', releaseId: rel.id, totalTracks: 2, status: 'Pending' });
    expect(product.artists).toEqual([{ id: expect.any(String), artistName: 'The Wave Collective', type: 'primary' }]);
    const assetIds = release.tracks.map((x: { assetId: string }) => x.assetId);
    expect(product.assets).toEqual([
      { asset: assetIds[0], number: 1, title: 'Opening' },
      { asset: assetIds[1], number: 2, title: 'Closing (Edit)' },
    ]);
    // The uploaded file's catalog track is the asset: the same row, now with the release metadata.
    expect(assetIds[0]).toBe(catalogTrackId);
    for (const [i, id] of assetIds.entries()) {
      const asset = (await t.app.inject({ url: `/asset/${id}`, headers: member })).json().data;
      expect(asset).toMatchObject({ id, ISRC: `USWF1250000${i + 1}`, releaseId: rel.id, products: [{ id: product.id, title: 'Workflow Album', upc: product.upc, number: i + 1 }] });
      const row = await t.container.repos.tracks.find(asset.TenantId, id);
      expect(row?.isrc).toBe(`USWF1250000${i + 1}`);
    }
    const first = (await t.app.inject({ url: `/asset/${assetIds[0]}`, headers: member })).json().data;
    expect(first.hasAudio).toBe(true);
    expect(first.artists.map((a: { artistName: string }) => a.artistName)).toEqual(['The Wave Collective', 'Guest Vocalist']);

    // The same track through the other two APIs.
    const swayzio = await t.app.inject({ url: `/api/swayzio/v1/tracks/${assetIds[0]}`, headers: member });
    expect(swayzio.statusCode, swayzio.body).toBe(200);
    expect(swayzio.json()).toMatchObject({ id: assetIds[0], title: 'Opening', isrc: 'USWF12500001' });
    const audiodn = await t.app.inject({ url: `/v1/track/${assetIds[0]}`, headers: member });
    expect(audiodn.statusCode, audiodn.body).toBe(200);
    expect(audiodn.json()).toMatchObject({ ok: true, track: { id: assetIds[0], title: 'Opening' } });

    // Audit: who approved, and what was created.
    const audit = await t.container.db.selectFrom('auditEvents').selectAll().where('entityId', 'in', [rel.id, product.id, ...assetIds]).execute();
    const actions = audit.map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['release.status_changed', 'product.created', 'asset.updated', 'asset.created']));
    expect(audit.find((a) => a.action === 'product.created')?.actorUserId).toBe(release.reviewedBy);

    // An approved release is no longer editable.
    for (const res of [
      await t.app.inject({ method: 'PUT', url: `/releases/${rel.id}`, headers: admin, payload: { title: 'Changed' } }),
      await t.app.inject({ method: 'PUT', url: `/releases/${rel.id}/tracks/${one.id}`, headers: admin, payload: { title: 'X', displayArtist: 'Y' } }),
      await post(`/releases/${rel.id}/tracks/reorder`, admin, { trackOrder: [two.id, one.id] }),
      await uploadTrackFile(t, admin, rel.id, one.id),
      await t.app.inject({ method: 'DELETE', url: `/releases/${rel.id}`, headers: admin }),
    ]) {
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toContain('approved');
    }
    expect((await post(`/releases/${rel.id}/review`, admin, { action: 'approve' })).statusCode).toBe(400);
    expect((await post(`/releases/${rel.id}/submit`, admin)).statusCode).toBe(400);
  });

  /** A release with one linked track, submitted and approved. */
  async function approvedRelease(body: Record<string, unknown> = {}) {
    const rel = await createRelease(t, admin, { tracks: [{ title: 'Song', displayArtist: 'A', isrc: freshIsrc(), media: [{ url: 'https://x.test/song.wav' }] }], ...body });
    expect((await post(`/releases/${rel.id}/submit`, admin)).statusCode).toBe(200);
    const res = await post(`/releases/${rel.id}/review`, admin, { action: 'approve' });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data;
  }

  it('reverts statuses as an admin with a reason, undoing what approval created', async () => {
    const release = await approvedRelease();
    const url = `/releases/${release.id}/revert-status`;
    expect((await post(url, member, { targetStatus: 'submitted', reason: 'x' })).statusCode).toBe(403);
    expect((await post(url, admin, { targetStatus: 'submitted' })).statusCode).toBe(400);
    expect((await post(url, admin, { targetStatus: 'published', reason: 'x' })).statusCode).toBe(400);
    const res = await post(url, admin, { targetStatus: 'submitted', reason: 'Auto-creation failed due to missing artist metadata' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      success: true,
      message: 'Release status reverted to "submitted" successfully',
      data: { id: release.id, status: 'submitted', previousStatus: 'approved', reason: 'Auto-creation failed due to missing artist metadata' },
    });
    expect((await t.app.inject({ url: `/product/${release.productId}`, headers: admin })).statusCode).toBe(404);
    const reverted = await getRelease(release.id);
    expect(reverted).toMatchObject({ status: 'submitted', productId: null, upc: release.upc });
    expect(reverted.statusHistory.at(-1)).toMatchObject({ from: 'approved', to: 'submitted', note: 'Auto-creation failed due to missing artist metadata' });

    // Approving again reuses the release's UPC.
    const again = (await post(`/releases/${release.id}/review`, admin, { action: 'approve' })).json().data;
    expect(again.upc).toBe(release.upc);
    expect(again.productId).not.toBe(release.productId);

    // Completed releases reopen only as far as approved.
    expect((await post(`/releases/${release.id}/complete`, admin)).json().data.status).toBe('completed');
    const toDraft = await post(url, admin, { targetStatus: 'draft', reason: 'redo' });
    expect(toDraft.statusCode).toBe(400);
    expect(toDraft.json().message).toContain('completed');
    const toApproved = await post(url, admin, { targetStatus: 'approved', reason: 'delivery retried' });
    expect(toApproved.json().data).toMatchObject({ status: 'approved', previousStatus: 'completed' });
    expect((await t.app.inject({ url: `/product/${again.productId}`, headers: admin })).statusCode).toBe(200);
    // A draft release has nothing to revert.
    const draft = await createRelease(t, admin);
    expect((await post(`/releases/${draft.id}/revert-status`, admin, { targetStatus: 'submitted', reason: 'x' })).statusCode).toBe(400);
  });

  it('takes the UPC from the release, and refuses approval when an ISRC or UPC is already taken', async () => {
    const withUpc = await approvedRelease({ metadata: { upc: '123456789012', catalogNumber: 'IND001' } });
    expect(withUpc.upc).toBe('123456789012');
    const product = (await t.app.inject({ url: `/product/${withUpc.productId}`, headers: admin })).json().data;
    expect(product).toMatchObject({ upc: '123456789012', catalogNumber: 'IND001' });
    expect((await t.app.inject({ method: 'POST', url: '/releases', headers: admin, payload: { title: 'Bad', upc: '123456789013' } })).json().message).toMatch(/^upc/);

    const sameUpc = await createRelease(t, admin, { upc: '123456789012', tracks: [{ title: 'S', displayArtist: 'A', isrc: freshIsrc(), media: [{ url: 'https://x.test/s.wav' }] }] });
    await post(`/releases/${sameUpc.id}/submit`, admin);
    const upcClash = await post(`/releases/${sameUpc.id}/review`, admin, { action: 'approve' });
    expect(upcClash.statusCode).toBe(409);
    expect(upcClash.json().message).toContain('123456789012');

    await t.app.inject({ method: 'POST', url: '/asset', headers: admin, payload: { title: 'Elsewhere', isrc: 'GBXYZ2500009' } });
    const clash = await createRelease(t, admin, { tracks: [{ title: 'S', displayArtist: 'A', isrc: 'GB-XYZ-25-00009', media: [{ url: 'https://x.test/s.wav' }] }] });
    await post(`/releases/${clash.id}/submit`, admin);
    const res = await post(`/releases/${clash.id}/review`, admin, { action: 'approve' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({ status: 'error', message: expect.stringContaining('GBXYZ2500009') });
    // Nothing of the approval survived the failed transaction.
    const after = await getRelease(clash.id);
    expect(after).toMatchObject({ status: 'submitted', productId: null });
    expect(after.tracks[0].assetId).toBeNull();
  });

  it('deletes a draft release with its tracks', async () => {
    const rel = await createRelease(t, admin, { tracks: tracksOf(2) });
    const res = await t.app.inject({ method: 'DELETE', url: `/releases/${rel.id}`, headers: admin });
    expect(res.json()).toMatchObject({ success: true, message: 'Release deleted successfully' });
    expect((await t.app.inject({ url: `/releases/${rel.id}`, headers: admin })).statusCode).toBe(404);
    const rows = await t.container.db.selectFrom('distReleaseTracks').select('id').where('releaseId', '=', rel.id).execute();
    expect(rows).toEqual([]);
  });
});
