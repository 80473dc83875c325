import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { makeImage, toneBytes } from '../../helpers/audio.js';
import { client, createTrack, uploadThroughApi, type Client } from './workspace-api.js';
import { writeElsewhere } from '../../helpers/write-elsewhere.js';

/**
 * The share page `/s/:token` is rendered once per state of its link and track and revalidated
 * with an ETag, yet every request reads the link and counts the view. These tests change what
 * the page shows, through the API and behind the app's back (a connection of its own, as
 * another process would), and expect the very next request to show it.
 */
describe.each(dialects())('share page served from its rendered copy, never stale (%s)', (dialect) => {
  let t: TestApp;
  let alice: Client;
  let anon: Client;
  let trackId: string;
  const viewed: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ dialect, env: { PUBLIC_RATE_LIMIT: '1000' } });
    alice = client(t, await t.token({ user: 'alice', role: 'member' }));
    anon = client(t, null);
    trackId = await createTrack(t, alice, { name: 'Tidewater.wav', bytes: toneBytes({ seconds: 1 }) });
    t.container.events.on('share_link.viewed', (e) => void viewed.push(e.shareLinkId));
  });
  afterAll(async () => t?.close());

  const share = async (body: Record<string, unknown> = {}, track = trackId) => {
    const res = await alice.post(`/tracks/${track}/share-links`, body);
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; token: string; sharePath: string };
  };
  const open = (token: string, headers: Record<string, string> = {}) => t.app.inject({ url: `/s/${token}`, headers });
  const views = async (linkId: string, track = trackId): Promise<number> =>
    (await alice.get(`/tracks/${track}/share-links`)).json().records.find((r: { id: string }) => r.id === linkId)?.stats.views;
  const pageData = (html: string) => JSON.parse(/<script type="application\/json" id="ll-data">(.*?)<\/script>/s.exec(html)![1]);
  const titleOf = (html: string) => /<h1 id="title">(.*?)<\/h1>/.exec(html)?.[1];

  it('sends a strong ETag, answers 304 to revalidation, and counts every request as a view', async () => {
    const link = await share({ name: 'revalidate' });
    const first = await open(link.token);
    expect(first.statusCode).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    expect(first.headers.vary).toBe('Accept-Encoding');
    expect(titleOf(first.body)).toBe('Tidewater');

    const again = await open(link.token, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    expect((await open(link.token, { 'if-none-match': `"other", W/${etag}` })).statusCode).toBe(304);
    expect((await open(link.token, { 'if-none-match': '"not-this-page"' })).statusCode).toBe(200);
    expect(await views(link.id)).toBe(4);
    expect(viewed.filter((id) => id === link.id)).toHaveLength(4);
  });

  it('serves the same page gzip- or brotli-encoded when asked, each with its own ETag', async () => {
    const link = await share({ name: 'encoded' });
    const plain = await open(link.token);
    const gz = await open(link.token, { 'accept-encoding': 'gzip, deflate' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString('utf8')).toBe(plain.body);
    const br = await open(link.token, { 'accept-encoding': 'gzip;q=0.8, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString('utf8')).toBe(plain.body);
    expect(new Set([plain.headers.etag, gz.headers.etag, br.headers.etag]).size).toBe(3);
    expect((await open(link.token, { 'accept-encoding': 'br;q=0, gzip;q=0' })).headers['content-encoding']).toBeUndefined();
    const revalidated = await open(link.token, { 'accept-encoding': 'br', 'if-none-match': br.headers.etag as string });
    expect(revalidated.statusCode).toBe(304);
    expect(await views(link.id)).toBe(5);
  });

  it('renders anew, with a new ETag, once the title, artist or duration change, through the API or elsewhere', async () => {
    const link = await share({ name: 'metadata' });
    const before = await open(link.token);
    expect(titleOf(before.body)).toBe('Tidewater');

    expect((await alice.patch(`/tracks/${trackId}/metadata`, { title: 'Tidewater (Edit)', artist: 'The Estuary' })).statusCode).toBe(200);
    const renamed = await open(link.token, { 'if-none-match': before.headers.etag as string });
    expect(renamed.statusCode).toBe(200);
    expect(titleOf(renamed.body)).toBe('Tidewater (Edit)');
    expect(renamed.body).toContain('<p id="artist" class="artist">The Estuary</p>');
    expect(renamed.headers.etag).not.toBe(before.headers.etag);

    await writeElsewhere(t, 'update tracks set title = $1, duration_ms = $2 where id = $3', ['Renamed Elsewhere', 61_000, trackId]);
    const elsewhere = await open(link.token, { 'if-none-match': renamed.headers.etag as string });
    expect(elsewhere.statusCode).toBe(200);
    expect(titleOf(elsewhere.body)).toBe('Renamed Elsewhere');
    expect(pageData(elsewhere.body).durationMs).toBe(61_000);
    expect(elsewhere.body).toContain('<meta property="music:duration" content="61">');
    expect(await views(link.id)).toBe(3);
    await writeElsewhere(t, 'update tracks set title = $1, artist = null, duration_ms = null where id = $2', ['Tidewater', trackId]);
  });

  it('shows artwork once it is uploaded, and the waveform of whichever version is current', async () => {
    const track = await createTrack(t, alice, { name: 'Artful.wav', bytes: toneBytes({ seconds: 1 }) });
    const link = await share({}, track);
    const bare = await open(link.token);
    expect(bare.body).not.toContain('<img id="artwork"');
    expect(pageData(bare.body).peaks).toBeNull();

    await uploadThroughApi(t, alice, `/tracks/${track}/artwork/uploads`, { name: 'cover.png', bytes: makeImage({ color: 'teal' }) });
    const art = await open(link.token, { 'if-none-match': bare.headers.etag as string });
    expect(art.statusCode).toBe(200);
    expect(art.body).toMatch(/<img id="artwork" src="http:\/\/ledgerline\.test\/storage\//);

    // The waveform lane of the current version lands (as the analyze job would write it).
    const original = (await alice.get(`/tracks/${track}/versions`)).json().versions[0] as { id: string; assetId: string };
    const { tenantId } = await t.container.db.selectFrom('tracks').select('tenantId').where('id', '=', track).executeTakeFirstOrThrow();
    const overview = { version: 2, channels: 1, sample_rate: 8000, samples_per_pixel: 25, bits: 8, length: 3, data: [-9, 9, -40, 40, -3, 3] };
    await t.container.repos.processing.upsertLane({ tenantId, trackId: track, assetId: original.assetId, lane: 'waveform' }, { status: 'succeeded', result: JSON.stringify({ levels: [], overview }) });
    const waved = await open(link.token, { 'if-none-match': art.headers.etag as string });
    expect(waved.statusCode).toBe(200);
    expect(pageData(waved.body).peaks).toEqual({ data: overview.data, bits: 8, length: 3 });

    // A second version without a waveform yet becomes current: its page has none.
    const v2 = await uploadThroughApi(t, alice, `/tracks/${track}/versions/uploads`, { name: 'v2.wav', bytes: toneBytes({ seconds: 1 }) });
    const second = (await alice.get(`/tracks/${track}/versions`)).json().versions.find((v: { assetId: string }) => v.assetId === v2.ticket.assetId);
    expect((await alice.post(`/tracks/${track}/versions/${second.id}/promote`)).statusCode).toBe(200);
    const promoted = await open(link.token, { 'if-none-match': waved.headers.etag as string });
    expect(promoted.statusCode).toBe(200);
    expect(pageData(promoted.body).peaks).toBeNull();
    expect(await views(link.id, track)).toBe(4);
  });

  it('follows the link settings: downloads and an access code set elsewhere show on the next request', async () => {
    const link = await share({ name: 'settings' });
    const first = await open(link.token);
    expect(first.body).not.toContain('id="download"');
    await writeElsewhere(t, 'update workspace_share_links set allow_download = 1 where id = $1', [link.id]);
    const download = await open(link.token, { 'if-none-match': first.headers.etag as string });
    expect(download.statusCode).toBe(200);
    expect(download.body).toContain('id="download"');

    const gated = await share({ accessCode: 'estuary-77' });
    const hash = (await t.container.db.selectFrom('workspaceShareLinks').select('accessCodeHash').where('id', '=', gated.id).executeTakeFirstOrThrow()).accessCodeHash;
    await writeElsewhere(t, 'update workspace_share_links set access_code_hash = $1 where id = $2', [hash, link.id]);
    const locked = await open(link.token, { 'if-none-match': download.headers.etag as string });
    expect(locked.statusCode).toBe(200);
    expect(locked.body).toContain('id="gate"');
    expect(locked.body).not.toContain('Tidewater');
    expect(pageData(locked.body)).toMatchObject({ requiresAccessCode: true, allowDownload: false, peaks: null });
    // A gated page counts no view (the card does, once the code is given).
    expect(await views(link.id)).toBe(2);
  });

  it('never shows a gated link unlocked, not after another link of the track was viewed nor after its code was given', async () => {
    const openLink = await share({ name: 'open' });
    expect(titleOf((await open(openLink.token)).body)).toBe('Tidewater');
    const gated = await share({ accessCode: 'estuary-77', allowDownload: true });
    const page = await open(gated.token);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="gate"');
    expect(page.body).not.toContain('Tidewater');
    expect(page.body).not.toContain('id="download"');

    const card = await anon.get(`/public/track-links/${gated.token}`, { 'x-access-code': 'estuary-77' });
    expect(card.statusCode).toBe(200);
    expect(card.json().track.title).toBe('Tidewater');
    const after = await open(gated.token);
    expect(after.body).toContain('id="gate"');
    expect(after.body).not.toContain('Tidewater');
    expect(after.headers.etag).toBe(page.headers.etag);
    expect(await views(gated.id)).toBe(1);
  });

  it('is 404 on the next request once the link is revoked, reset, expired or its track deleted, here or elsewhere', async () => {
    const revoked = await share({ name: 'revoke here' });
    const seen = await open(revoked.token);
    expect(seen.statusCode).toBe(200);
    expect((await alice.del(`/tracks/${trackId}/share-links/${revoked.id}`)).statusCode).toBe(204);
    const gone = await open(revoked.token, { 'if-none-match': seen.headers.etag as string });
    expect(gone.statusCode).toBe(404);
    expect(gone.headers.etag).toBeUndefined();
    expect(gone.body).toMatch(/no longer available/i);

    const elsewhere = await share({ name: 'revoke elsewhere' });
    const before = await open(elsewhere.token);
    expect(before.statusCode).toBe(200);
    await writeElsewhere(t, 'update workspace_share_links set revoked_at = $1 where id = $2', [new Date().toISOString(), elsewhere.id]);
    expect((await open(elsewhere.token, { 'if-none-match': before.headers.etag as string })).statusCode).toBe(404);

    const expiring = await share({ expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect((await open(expiring.token)).statusCode).toBe(200);
    await writeElsewhere(t, 'update workspace_share_links set expires_at = $1 where id = $2', [new Date(Date.now() - 1).toISOString(), expiring.id]);
    expect((await open(expiring.token)).statusCode).toBe(404);

    const rotated = await share({ name: 'reset' });
    expect((await open(rotated.token)).statusCode).toBe(200);
    const fresh = (await alice.post(`/tracks/${trackId}/share-links/${rotated.id}/reset`)).json();
    expect((await open(rotated.token)).statusCode).toBe(404);
    const renewed = await open(fresh.token);
    expect(renewed.statusCode).toBe(200);
    expect(pageData(renewed.body).token).toBe(fresh.token);
    expect(renewed.body).not.toContain(rotated.token);

    const doomed = await createTrack(t, alice, { name: 'Doomed.wav', bytes: toneBytes({ seconds: 1 }) });
    const onDoomed = await share({}, doomed);
    expect((await open(onDoomed.token)).statusCode).toBe(200);
    await writeElsewhere(t, 'update tracks set deleted_at = $1 where id = $2', [new Date().toISOString(), doomed]);
    expect((await open(onDoomed.token)).statusCode).toBe(404);

    // None of the refused requests was counted.
    expect(viewed.filter((id) => [revoked.id, elsewhere.id, expiring.id, rotated.id].includes(id))).toHaveLength(5);
  });

  it('counts concurrent requests exactly, each one a view', async () => {
    const link = await share({ name: 'crowd' });
    const etag = (await open(link.token)).headers.etag as string;
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => open(link.token, i % 2 ? { 'if-none-match': etag } : {})));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([...Array(20).fill(200), ...Array(20).fill(304)]);
    expect(await views(link.id)).toBe(41);
  });
});
