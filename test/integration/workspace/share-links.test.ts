import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { toneBytes } from '../../helpers/audio.js';
import { client, createTrack, type Client } from './workspace-api.js';

describe.each(dialects())('workspace share links (%s)', (dialect) => {
  let t: TestApp;
  let alice: Client;
  let bob: Client;
  let anon: Client;
  let trackId: string;

  beforeAll(async () => {
    t = await createTestApp({ dialect, env: { PUBLIC_RATE_LIMIT: '40' } });
    alice = client(t, await t.token({ user: 'alice', role: 'member' }));
    bob = client(t, await t.token({ user: 'bob', role: 'member' }));
    anon = client(t, null);
    trackId = await createTrack(t, alice, { name: 'Shared.wav', bytes: toneBytes({ seconds: 1 }) });
  });
  afterAll(async () => t?.close());

  it('needs the tracks.share entitlement to create or reset', async () => {
    const free = client(t, await t.token({ tenant: 'freebies', plan: 'free', user: 'fred', role: 'member' }));
    const id = await createTrack(t, free, { name: 'free.wav', bytes: toneBytes({ seconds: 1 }) });
    const res = await free.post(`/tracks/${id}/share-links`, { name: 'x' });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({
      error: 'entitlement_required',
      code: 'entitlement_required',
      feature: 'tracks.share',
      current: 0,
      limit: 0,
      planId: 'free',
      status: 'inactive',
      upgradeRequired: true,
    });
    expect((await free.get(`/tracks/${id}/share-links`)).json()).toEqual({ records: [] });
  });

  it('shows the token once, stores only its hash, and lists links redacted', async () => {
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const res = await alice.post(`/tracks/${trackId}/share-links`, { name: 'For the sync brief', expiresAt });
    expect(res.statusCode).toBe(201);
    const link = res.json();
    expect(link).toMatchObject({ trackId, name: 'For the sync brief', expiresAt, allowDownload: false, requiresAccessCode: false, status: 'active' });
    expect(link.token).toMatch(/^sl_[A-Za-z0-9_-]{30,}$/);
    expect(link.sharePath).toBe(`/s/${link.token}`);
    expect(link.shareUrl).toBe(`http://ledgerline.test/s/${link.token}`);

    const listed = await alice.get(`/tracks/${trackId}/share-links`);
    expect(listed.body).not.toContain(link.token);
    expect(listed.json().records).toEqual([expect.objectContaining({ id: link.id, tokenPrefix: link.token.slice(0, 9), stats: { views: 0, plays: 0, downloads: 0 } })]);
    expect(listed.json().records[0]).not.toHaveProperty('token');
    expect(listed.json().records[0]).not.toHaveProperty('sharePath');
    const rows = await t.container.db.selectFrom('workspaceShareLinks').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(link.token);

    const card = await anon.get(`/public/track-links/${link.token}`);
    expect(card.statusCode).toBe(200);
    expect(card.json()).toEqual({
      link: { name: 'For the sync brief', expiresAt, allowDownload: false, requiresAccessCode: false },
      track: { title: 'Shared', artist: '', durationMs: null, artworkUrl: null },
      peaks: null,
    });
    expect(card.headers['cache-control']).toBe('no-store');
    expect((await alice.get(`/tracks/${trackId}/share-links`)).json().records[0].stats.views).toBe(1);
    expect((await bob.get(`/tracks/${trackId}/share-links`)).json().error).toBe('track_not_found');
  });

  it('validates link options', async () => {
    const past = await alice.post(`/tracks/${trackId}/share-links`, { expiresAt: '2020-01-01T00:00:00.000Z' });
    expect(past.statusCode).toBe(400);
    expect(past.json().issues[0].path).toBe('body.expiresAt');
    expect((await alice.post(`/tracks/${trackId}/share-links`, { expiresAt: 'tomorrow' })).statusCode).toBe(400);
    expect((await alice.post(`/tracks/${trackId}/share-links`, { accessCode: 'abc' })).statusCode).toBe(400);
    expect((await alice.post(`/tracks/${trackId}/share-links`, { allowDownload: 'yes' })).statusCode).toBe(400);
    expect((await alice.post(`/tracks/${trackId}/share-links`)).statusCode).toBe(201);
  });

  it('rotates a token on reset and revokes with 204; dead tokens are 404', async () => {
    const link = (await alice.post(`/tracks/${trackId}/share-links`, { name: 'rotate me' })).json();
    const reset = await alice.post(`/tracks/${trackId}/share-links/${link.id}/reset`);
    expect(reset.statusCode).toBe(200);
    const fresh = reset.json();
    expect(fresh.id).toBe(link.id);
    expect(fresh.token).not.toBe(link.token);
    expect((await anon.get(`/public/track-links/${link.token}`)).json()).toEqual({ error: 'share_link_not_found' });
    expect((await anon.get(`/public/track-links/${fresh.token}`)).statusCode).toBe(200);
    expect((await bob.post(`/tracks/${trackId}/share-links/${link.id}/reset`)).statusCode).toBe(404);

    expect((await bob.del(`/tracks/${trackId}/share-links/${link.id}`)).statusCode).toBe(404);
    const revoke = await alice.del(`/tracks/${trackId}/share-links/${link.id}`);
    expect(revoke.statusCode).toBe(204);
    expect(revoke.body).toBe('');
    expect((await anon.get(`/public/track-links/${fresh.token}`)).statusCode).toBe(404);
    expect((await alice.del(`/tracks/${trackId}/share-links/${link.id}`)).statusCode).toBe(404);
    expect((await alice.post(`/tracks/${trackId}/share-links/${link.id}/reset`)).statusCode).toBe(404);
    expect((await alice.get(`/tracks/${trackId}/share-links`)).json().records.map((r: { id: string }) => r.id)).not.toContain(link.id);
    expect((await anon.get('/public/track-links/sl_never-issued')).statusCode).toBe(404);
  });

  it('expires links and follows the track when it is deleted', async () => {
    const link = (await alice.post(`/tracks/${trackId}/share-links`, { expiresAt: new Date(Date.now() + 60_000).toISOString() })).json();
    await t.container.db.updateTable('workspaceShareLinks').set({ expiresAt: new Date(Date.now() - 1000).toISOString() }).where('id', '=', link.id).execute();
    expect((await anon.get(`/public/track-links/${link.token}`)).statusCode).toBe(404);
    expect((await alice.get(`/tracks/${trackId}/share-links`)).json().records.find((r: { id: string }) => r.id === link.id).status).toBe('expired');

    const other = await createTrack(t, alice, { name: 'short-lived.wav', bytes: toneBytes({ seconds: 1 }) });
    const live = (await alice.post(`/tracks/${other}/share-links`, {})).json();
    expect((await anon.get(`/public/track-links/${live.token}`)).statusCode).toBe(200);
    await alice.del(`/tracks/${other}`);
    expect((await anon.get(`/public/track-links/${live.token}`)).statusCode).toBe(404);
  });

  it('gates a link behind an access code and disables downloads unless allowed', async () => {
    const gated = (await alice.post(`/tracks/${trackId}/share-links`, { accessCode: 'tide-4321' })).json();
    expect(gated.requiresAccessCode).toBe(true);
    for (const url of [`/public/track-links/${gated.token}`, `/public/track-links/${gated.token}/playback-url`, `/public/track-links/${gated.token}/download-url`]) {
      for (const headers of [{}, { 'x-access-code': 'wrong-code' }] as Array<Record<string, string>>) {
        const res = await anon.get(url, headers);
        expect(res.statusCode, url).toBe(403);
        expect(res.json()).toEqual({ error: 'access_code_required' });
      }
    }
    expect((await anon.post(`/public/track-links/${gated.token}/events`, { type: 'play' })).statusCode).toBe(403);
    const open = await anon.get(`/public/track-links/${gated.token}`, { 'x-access-code': 'tide-4321' });
    expect(open.statusCode).toBe(200);
    expect(open.json().link.requiresAccessCode).toBe(true);
    const noDownload = await anon.get(`/public/track-links/${gated.token}/download-url`, { 'x-access-code': 'tide-4321' });
    expect(noDownload.statusCode).toBe(403);
    expect(noDownload.json()).toEqual({ error: 'downloads_disabled' });

    const page = t.container.modules.workspace.publicLinks;
    const locked = await page.sharePage(gated.token);
    expect(locked).toMatchObject({ requiresAccessCode: true, track: null, peaks: null });
    await expect(page.sharePage(gated.token, { accessCode: 'nope' })).rejects.toMatchObject({ status: 403, code: 'access_code_required' });
    expect((await page.sharePage(gated.token, { accessCode: 'tide-4321' })).track?.title).toBe('Shared');
    const stats = (await alice.get(`/tracks/${trackId}/share-links`)).json().records.find((r: { id: string }) => r.id === gated.id).stats;
    expect(stats.views).toBe(2);

    const downloads = (await alice.post(`/tracks/${trackId}/share-links`, { allowDownload: true })).json();
    const dl = await anon.get(`/public/track-links/${downloads.token}/download-url`);
    expect(dl.statusCode).toBe(200);
    const file = await t.app.inject({ url: new URL(dl.json().url).pathname + new URL(dl.json().url).search });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toContain('attachment');
    expect((await anon.post(`/public/track-links/${downloads.token}/events`, { type: 'play' })).statusCode).toBe(204);
    expect((await anon.post(`/public/track-links/${downloads.token}/events`, { type: 'like' })).statusCode).toBe(400);
    const counted = (await alice.get(`/tracks/${trackId}/share-links`)).json().records.find((r: { id: string }) => r.id === downloads.id).stats;
    expect(counted).toEqual({ views: 0, plays: 1, downloads: 1 });
  });

  it('answers only GET and POST on the public surface', async () => {
    const link = (await alice.post(`/tracks/${trackId}/share-links`, {})).json();
    for (const method of ['PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const) {
      const res = await anon.call(method, `/public/track-links/${link.token}`);
      expect(res.statusCode, method).toBe(405);
      if (method !== 'HEAD') expect(res.json()).toEqual({ error: 'method_not_allowed' });
    }
    expect((await anon.call('DELETE', `/public/split-sheet-links/${link.token}`)).statusCode).toBe(405);
  });

  it('rate-limits the public routes per IP', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 45; i++) {
      const res = await t.app.inject({ url: '/api/swayzio/v1/public/track-links/sl_nothing', remoteAddress: '203.0.113.9' });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) {
        expect(res.json()).toMatchObject({ error: 'rate_limited' });
        expect(res.headers['retry-after']).toBeTruthy();
      }
    }
    expect(statuses).toContain(429);
    const elsewhere = await t.app.inject({ url: '/api/swayzio/v1/public/track-links/sl_nothing', remoteAddress: '203.0.113.10' });
    expect(elsewhere.statusCode).toBe(404);
    // Authenticated routes are not limited by it.
    for (let i = 0; i < 45; i++) expect((await t.app.inject({ url: '/api/swayzio/health', remoteAddress: '203.0.113.9' })).statusCode).toBe(200);
  });
});
